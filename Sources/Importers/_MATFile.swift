import CHDF5
import CMatio
import Foundation
import Store

/// One value of a MATLAB file, converted from libmatio's `matvar_t` tree into Swift values.
indirect enum MATNode: Sendable, Equatable {
    /// A real numeric or logical 2-D array: `rows × columns` values in MATLAB's column-major
    /// order (element (r, c) at `r + c·rows`), converted to Double as scipy.io.loadmat's
    /// float64 view of it would be.
    case numeric(rows: Int, columns: Int, values: [Double])
    /// A character array: one string per row (trailing blanks kept, as MATLAB pads them).
    case text([String])
    /// A 1×1 struct: its fields in file order.
    case structure([MATField])
    /// A struct array with more than one element (each a `.structure`), in column-major order.
    case structArray([MATNode])
    /// A cell array's elements in column-major order.
    case cells([MATNode])
    /// Anything else (complex, sparse, N-D, objects, function handles), by a short description.
    case other(String)

    /// A few words for messages: `7501 × 1 double`, `struct`, `1 × 3 cell`.
    var summary: String {
        switch self {
        case .numeric(let r, let c, _): "\(r) × \(c) numeric"
        case .text: "text"
        case .structure: "struct"
        case .structArray(let e): "struct array of \(e.count)"
        case .cells(let e): "cell array of \(e.count)"
        case .other(let what): what
        }
    }
}

/// A named field of a struct, or a variable of the file.
struct MATField: Sendable, Equatable {
    var name: String
    var node: MATNode
}

/// A MATLAB `.mat` file (version 4, 5 or 7.3) read whole through libmatio.
struct MATFile: Sendable {
    /// `MAT v5`, `MAT v7.3`, `MAT v4`.
    var version: String
    /// The 116-byte text header (`MATLAB 5.0 MAT-file, Platform: …`), trimmed; empty for v4.
    var header: String
    /// The file's variables in file order.
    var variables: [MATField]

