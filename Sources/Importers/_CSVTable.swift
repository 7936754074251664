import Foundation

extension CSVReader {
    /// The cells of a delimited text file as numbers, one array per column, parsed from its
    /// UTF-8 bytes: the separator and the header are found from the first lines.
    ///
    /// Memory: the values take 8 bytes a cell, and the cell count is checked against the file
    /// size before anything is allocated for them (a well-formed file of `rows` rows and
    /// `columns` columns has at least rows × columns − 1 bytes), so a header announcing a
    /// million columns over short rows is refused as ragged, not allocated.
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
            guard let p = bytes.baseAddress, !bytes.isEmpty else { throw ImportError(url, "empty CSV file") }
            var lines = Self.lines(p, count: bytes.count)
            while let last = lines.last, last.allSatisfy({ p[$0] == 0x20 || p[$0] == 0x09 }) { lines.removeLast() }
            guard let first = lines.first, !first.isEmpty else { throw ImportError(url, "empty CSV file") }
            let separator = Self.separator(p, lines.prefix(5))
            self.separator = separator
            let decimalComma = separator == UInt8(ascii: ";")

            var cells: [Range<Int>] = []
            Self.cells(p, first, separator, into: &cells)
            let hasHeader = cells.contains { !$0.isEmpty && Self.number(p, $0, decimalComma: decimalComma) == nil && !Self.isMissing(p, $0) }
            self.hasHeader = hasHeader
            let names = hasHeader
                ? cells.enumerated().map { i, cell in cell.isEmpty ? "column \(i)" : Self.text(p, cell) }
                : cells.indices.map { "column \($0)" }
            self.names = names
            let firstData = hasHeader ? 1 : 0
            let rows = lines.count - firstData, width = names.count
            guard rows >= 2 else { throw ImportError(url, "no data rows") }
            func ragged(_ r: Int, _ fields: Int) -> ImportError {
                ImportError(url, "line \(r + 1) has \(fields) fields, \(hasHeader ? "the header has" : "line 1 has") \(width) (truncated or ragged file)")
            }
            // More cells than the file could hold means a short row: find it before allocating.
            let (cellCount, overflow) = rows.multipliedReportingOverflow(by: width)
            if overflow || cellCount > bytes.count + 1 {
                for r in firstData..<lines.count {
                    cells.removeAll(keepingCapacity: true)
                    Self.cells(p, lines[r], separator, into: &cells)
                    if cells.count != width { throw ragged(r, cells.count) }
                }
            }

