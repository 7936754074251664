import CHDF5
import Foundation

/// One open HDF5 dataset whose first dimension is "rows" (segments, subjects): created
/// chunked and extendable, read and written by row hyperslabs only, never whole.
final class H5Dataset: @unchecked Sendable {
    let context: H5Context
    let handle: H5Handle
    /// The dataset's absolute path in the file, for error messages.
    let path: String
    /// Rows read and read calls made through this handle (changed under the HDF5 lock);
    /// lets tests check that a read touches only the rows asked for.
    private(set) var rowsRead = 0
    private(set) var readCalls = 0

    private init(context: H5Context, handle: H5Handle, path: String) {
        self.context = context; self.handle = handle; self.path = path
    }

    // MARK: - Opening and creating

    /// Opens the dataset at `path`; a missing one is reported as such, naming the path.
    static func open(_ file: H5File, _ path: String) throws -> H5Dataset {
        guard file.kind(path) == H5I_DATASET else {
            throw StoreError(file.url, "missing dataset \(path)")
        }
        let h = try withHDF5(file.url) {
            try file.context.handle(H5Dopen2(file.handle.id, path, m2ae_H5P_DEFAULT()),
                                    "could not open dataset \(path)", close: H5Dclose)
        }
        return H5Dataset(context: file.context, handle: h, path: path)
    }

    /// How a dataset's chunks are filtered.
    enum Compression {
        /// Stored as is (dense floats such as fingerprints hardly compress).
        case none
        /// Byte shuffle then deflate at the given level (1–9).
        case shuffleDeflate(level: UInt32)
    }

    /// Creates a chunked dataset of `dims` (first dimension extendable without limit),
    /// creating missing parent groups.
    ///
    /// - Parameters:
    ///   - type: the native memory type (the file type is its little-endian equivalent).
    ///   - chunkRows: rows per chunk; the other dimensions are whole in every chunk.
    ///   - fill: the value unwritten elements read as.
    static func create<T: BitwiseCopyable>(_ file: H5File, _ path: String, type: hid_t, dims: [Int],
                                           chunkRows: Int, compression: Compression, fill: T) throws -> H5Dataset {
        let ctx = file.context
        let h = try withHDF5(file.url) {
            var current = dims.map { hsize_t($0) }
            var maximum = current
            maximum[0] = h5Unlimited
            let space = try ctx.handle(H5Screate_simple(Int32(dims.count), &current, &maximum),
                                       "could not create the dataspace of \(path)", close: H5Sclose)
            let dcpl = H5Pcreate(m2ae_H5P_DATASET_CREATE())
            defer { H5Pclose(dcpl) }
            var chunk = current
            chunk[0] = hsize_t(max(1, chunkRows))
            for i in 1..<max(chunk.count, 1) where chunk[i] == 0 { chunk[i] = 1 }
            try ctx.check(H5Pset_chunk(dcpl, Int32(chunk.count), &chunk), "could not set the chunking of \(path)")
            if case .shuffleDeflate(let level) = compression {
                H5Pset_shuffle(dcpl)
                H5Pset_deflate(dcpl, level)
            }
            var f = fill
            H5Pset_fill_value(dcpl, type, &f)
            H5Pset_obj_track_times(dcpl, false)   // no timestamps: the same data gives the same bytes
            let lcpl = H5Pcreate(m2ae_H5P_LINK_CREATE())
            defer { H5Pclose(lcpl) }
            H5Pset_create_intermediate_group(lcpl, 1)
            return try ctx.handle(H5Dcreate2(file.handle.id, path, H5Type.fileType(for: type), space.id,
                                             lcpl, dcpl, m2ae_H5P_DEFAULT()),
                                  "could not create dataset \(path)", close: H5Dclose)
        }
        return H5Dataset(context: ctx, handle: h, path: path)
    }