    /// Reads every variable of the file at `url`.
    ///
    /// The sizes the file declares are checked before any data is read: all numeric data
    /// together may not exceed what the data could hold: 8 times the size of the uncompressed
    /// v5 data libmatio reads (a double stored as bytes; compressed variables are inflated
    /// first, to at most 1,032 times their size), or 1,032 times the file's size for v7.3.
    /// - Throws: `ImportError` naming the file when libmatio cannot open or read it, or a
    ///   declared size exceeds that bound.
    static func read(_ url: URL) throws -> MATFile {
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isFolder), !isFolder.boolValue else {
            throw isFolder.boolValue ? ImportError(url, "is a folder, not a MAT file") : .missing(path: url.path, problem: "no such file")
        }
        let fileSize = ((try? FileManager.default.attributesOfItem(atPath: url.path))?[.size] as? Int) ?? 0
        // libmatio keeps global state (its log function) and reads v7.3 through HDF5: every use
        // holds the Store's HDF5 lock.
        let uncompressed = try prepare(url, fileSize: fileSize)
        return try HDF5Library.serialised(reading: url, with: "libmatio") { try read(url, fileSize: fileSize, uncompressed: uncompressed) }
    }

    /// `read` once the file is checked (and its uncompressed copy written), holding the lock.
    private static func read(_ url: URL, fileSize: Int, uncompressed: (url: URL, bytes: Int)?) throws -> MATFile {
        m2ae_matio_silence()
        m2ae_H5_silence_errors()
        let opened = Mat_Open((uncompressed?.url ?? url).path, Int32(MAT_ACC_RDONLY.rawValue))
        if let uncompressed { try? FileManager.default.removeItem(at: uncompressed.url) }   // libmatio keeps it open
        guard let mat = opened else {
            throw ImportError(url, "not a MATLAB file libmatio can open (damaged, truncated or another format)")
        }
        defer { Mat_Close(mat) }
        let version: String
        switch Mat_GetVersion(mat) {
        case MAT_FT_MAT73: version = "MAT v7.3"
        case MAT_FT_MAT5: version = "MAT v5"
        case MAT_FT_MAT4: version = "MAT v4"
        default: version = "MAT"
        }
        let header = Mat_GetHeader(mat).map { String(cString: $0).trimmingCharacters(in: .whitespaces) } ?? ""

        // The variables' declared sizes, from their headers only, against what the data that
        // libmatio reads (the file, or its uncompressed copy) can hold.
        let readSize = uncompressed?.bytes ?? fileSize
        let budget = (version == "MAT v7.3" ? 1032 : 8) * max(readSize, 1) + 65536
        var names: [String] = []
        var declared = 0
        while let info = Mat_VarReadNextInfo(mat) {
            defer { Mat_VarFree(info) }
            let name = info.pointee.name.map { String(cString: $0) } ?? ""
            guard names.count < 100_000 else { throw ImportError(url, "more than 100000 variables") }
            guard let bytes = declaredBytes(info, depth: 0), case let (sum, o) = declared.addingReportingOverflow(bytes),
                  !o, sum <= budget else {
                throw ImportError(url, "variable '\(name)' declares more data than a \(fileSize)-byte file can hold")
            }
            declared = sum
            names.append(name)
        }
        guard Mat_Rewind(mat) == 0 else { throw ImportError(url, "libmatio cannot rewind the file") }
        var variables: [MATField] = []
        for name in names {
            guard let v = Mat_VarReadNext(mat) else { throw ImportError(url, "libmatio cannot read variable '\(name)' (damaged or truncated file)") }
            defer { Mat_VarFree(v) }
            let read = v.pointee.name.map { String(cString: $0) } ?? ""
            guard read == name else { throw ImportError(url, "damaged: variable '\(read)' where the headers listed '\(name)'") }
            guard !name.isEmpty else { continue }
            variables.append(MATField(name: name, node: try node(v, url: url, path: name, depth: 0)))
        }
        return MATFile(version: version, header: header, variables: variables)
    }

    // MARK: - Internal API

    /// Checks what libmatio does not, and hands it an uncompressed v5 image.
    ///
    /// A v5 file's variables (top-level data elements) must follow each other up to the end of
    /// the file; each compressed one is inflated here (its zlib stream must end exactly and hold
    /// one complete element, at most 1,032 times its size) and written uncompressed into a
    /// temporary file (in /dev/shm where it fits), which libmatio then reads without
    /// decompressing. libmatio itself reads a
    /// cut variable as zeros or stops without an error, and decompresses nested structs slowly.
    /// A v7.3 file must open in HDF5, which checks the end-of-file address its superblock
    /// records.
    /// - Returns: the temporary file to read instead of `url` (the caller removes it) and its
    /// size, or nil.
    static func prepare(_ url: URL, fileSize: Int) throws -> (url: URL, bytes: Int)? {
        guard let handle = FileHandle(forReadingAtPath: url.path) else { throw ImportError(url, "cannot open the file") }
        defer { try? handle.close() }
        let head = [UInt8]((try? handle.read(upToCount: 128)) ?? Data())
        guard head.count == 128, head[126] == UInt8(ascii: "I") && head[127] == UInt8(ascii: "M")
                || head[126] == UInt8(ascii: "M") && head[127] == UInt8(ascii: "I") else { return nil }   // v4 or not MATLAB
        let little = head[126] == UInt8(ascii: "I")
        func word(_ b: UnsafeRawBufferPointer, _ at: Int, _ n: Int) -> Int {
            (0..<n).reduce(0) { v, k in v | Int(b[at + (little ? k : n - 1 - k)]) << (8 * k) }
        }
        let version = head.withUnsafeBytes { word($0, 124, 2) }
        if version == 0x0200 {
            let opens = HDF5Library.serialised(reading: url) {
                m2ae_H5_silence_errors()                 // per thread in a thread-safe HDF5
                let fapl = H5Pcreate(m2ae_H5P_FILE_ACCESS())
                defer { H5Pclose(fapl) }
                H5Pset_file_locking(fapl, false, true)
                let file = H5Fopen(url.path, m2ae_H5F_ACC_RDONLY(), fapl)
                if file >= 0 { H5Fclose(file) }
                return file >= 0
            }
            guard opens else { throw ImportError(url, "damaged or truncated MAT v7.3 (HDF5) file") }
            return nil
        }
        guard version == 0x0100 else { return nil }
        try handle.seek(toOffset: 0)
        let file = try handle.readToEnd() ?? Data()
        guard file.count == fileSize else { throw ImportError(url, "short read: \(file.count) of \(fileSize) bytes") }
        var image = Data(file.prefix(128))
        var compressed = 0
        try file.withUnsafeBytes { b in
            var at = 128, element = 0
            while fileSize - at >= 8 {
                element += 1
                let type = word(b, at, 4)
                if type >> 16 != 0 {                             // a small data element: tag and data in 8 bytes
                    image.append(contentsOf: b[at..<(at + 8)]); at += 8; continue
                }
                let size = word(b, at + 4, 4)
                let padded = type == 15 ? size : (size + 7) / 8 * 8  // compressed elements are not padded
                guard padded <= fileSize - at - 8 else {
                    throw ImportError(url, "truncated: variable \(element) at byte \(at) needs \(size) bytes, the file has \(fileSize - at - 8) after its tag")
                }
                if type == 15 {
                    try inflate(UnsafeRawBufferPointer(rebasing: b[(at + 8)..<(at + 8 + size)]), onto: &image, little: little,
                                url: url, element: element)
                    compressed += 1
                } else {
                    image.append(contentsOf: b[at..<(at + 8 + padded)])
                }
                at += 8 + padded
            }
            guard at == fileSize else {
                throw ImportError(url, "truncated: \(fileSize - at) bytes at the end, too few for another variable")
            }
        }
        try image.withUnsafeBytes { b in
            var at = 128, element = 0
            while b.count - at >= 8 {
                element += 1
                let e = try subelement(b, at: at, end: b.count, little: little, url: url, element: element)
                if e.type == 14, !e.data.isEmpty { try checkMatrix(b, e.data, little: little, depth: 0, url: url, element: element) }
                at = e.next
            }
        }
        guard compressed > 0 else { return nil }
        // In memory (/dev/shm) where there is room, else the temporary folder.
        var failure = ""
        for folder in [URL(fileURLWithPath: "/dev/shm"), FileManager.default.temporaryDirectory] {
            let temporary = folder.appendingPathComponent("m2ae-mat-\(UUID().uuidString).mat")
            do {
                try image.write(to: temporary)
                return (temporary, image.count)
            } catch {
                try? FileManager.default.removeItem(at: temporary)
                failure = "\(temporary.path): \(error.localizedDescription)"
            }
        }
        throw ImportError(url, "cannot write its uncompressed copy (\(failure))")
    }

    /// Inflates one compressed variable's zlib stream (which must end exactly where `input`
    /// ends) onto the end of `image`, padded to 8 bytes: the uncompressed element it holds, whose
    /// own tag (its first 8 bytes) gives its size, so the image grows once to that size (at most
    /// 1,032 times the input) and zlib writes straight into it.
    static func inflate(_ input: UnsafeRawBufferPointer, onto image: inout Data, little: Bool, url: URL, element: Int) throws {
        var stream = z_stream()
        guard m2ae_inflate_init(&stream) == Z_OK else { throw ImportError(url, "zlib cannot start inflating") }
        defer { inflateEnd(&stream) }
        func damaged(_ what: String) -> ImportError { ImportError(url, "damaged or truncated: compressed variable \(element) \(what)") }
        stream.next_in = UnsafeMutablePointer(mutating: input.baseAddress?.assumingMemoryBound(to: Bytef.self))
        stream.avail_in = uInt(input.count)
        // The element's tag: type and size.
        var tag = [UInt8](repeating: 0, count: 8)
        var status = tag.withUnsafeMutableBufferPointer { t in
            stream.next_out = t.baseAddress; stream.avail_out = 8
            return CMatio.inflate(&stream, Z_NO_FLUSH)
        }
        guard status == Z_OK || status == Z_STREAM_END, stream.avail_out == 0 else { throw damaged("does not inflate to an element (zlib status \(status))") }
        let size = (0..<4).reduce(0) { v, k in v | Int(tag[4 + (little ? k : 3 - k)]) << (8 * k) }
        let limit = 1032 * input.count + 1024
        guard size <= limit else { throw damaged("claims \(size) bytes, more than \(input.count) compressed bytes can hold") }
        let start = image.count
        image.append(contentsOf: tag)
        image.count = start + (8 + size + 7) / 8 * 8
        if size > 0 {
            status = image.withUnsafeMutableBytes { b in
                stream.next_out = b.baseAddress!.assumingMemoryBound(to: Bytef.self) + start + 8
                stream.avail_out = uInt(size)
                return CMatio.inflate(&stream, Z_FINISH)
            }
        }
        if status == Z_OK || status == Z_BUF_ERROR && stream.avail_out == 0 {
            // everything the element holds is out; only the stream's end (its checksum) may remain
            var spare: UInt8 = 0
            status = withUnsafeMutablePointer(to: &spare) { p in
                stream.next_out = p; stream.avail_out = 1
                return CMatio.inflate(&stream, Z_FINISH)
            }
            guard stream.avail_out == 1 else { throw damaged("inflates to more than its element's \(8 + size) bytes") }
        }
        guard status == Z_STREAM_END, stream.avail_out == 0 || size == 0 else {
            throw damaged(stream.avail_out > 0 ? "inflates to fewer than its element's \(8 + size) bytes" : "does not inflate (zlib status \(status))")
        }
        guard stream.avail_in == 0 else { throw damaged("is followed by \(stream.avail_in) bytes inside its element") }
    }

    /// One data element of a v5 image at `at` (before `end`): its type, its data's byte range and
    /// where the next element starts; the small format packs tag and up to 4 bytes into 8.
    static func subelement(_ b: UnsafeRawBufferPointer, at: Int, end: Int, little: Bool, url: URL,
                           element: Int) throws -> (type: Int, data: Range<Int>, next: Int) {
        func word(_ at: Int) -> Int { (0..<4).reduce(0) { v, k in v | Int(b[at + (little ? k : 3 - k)]) << (8 * k) } }
        let damaged = ImportError(url, "damaged: variable \(element) has an element that runs past its end (byte \(at))")
        guard end - at >= 8 else { throw damaged }
        let tag = word(at)
        if tag >> 16 != 0 {
            let size = tag >> 16
            guard size <= 4 else { throw damaged }
            return (tag & 0xFFFF, (at + 4)..<(at + 4 + size), at + 8)
        }
        let size = word(at + 4)
        let padded = (size + 7) / 8 * 8
        guard padded <= end - at - 8 else { throw damaged }
        return (tag, (at + 8)..<(at + 8 + size), at + 8 + padded)
    }

    /// Checks a v5 matrix element (its data in `data`) before libmatio reads it: dimensions are
    /// non-negative and their product does not overflow, and a struct's or cell's elements
    /// (each at least an 8-byte tag) fit in the bytes it has, recursively. libmatio allocates
    /// an array of pointers per struct or cell from the dimensions alone (a mutated file once
    /// asked it for 64 GB) and reads negative ones as huge sizes.
    static func checkMatrix(_ b: UnsafeRawBufferPointer, _ data: Range<Int>, little: Bool, depth: Int, url: URL, element: Int) throws {
        func damaged(_ what: String) -> ImportError { ImportError(url, "damaged: variable \(element) \(what)") }
        guard depth < maxDepth else { throw damaged("nests structs or cells deeper than \(maxDepth)") }
        func int32(_ at: Int) -> Int {
            let u = (0..<4).reduce(UInt32(0)) { v, k in v | UInt32(b[at + (little ? k : 3 - k)]) << (8 * k) }
            return Int(Int32(bitPattern: u))
        }
        var at = data.lowerBound
        let flags = try subelement(b, at: at, end: data.upperBound, little: little, url: url, element: element)
        guard flags.data.count >= 4 else { throw damaged("has no array flags") }
        let mxClass = little ? Int(b[flags.data.lowerBound]) : Int(b[flags.data.lowerBound + 3])
        at = flags.next
        let dims = try subelement(b, at: at, end: data.upperBound, little: little, url: url, element: element)
        guard dims.data.count >= 8, dims.data.count % 4 == 0 else { throw damaged("has no dimensions") }
        var count = 1
        for d in stride(from: dims.data.lowerBound, to: dims.data.upperBound, by: 4) {
            let n = int32(d)
            guard n >= 0 else { throw damaged("has a negative dimension (\(n))") }
            let (product, overflow) = count.multipliedReportingOverflow(by: n)
            guard !overflow else { throw damaged("has dimensions whose product overflows") }
            count = product
        }
        at = try subelement(b, at: dims.next, end: data.upperBound, little: little, url: url, element: element).next   // the name
        var children = 0
        switch mxClass {
        case 1:                                                   // cell: one matrix per element
            children = count
        case 2, 3:                                                // struct, object: one matrix per element and field
            if mxClass == 3 { at = try subelement(b, at: at, end: data.upperBound, little: little, url: url, element: element).next }
            let length = try subelement(b, at: at, end: data.upperBound, little: little, url: url, element: element)
            guard length.data.count == 4 else { throw damaged("has no field name length") }
            let fieldLength = int32(length.data.lowerBound)
            let names = try subelement(b, at: length.next, end: data.upperBound, little: little, url: url, element: element)
            guard fieldLength > 0, names.data.count % fieldLength == 0 else { throw damaged("has a bad field name length (\(fieldLength))") }
            let (product, overflow) = count.multipliedReportingOverflow(by: names.data.count / fieldLength)
            guard !overflow else { throw damaged("has more fields than its size can hold") }
            children = product
            at = names.next
        default:
            return
        }
        guard children <= (data.upperBound - at) / 8 else {
            throw damaged("declares \(children) struct or cell elements, more than its \(data.count) bytes can hold")
        }
        for _ in 0..<children {
            let child = try subelement(b, at: at, end: data.upperBound, little: little, url: url, element: element)
            if child.type == 14, !child.data.isEmpty { try checkMatrix(b, child.data, little: little, depth: depth + 1, url: url, element: element) }
            at = child.next
        }
    }

    /// Structs and cells nest at most this deep (deeper is treated as damage).
    static let maxDepth = 32

    /// The bytes a variable's numeric data will take, from its header alone (nil on overflow
    /// or a nesting deeper than `maxDepth`).
    static func declaredBytes(_ v: UnsafeMutablePointer<matvar_t>, depth: Int) -> Int? {
        guard depth < maxDepth else { return nil }
        let m = v.pointee
        var count = 1
        for d in 0..<Int(max(m.rank, 0)) {
            guard let dims = m.dims else { return nil }
            let (c, o) = count.multipliedReportingOverflow(by: Int(clamping: dims[d]))
            if o { return nil }
            count = c
        }
        switch m.class_type {
        case MAT_C_STRUCT:
            let fields = Int(Mat_VarGetNumberOfFields(v))
            var total = 0
            for e in 0..<min(count, 1 << 20) {
                for f in 0..<fields {
                    guard let field = Mat_VarGetStructFieldByIndex(v, f, e) else { continue }
                    guard let b = declaredBytes(field, depth: depth + 1) else { return nil }
                    let (t, o) = total.addingReportingOverflow(b)
                    if o { return nil }
                    total = t
                }
            }
            return total
        case MAT_C_CELL:
            var total = 0
            for e in 0..<min(count, 1 << 20) {
                guard let cell = Mat_VarGetCell(v, Int32(clamping: e)) else { continue }
                guard let b = declaredBytes(cell, depth: depth + 1) else { return nil }
                let (t, o) = total.addingReportingOverflow(b)
                if o { return nil }
                total = t
            }
            return total
        default:
            let (b, o) = count.multipliedReportingOverflow(by: max(1, Mat_SizeOfClass(Int32(m.class_type.rawValue))) * (m.isComplex != 0 ? 2 : 1))
            return o ? nil : b
        }
    }

    /// Converts a read `matvar_t` (and everything inside it) to a `MATNode`.
    static func node(_ v: UnsafeMutablePointer<matvar_t>, url: URL, path: String, depth: Int) throws -> MATNode {
        guard depth < maxDepth else { throw ImportError(url, "'\(path)' nests deeper than \(maxDepth) levels") }
        let m = v.pointee
        let rank = Int(m.rank)
        guard rank >= 0, rank <= 32, rank == 0 || m.dims != nil else { throw ImportError(url, "'\(path)' has a bad rank \(m.rank)") }
        let dims = (0..<rank).map { Int(clamping: m.dims[$0]) }
        var count = 1
        for d in dims {
            let (c, o) = count.multipliedReportingOverflow(by: d)
            guard !o else { throw ImportError(url, "'\(path)' has impossible dimensions \(dims)") }
            count = c
        }
        switch m.class_type {
        case MAT_C_STRUCT:
            let fields = Int(Mat_VarGetNumberOfFields(v))
            let names = Mat_VarGetStructFieldnames(v)
            func element(_ e: Int) throws -> MATNode {
                var out: [MATField] = []
                for f in 0..<fields {
                    let name = names?[f].map { String(cString: $0) } ?? "field\(f)"
                    guard let field = Mat_VarGetStructFieldByIndex(v, f, e) else { continue }
                    out.append(MATField(name: name, node: try node(field, url: url, path: path + "." + name, depth: depth + 1)))
                }
                return .structure(out)
            }
            if count == 1 { return try element(0) }
            return .structArray(try (0..<count).map(element))
        case MAT_C_CELL:
            return .cells(try (0..<count).map { e in
                guard let cell = Mat_VarGetCell(v, Int32(clamping: e)) else { return .other("empty cell") }
                return try node(cell, url: url, path: path + "{\(e)}", depth: depth + 1)
            })
        case MAT_C_CHAR:
            guard rank == 2 else { return .other("\(rank)-D text") }
            return .text(try characters(m, rows: dims[0], columns: dims[1], url: url, path: path))
        case MAT_C_DOUBLE, MAT_C_SINGLE, MAT_C_INT8, MAT_C_UINT8, MAT_C_INT16, MAT_C_UINT16,
             MAT_C_INT32, MAT_C_UINT32, MAT_C_INT64, MAT_C_UINT64:
            guard m.isComplex == 0 else { return .other("complex") }
            guard rank == 2 else { return .other("\(dims.map(String.init).joined(separator: " × ")) array") }
            return .numeric(rows: dims[0], columns: dims[1], values: try numbers(m, count: count, url: url, path: path))
        case MAT_C_SPARSE: return .other("sparse")
        case MAT_C_EMPTY: return .numeric(rows: 0, columns: 0, values: [])
        default: return .other("MATLAB class \(m.class_type.rawValue)")
        }
    }

    /// The values of a numeric variable as Double, in column-major order.
    static func numbers(_ m: matvar_t, count: Int, url: URL, path: String) throws -> [Double] {
        guard count > 0 else { return [] }
        guard let data = m.data else { throw ImportError(url, "'\(path)' has no data (damaged file)") }
        func convert<T>(_ type: T.Type, _ f: (T) -> Double) throws -> [Double] {
            guard Int(m.data_size) == MemoryLayout<T>.size, m.nbytes >= count * MemoryLayout<T>.size else {
                throw ImportError(url, "'\(path)' holds \(m.nbytes) bytes, \(count) values need \(count * MemoryLayout<T>.size)")
            }
            let p = data.assumingMemoryBound(to: T.self)
            return (0..<count).map { f(p[$0]) }
        }
        switch m.data_type {
        case MAT_T_DOUBLE: return try convert(Double.self) { $0 }
        case MAT_T_SINGLE: return try convert(Float.self) { Double($0) }
        case MAT_T_INT8: return try convert(Int8.self) { Double($0) }
        case MAT_T_UINT8: return try convert(UInt8.self) { Double($0) }
        case MAT_T_INT16: return try convert(Int16.self) { Double($0) }
        case MAT_T_UINT16: return try convert(UInt16.self) { Double($0) }
        case MAT_T_INT32: return try convert(Int32.self) { Double($0) }
        case MAT_T_UINT32: return try convert(UInt32.self) { Double($0) }
        case MAT_T_INT64: return try convert(Int64.self) { Double($0) }
        case MAT_T_UINT64: return try convert(UInt64.self) { Double($0) }
        default: throw ImportError(url, "'\(path)' has numeric class with data type \(m.data_type.rawValue)")
        }
    }

    /// The rows of a character array (1- or 2-byte characters, column-major).
    static func characters(_ m: matvar_t, rows: Int, columns: Int, url: URL, path: String) throws -> [String] {
        let count = rows * columns
        guard count > 0 else { return Array(repeating: "", count: rows) }
        guard let data = m.data, m.data_size == 1 || m.data_size == 2, m.nbytes >= count * Int(m.data_size) else {
            throw ImportError(url, "'\(path)' is a character array without its data (damaged file)")
        }
        return (0..<rows).map { r in
            if m.data_size == 1 {
                let p = data.assumingMemoryBound(to: UInt8.self)
                return String(decoding: (0..<columns).map { p[r + $0 * rows] }, as: UTF8.self)
            }
            let p = data.assumingMemoryBound(to: UInt16.self)
            return String(decoding: (0..<columns).map { p[r + $0 * rows] }, as: UTF16.self)
        }
    }
}
