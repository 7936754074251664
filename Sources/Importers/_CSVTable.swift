import Foundation

extension CSVReader {
    /// The cells of a delimited text file as numbers, one array per column, parsed from its
    /// UTF-8 bytes: the separator and the header are found from the first lines.
    struct Table {
        /// Column names: the header's cells, or `column 0`, `column 1`, … without a header.
        var names: [String]
        /// (columns, rows) values; NaN for an empty or missing cell.
        var columns: [[Double]]
        /// Whether the first line named the columns.
        var hasHeader: Bool
        /// The field separator.
        var separator: UInt8

        /// Parses `bytes` (the whole file).
        /// - Throws: `ImportError` naming `url` (and line and column) for an empty file, fewer
        ///   than two data rows, a ragged row, a cell that is not a number or is infinite.
        init(url: URL, bytes: UnsafeBufferPointer<UInt8>) throws {
            var lines = Self.lines(bytes)
            while let last = lines.last, bytes[last].allSatisfy({ $0 == 0x20 || $0 == 0x09 }) { lines.removeLast() }
            guard let first = lines.first, !first.isEmpty else { throw ImportError(url, "empty CSV file") }
            separator = Self.separator(of: lines.prefix(5).map { bytes[$0] })
            let decimalComma = separator == UInt8(ascii: ";")

            let firstCells = Self.cells(bytes[first], separator)
            hasHeader = firstCells.contains { cell in
                !cell.isEmpty && Self.number(bytes[cell], decimalComma: decimalComma) == nil && !Self.isMissing(bytes[cell])
            }
            names = hasHeader
                ? firstCells.enumerated().map { i, cell in cell.isEmpty ? "column \(i)" : String(decoding: bytes[cell], as: UTF8.self) }
                : firstCells.indices.map { "column \($0)" }
            let firstData = hasHeader ? 1 : 0
            let rows = lines.count - firstData
            guard rows >= 2 else { throw ImportError(url, "no data rows") }

            columns = [[Double]](repeating: [], count: names.count)
            for c in columns.indices { columns[c].reserveCapacity(rows) }
            var cells: [Range<Int>] = []
            cells.reserveCapacity(names.count)
            for r in firstData..<lines.count {
                cells.removeAll(keepingCapacity: true)
                Self.cells(bytes[lines[r]], separator, into: &cells)
                guard cells.count == names.count else {
                    let what = hasHeader ? "the header has" : "line 1 has"
                    throw ImportError(url, "line \(r + 1) has \(cells.count) fields, \(what) \(names.count) (truncated or ragged file)")
                }
                for (c, cell) in cells.enumerated() {
                    let text = bytes[cell]
                    func place() -> String { "line \(r + 1), \(hasHeader ? "column " : "")\(names[c])" }
                    if text.isEmpty {
                        columns[c].append(.nan)
                    } else if let v = Self.number(text, decimalComma: decimalComma) {
                        guard !v.isInfinite else {
                            throw ImportError(url, "\(place()): '\(Self.shown(text))' is infinite (write a missing sample as an empty cell or nan)")
                        }
                        columns[c].append(v.isNaN ? .nan : v)
                    } else if Self.isMissing(text) {
                        columns[c].append(.nan)
                    } else {
                        throw ImportError(url, "\(place()): '\(Self.shown(text))' is not a number")
                    }
                }
            }
        }

        // MARK: - Bytes

        /// The byte ranges of the lines (without their `\n`, `\r\n` or `\r` ends), after a
        /// UTF-8 byte-order mark.
        static func lines(_ bytes: UnsafeBufferPointer<UInt8>) -> [Range<Int>] {
            var out: [Range<Int>] = []
            var start = bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0
            var i = start
            while i < bytes.count {
                let b = bytes[i]
                if b == 0x0A || b == 0x0D {
                    out.append(start..<i)
                    if b == 0x0D, i + 1 < bytes.count, bytes[i + 1] == 0x0A { i += 1 }
                    start = i + 1
                }
                i += 1
            }
            if start < bytes.count { out.append(start..<bytes.count) }
            return out
        }