    /// Creates a variable-length UTF-8 string dataset of `rows` rows (empty strings until written).
    static func createStrings(_ file: H5File, _ path: String, rows: Int, chunkRows: Int) throws -> H5Dataset {
        let ctx = file.context
        let h = try withHDF5(file.url) {
            var current = [hsize_t(rows)]
            var maximum = [h5Unlimited]
            let space = try ctx.handle(H5Screate_simple(1, &current, &maximum),
                                       "could not create the dataspace of \(path)", close: H5Sclose)
            let dcpl = H5Pcreate(m2ae_H5P_DATASET_CREATE())
            defer { H5Pclose(dcpl) }
            var chunk = [hsize_t(max(1, chunkRows))]
            H5Pset_chunk(dcpl, 1, &chunk)
            H5Pset_deflate(dcpl, 4)
            H5Pset_obj_track_times(dcpl, false)
            let lcpl = H5Pcreate(m2ae_H5P_LINK_CREATE())
            defer { H5Pclose(lcpl) }
            H5Pset_create_intermediate_group(lcpl, 1)
            let type = H5Type.utf8String()
            return try ctx.handle(H5Dcreate2(file.handle.id, path, type.id, space.id, lcpl, dcpl, m2ae_H5P_DEFAULT()),
                                  "could not create dataset \(path)", close: H5Dclose)
        }
        return H5Dataset(context: ctx, handle: h, path: path)
    }

    // MARK: - Shape

    /// The current dimensions.
    func shape() throws -> [Int] {
        try withHDF5(context.url) {
            let space = try context.handle(H5Dget_space(handle.id), "could not read the shape of \(path)", close: H5Sclose)
            let rank = Int(H5Sget_simple_extent_ndims(space.id))
            guard rank >= 0 else { throw context.error("could not read the shape of \(path)") }
            var dims = [hsize_t](repeating: 0, count: rank)
            H5Sget_simple_extent_dims(space.id, &dims, nil)
            return dims.map { Int($0) }
        }
    }

    /// The dataset's element class (integer, float, string, …).
    func typeClass() throws -> H5T_class_t {
        try withHDF5(context.url) {
            let t = try context.handle(H5Dget_type(handle.id), "could not read the type of \(path)", close: H5Tclose)
            return H5Tget_class(t.id)
        }
    }

    /// The most rows the file really holds data for: allocated chunks × rows per chunk for a
    /// chunked dataset, allocated bytes over the bytes of a row otherwise. A dataset's extent
    /// costs nothing to claim (unallocated chunks read as the fill value), so a damaged or
    /// hostile file can announce 2⁶⁰ rows in a few bytes; a store this project writes stores
    /// every row it announces.
    ///
    /// - Complexity: O(allocated chunks) (HDF5 walks the chunk index).
    func storedRowCapacity() throws -> Int {
        let dims = try shape()
        guard let rows = dims.first, rows > 0 else { return 0 }
        return try withHDF5(context.url) {
            let dcpl = try context.handle(H5Dget_create_plist(handle.id), "could not read the layout of \(path)", close: H5Pclose)
            if H5Pget_layout(dcpl.id) == H5D_CHUNKED {
                var chunk = [hsize_t](repeating: 0, count: dims.count)
                guard H5Pget_chunk(dcpl.id, Int32(dims.count), &chunk) == Int32(dims.count) else {
                    throw context.error("could not read the chunk shape of \(path)")
                }
                var chunks: hsize_t = 0
                let space = try context.handle(H5Dget_space(handle.id), "could not read the shape of \(path)", close: H5Sclose)
                try context.check(H5Dget_num_chunks(handle.id, space.id, &chunks), "could not count the chunks of \(path)")
                // Chunks per band of rows (several when a row is split across chunks).
                let perBand = zip(dims.dropFirst(), chunk.dropFirst()).reduce(1) { $0 * max(1, ($1.0 + Int($1.1) - 1) / max(1, Int($1.1))) }
                let (capacity, overflow) = (Int(chunks) / max(1, perBand)).multipliedReportingOverflow(by: Int(chunk[0]))
                return overflow ? Int.max : capacity
            }
            let type = try context.handle(H5Dget_type(handle.id), "could not read the type of \(path)", close: H5Tclose)
            let rowBytes = max(1, dims.dropFirst().reduce(H5Tget_size(type.id)) { $0 * $1 })
            return Int(H5Dget_storage_size(handle.id)) / rowBytes
        }
    }

    /// Grows (or shrinks) the first dimension to `rows`.
    func setRows(_ rows: Int) throws {
        var dims = try shape().map { hsize_t($0) }
        dims[0] = hsize_t(rows)
        try withHDF5(context.url) { try context.check(H5Dset_extent(handle.id, &dims), "could not extend \(path) to \(rows) rows") }
    }

    // MARK: - Hyperslabs