            // (columns, rows) column-major, every cell written once below.
            let values = try [Double](unsafeUninitializedCapacity: cellCount) { buffer, initialised in
                for r in firstData..<lines.count {
                    cells.removeAll(keepingCapacity: true)
                    Self.cells(p, lines[r], separator, into: &cells)
                    guard cells.count == width else { throw ragged(r, cells.count) }
                    let row = r - firstData
                    for (c, cell) in cells.enumerated() {
                        let v: Double
                        if cell.isEmpty {
                            v = .nan
                        } else if let x = Self.number(p, cell, decimalComma: decimalComma) {
                            guard !x.isInfinite else {
                                throw ImportError(url, "line \(r + 1), \(hasHeader ? "column " : "")\(names[c]): '\(Self.shown(p, cell))' is infinite (write a missing sample as an empty cell or nan)")
                            }
                            v = x.isNaN ? .nan : x
                        } else if Self.isMissing(p, cell) {
                            v = .nan
                        } else {
                            throw ImportError(url, "line \(r + 1), \(hasHeader ? "column " : "")\(names[c]): '\(Self.shown(p, cell))' is not a number")
                        }
                        (buffer.baseAddress! + (c * rows + row)).initialize(to: v)
                    }
                }
                initialised = cellCount
            }
            columns = (0..<width).map { Array(values[($0 * rows)..<(($0 + 1) * rows)]) }
        }

        // MARK: - Bytes

        /// The byte ranges of the lines (without their `\n`, `\r\n` or `\r` ends), after a
        /// UTF-8 byte-order mark.
        static func lines(_ p: UnsafePointer<UInt8>, count: Int) -> [Range<Int>] {
            var out: [Range<Int>] = []
            var start = count >= 3 && p[0] == 0xEF && p[1] == 0xBB && p[2] == 0xBF ? 3 : 0
            var i = start
            while i < count {
                let b = p[i]
                if b == 0x0A || b == 0x0D {
                    out.append(start..<i)
                    if b == 0x0D, i + 1 < count, p[i + 1] == 0x0A { i += 1 }
                    start = i + 1
                }
                i += 1
            }
            if start < count { out.append(start..<count) }
            return out
        }

        /// The separator: the first of tab, `;`, `,` that splits every one of `lines` into the
        /// same number (two or more) of fields; else the one giving the first line the most
        /// fields (a ragged file then fails on its short line); a single column gives `,`.
        static func separator(_ p: UnsafePointer<UInt8>, _ lines: ArraySlice<Range<Int>>) -> UInt8 {
            let candidates: [UInt8] = [0x09, UInt8(ascii: ";"), UInt8(ascii: ",")]
            let counts = candidates.map { s in lines.map { line in line.reduce(1) { p[$1] == s ? $0 + 1 : $0 } } }
            if let i = counts.indices.first(where: { k in counts[k].allSatisfy { $0 == counts[k][0] } && counts[k][0] > 1 }) {
                return candidates[i]
            }
            let best = counts.indices.max { counts[$0][0] < counts[$1][0] }!
            return counts[best][0] > 1 ? candidates[best] : UInt8(ascii: ",")
        }

        /// Appends the cells of one line to `out`: byte ranges without surrounding blanks and
        /// double quotes.
        static func cells(_ p: UnsafePointer<UInt8>, _ line: Range<Int>, _ separator: UInt8, into out: inout [Range<Int>]) {
            var start = line.lowerBound
            var i = line.lowerBound
            while true {
                if i == line.upperBound || p[i] == separator {
                    var a = start, b = i
                    while a < b, p[a] == 0x20 || p[a] == 0x09 { a += 1 }
                    while b > a, p[b - 1] == 0x20 || p[b - 1] == 0x09 { b -= 1 }
                    if b - a >= 2, p[a] == 0x22, p[b - 1] == 0x22 { a += 1; b -= 1 }
                    out.append(a..<b)
                    if i == line.upperBound { return }
                    start = i + 1
                }
                i += 1
            }
        }

        /// The cell as a number, or nil: Swift's `Double` over the whole cell (`strtod_l` in the C
        /// locale: the correctly rounded double, the value Python's `float` gives), whatever the
        /// process's locale. Hexadecimal and `_` are not numbers here (as for numpy's reader);
        /// with `decimalComma`, `0,5` is 0.5.
        static func number(_ p: UnsafePointer<UInt8>, _ cell: Range<Int>, decimalComma: Bool) -> Double? {
            guard !cell.isEmpty else { return nil }
            if let v = exactDecimal(p, cell, mark: decimalComma ? UInt8(ascii: ",") : UInt8(ascii: ".")) { return v }
            var comma = -1, point = false
            for i in cell {
                switch p[i] {
                case UInt8(ascii: "x"), UInt8(ascii: "X"), UInt8(ascii: "_"): return nil
                case UInt8(ascii: ","):
                    guard decimalComma, comma < 0 else { return nil }
                    comma = i
                case UInt8(ascii: "."): point = true
                default: break
                }
            }
            if comma >= 0 && point { return nil }
            guard comma >= 0 else { return Double(text(p, cell)) }
            var digits = Array(UnsafeBufferPointer(start: p + cell.lowerBound, count: cell.count))
            digits[comma - cell.lowerBound] = UInt8(ascii: ".")
            return Double(String(decoding: digits, as: UTF8.self))
        }

        /// Exact powers of ten up to 10²² (every one is a Double without rounding).
        private static let powersOfTen: [Double] = (0...22).map { k in (0..<k).reduce(1.0) { x, _ in x * 10 } }

        /// A plain decimal (`-12.5`, `3723568.000000`, `1e-3`, with `mark` as the decimal mark)
        /// whose digits fit 2⁵³ and whose power of ten is within ±22, computed as one exact
        /// multiplication or division (Clinger's fast path): the correctly rounded double, the
        /// same as `strtod`. Nil for anything else, which the caller parses in full.
        static func exactDecimal(_ p: UnsafePointer<UInt8>, _ cell: Range<Int>, mark: UInt8) -> Double? {
            var i = cell.lowerBound
            let end = cell.upperBound
            var negative = false
            if p[i] == UInt8(ascii: "-") || p[i] == UInt8(ascii: "+") { negative = p[i] == UInt8(ascii: "-"); i += 1 }
            var mantissa: UInt64 = 0, digits = 0, scale = 0, seen = false
            while i < end, p[i] >= 0x30, p[i] <= 0x39 {
                if mantissa > 0 || p[i] != 0x30 { digits += 1 }
                mantissa = mantissa &* 10 &+ UInt64(p[i] - 0x30)
                seen = true; i += 1
                if digits > 18 { return nil }
            }
            if i < end, p[i] == mark {
                i += 1
                while i < end, p[i] >= 0x30, p[i] <= 0x39 {
                    if mantissa > 0 || p[i] != 0x30 { digits += 1 }
                    mantissa = mantissa &* 10 &+ UInt64(p[i] - 0x30)
                    scale -= 1; seen = true; i += 1
                    if digits > 18 { return nil }
                }
            }
            guard seen else { return nil }
            if i < end, p[i] == UInt8(ascii: "e") || p[i] == UInt8(ascii: "E") {
                i += 1
                var sign = 1, exponent = 0, any = false
                if i < end, p[i] == UInt8(ascii: "-") || p[i] == UInt8(ascii: "+") { sign = p[i] == UInt8(ascii: "-") ? -1 : 1; i += 1 }
                while i < end, p[i] >= 0x30, p[i] <= 0x39 {
                    exponent = exponent * 10 + Int(p[i] - 0x30)
                    any = true; i += 1
                    if exponent > 1000 { return nil }
                }
                guard any else { return nil }
                scale += sign * exponent
            }
            guard i == end, mantissa <= 1 << 53 else { return nil }
            if mantissa == 0 { return negative ? -0.0 : 0.0 }
            guard abs(scale) <= 22 else { return nil }
            let v = scale >= 0 ? Double(mantissa) * powersOfTen[scale] : Double(mantissa) / powersOfTen[-scale]
            return negative ? -v : v
        }

        /// Whether the cell spells a missing value: `nan`, `na`, `n/a`, `null`, `none` in any case.
        static func isMissing(_ p: UnsafePointer<UInt8>, _ cell: Range<Int>) -> Bool {
            guard cell.count <= 5 else { return false }
            return CSVReader.missingCells.contains(text(p, cell).lowercased())
        }

        /// The cell's text.
        static func text(_ p: UnsafePointer<UInt8>, _ cell: Range<Int>) -> String {
            String(decoding: UnsafeBufferPointer(start: p + cell.lowerBound, count: cell.count), as: UTF8.self)
        }

        /// The start of a cell for an error message.
        static func shown(_ p: UnsafePointer<UInt8>, _ cell: Range<Int>) -> String {
            String(text(p, cell).prefix(20))
        }
    }
}