        /// The separator: the first of tab, `;`, `,` that splits every one of `lines` into the
        /// same number (two or more) of fields; else the one giving the first line the most
        /// fields (a ragged file then fails on its short line); a single column gives `,`.
        static func separator(of lines: [Slice<UnsafeBufferPointer<UInt8>>]) -> UInt8 {
            let candidates: [UInt8] = [0x09, UInt8(ascii: ";"), UInt8(ascii: ",")]
            let counts = candidates.map { s in lines.map { $0.reduce(1) { $1 == s ? $0 + 1 : $0 } } }
            if let i = counts.indices.first(where: { k in counts[k].allSatisfy { $0 == counts[k][0] } && counts[k][0] > 1 }) {
                return candidates[i]
            }
            let best = counts.indices.max { counts[$0][0] < counts[$1][0] }!
            return counts[best][0] > 1 ? candidates[best] : UInt8(ascii: ",")
        }

        /// The cells of one line: byte ranges without surrounding blanks and double quotes.
        static func cells(_ line: Slice<UnsafeBufferPointer<UInt8>>, _ separator: UInt8) -> [Range<Int>] {
            var out: [Range<Int>] = []
            cells(line, separator, into: &out)
            return out
        }

        /// Appends the cells of one line to `out`.
        static func cells(_ line: Slice<UnsafeBufferPointer<UInt8>>, _ separator: UInt8, into out: inout [Range<Int>]) {
            let base = line.base
            var start = line.startIndex
            func add(_ end: Int) {
                var a = start, b = end
                while a < b, base[a] == 0x20 || base[a] == 0x09 { a += 1 }
                while b > a, base[b - 1] == 0x20 || base[b - 1] == 0x09 { b -= 1 }
                if b - a >= 2, base[a] == 0x22, base[b - 1] == 0x22 { a += 1; b -= 1 }
                out.append(a..<b)
            }
            for i in line.indices where base[i] == separator {
                add(i)
                start = i + 1
            }
            add(line.endIndex)
        }

        /// The cell as a number, or nil. Parsed by Swift's `Double` (correctly rounded, the
        /// value Python's `float` gives); hexadecimal is not a number here (as for `float`);
        /// with `decimalComma`, `0,5` is 0.5.
        static func number(_ cell: Slice<UnsafeBufferPointer<UInt8>>, decimalComma: Bool) -> Double? {
            var comma: Int?
            for i in cell.indices {
                switch cell[i] {
                case UInt8(ascii: "x"), UInt8(ascii: "X"), UInt8(ascii: "_"): return nil
                case UInt8(ascii: ","):
                    guard decimalComma, comma == nil else { return nil }
                    comma = i
                case UInt8(ascii: "."):
                    if comma != nil { return nil }
                default: break
                }
            }
            if let comma {
                if cell[(comma + 1)...].contains(UInt8(ascii: ".")) { return nil }
                var copy = Array(cell)
                copy[comma - cell.startIndex] = UInt8(ascii: ".")
                return Double(String(decoding: copy, as: UTF8.self))
            }
            return Double(String(decoding: cell, as: UTF8.self))
        }

        /// Whether the cell spells a missing value: `nan`, `na`, `n/a`, `null`, `none` in any case.
        static func isMissing(_ cell: Slice<UnsafeBufferPointer<UInt8>>) -> Bool {
            guard cell.count <= 5 else { return false }
            return CSVReader.missingCells.contains(String(decoding: cell, as: UTF8.self).lowercased())
        }

        /// The start of a cell for an error message.
        static func shown(_ cell: Slice<UnsafeBufferPointer<UInt8>>) -> String {
            String(String(decoding: cell, as: UTF8.self).prefix(20))
        }
    }
}