    /// Selects rows `rows` (all of every other dimension) in the file space and builds the
    /// matching memory space, then runs `body(memSpace, fileSpace, elementCount)`.
    private func withRows<R>(_ rows: Range<Int>, _ body: (hid_t, hid_t, Int) throws -> R) throws -> R {
        let dims = try shape()
        guard rows.lowerBound >= 0, rows.upperBound <= dims[0] else {
            throw StoreError(context.url, "rows \(rows.lowerBound)..<\(rows.upperBound) out of range for \(path) (\(dims[0]) rows)")
        }
        return try withHDF5(context.url) {
            var start = [hsize_t](repeating: 0, count: dims.count)
            start[0] = hsize_t(rows.lowerBound)
            var count = dims.map { hsize_t($0) }
            count[0] = hsize_t(rows.count)
            let fileSpace = try context.handle(H5Dget_space(handle.id), "could not select rows of \(path)", close: H5Sclose)
            try context.check(H5Sselect_hyperslab(fileSpace.id, H5S_SELECT_SET, &start, nil, &count, nil),
                              "could not select rows \(rows) of \(path)")
            let memSpace = try context.handle(H5Screate_simple(Int32(count.count), &count, nil),
                                              "could not create a memory space for \(path)", close: H5Sclose)
            let elements = count.reduce(1) { $0 * Int($1) }
            return try body(memSpace.id, fileSpace.id, elements)
        }
    }

    /// Reads rows `rows` as `T` (HDF5 converts from the stored type), row-major.
    func read<T: BitwiseCopyable>(_ rows: Range<Int>, as type: hid_t, _: T.Type = T.self) throws -> [T] {
        if rows.isEmpty { _ = try withRows(rows) { _, _, _ in 0 }; return [] }
        return try withRows(rows) { mem, file, n in
            rowsRead += rows.count
            readCalls += 1
            return try [T](unsafeUninitializedCapacity: n) { buffer, count in
                let status = H5Dread(handle.id, type, mem, file, m2ae_H5P_DEFAULT(), buffer.baseAddress)
                try context.check(status, "could not read rows \(rows.lowerBound)..<\(rows.upperBound) of \(path)")
                count = n
            }
        }
    }

    /// Writes `values` (row-major, whole rows) starting at row `start`; the rows must exist.
    func write<T: BitwiseCopyable>(_ values: [T], at start: Int, rows: Int, as type: hid_t) throws {
        guard rows > 0 else { return }
        try withRows(start..<(start + rows)) { mem, file, n in
            precondition(values.count == n, "internal: \(values.count) values for \(n) elements of \(path)")
            try values.withUnsafeBufferPointer { p in
                try context.check(H5Dwrite(handle.id, type, mem, file, m2ae_H5P_DEFAULT(), p.baseAddress),
                                  "could not write rows \(start)..<\(start + rows) of \(path)")
            }
        }
    }

    /// Reads rows of a variable-length string dataset (unwritten rows read as "").
    func readStrings(_ rows: Range<Int>) throws -> [String] {
        if rows.isEmpty { _ = try withRows(rows) { _, _, _ in 0 }; return [] }
        return try withRows(rows) { mem, file, n in
            let type = H5Type.utf8String()
            var pointers = [UnsafeMutablePointer<CChar>?](repeating: nil, count: n)
            try context.check(H5Dread(handle.id, type.id, mem, file, m2ae_H5P_DEFAULT(), &pointers),
                              "could not read rows \(rows.lowerBound)..<\(rows.upperBound) of \(path)")
            defer { H5Dvlen_reclaim(type.id, mem, m2ae_H5P_DEFAULT(), &pointers) }
            return pointers.map { $0.map { String(cString: $0) } ?? "" }
        }
    }

    /// Writes strings starting at row `start`; the rows must exist.
    func writeStrings(_ values: [String], at start: Int) throws {
        guard !values.isEmpty else { return }
        try withRows(start..<(start + values.count)) { mem, file, _ in
            let type = H5Type.utf8String()
            var pointers: [UnsafePointer<CChar>?] = values.map { UnsafePointer(strdup($0)) }
            defer { for p in pointers { free(UnsafeMutablePointer(mutating: p)) } }
            try context.check(H5Dwrite(handle.id, type.id, mem, file, m2ae_H5P_DEFAULT(), &pointers),
                              "could not write rows \(start)..<\(start + values.count) of \(path)")
        }
    }
}
