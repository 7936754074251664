import CHDF5
import Foundation

/// An open HDF5 file plus the small set of object operations the store needs: existence
/// checks along a path, groups, listing, links. Every call holds the HDF5 lock.
final class H5File: @unchecked Sendable {
    let context: H5Context
    let handle: H5Handle
    var url: URL { context.url }

    // MARK: - Opening

    /// How a file is opened.
    enum Mode { case readOnly, readWrite, create }

    /// Opens or creates `url`. Opening checks the HDF5 signature first, so "not HDF5",
    /// "missing" and "damaged" are told apart.
    init(_ url: URL, mode: Mode) throws {
        context = H5Context(url: url)
        let ctx = context
        handle = try withHDF5(url) {
            let fapl = H5Pcreate(m2ae_H5P_FILE_ACCESS())
            defer { H5Pclose(fapl) }
            // 1009 slots, 16 MiB of chunk cache per dataset: a 64-row signal chunk is 320 KB.
            H5Pset_cache(fapl, 0, 1009, 16 << 20, 0.75)
            // No file locks. Every write goes to a private temporary file that is renamed over
            // the store (AtomicReplace), so no two processes ever write one file and readers need
            // no lock. HDF5's flock locks also outlive `H5Fclose` in any child process that
            // inherited the descriptor, which made a store written and reopened while another
            // thread spawned a process fail with "unable to lock file, errno = 11".
            H5Pset_file_locking(fapl, false, true)
            switch mode {
            case .create:
                return try ctx.handle(H5Fcreate(url.path, m2ae_H5F_ACC_EXCL(), m2ae_H5P_DEFAULT(), fapl),
                                      "could not create the file", close: H5Fclose)
            case .readOnly, .readWrite:
                guard FileManager.default.fileExists(atPath: url.path) else {
                    throw StoreError(url, "no such file")
                }
                guard H5Fis_hdf5(url.path) > 0 else {
                    H5Eclear2(0)
                    throw StoreError(url, "not an HDF5 file (no HDF5 signature); make a store with `m2ae synth` or `m2ae import`")
                }
                let flags = mode == .readOnly ? m2ae_H5F_ACC_RDONLY() : m2ae_H5F_ACC_RDWR()
                guard let h = H5Handle(H5Fopen(url.path, flags, fapl), close: H5Fclose) else {
                    throw StoreError(url, Self.openFailure(hdf5Message: hdf5ErrorMessage()))
                }
                return h
            }
        }
    }

    /// The one-line problem for a file that has the HDF5 signature but did not open: a lock
    /// held by another process (possible when `HDF5_USE_FILE_LOCKING` turns locks back on) is
    /// not damage, and a permission error is neither.
    static func openFailure(hdf5Message detail: String) -> String {
        if detail.contains("unable to lock file") {
            return "in use by another process (it holds an HDF5 file lock); try again when it has finished"
        }
        if detail.localizedCaseInsensitiveContains("permission denied") {
            return "permission denied"
        }
        return H5Context.describe("damaged or truncated HDF5 file, cannot open it", hdf5Message: detail)
    }

    /// Writes buffered data to disk.
    func flush() throws {
        try withHDF5(context.url) { try context.check(H5Fflush(handle.id, H5F_SCOPE_GLOBAL), "could not flush the file") }
    }

    // MARK: - Objects

    /// True when every component of the absolute `path` exists (H5Lexists alone fails on
    /// a missing intermediate group).
    func exists(_ path: String) -> Bool {
        withHDF5(context.url) {
            var prefix = ""
            for part in path.split(separator: "/") {
                prefix += "/" + part
                guard H5Lexists(handle.id, prefix, m2ae_H5P_DEFAULT()) > 0 else { H5Eclear2(0); return false }
            }
            return true
        }
    }

    /// What kind of object sits at `path`, or nil when nothing does.
    func kind(_ path: String) -> H5I_type_t? {
        guard path == "/" || exists(path) else { return nil }
        return withHDF5(context.url) {
            let o = H5Oopen(handle.id, path, m2ae_H5P_DEFAULT())
            guard o >= 0 else { H5Eclear2(0); return nil }
            defer { H5Oclose(o) }
            return H5Iget_type(o)
        }
    }

    /// Opens the group at `path`.
    func group(_ path: String) throws -> H5Handle {
        try withHDF5(context.url) {
            try context.handle(H5Gopen2(handle.id, path, m2ae_H5P_DEFAULT()), "no group \(path)", close: H5Gclose)
        }
    }

    /// Opens the group at `path`, creating it and any missing parents.
    func groupCreating(_ path: String) throws -> H5Handle {
        if path == "/" || exists(path) { return try group(path) }
        return try withHDF5(context.url) {
            let lcpl = H5Pcreate(m2ae_H5P_LINK_CREATE())
            defer { H5Pclose(lcpl) }
            H5Pset_create_intermediate_group(lcpl, 1)
            let gcpl = H5Pcreate(m2ae_H5P_GROUP_CREATE())
            defer { H5Pclose(gcpl) }
            H5Pset_obj_track_times(gcpl, false)   // no timestamps: the same data gives the same bytes
            return try context.handle(H5Gcreate2(handle.id, path, lcpl, gcpl, m2ae_H5P_DEFAULT()),
                                      "could not create group \(path)", close: H5Gclose)
        }
    }

    /// The names of the links in the group at `path`, in name order (empty when absent).
    func children(_ path: String) throws -> [String] {
        guard kind(path) == H5I_GROUP else { return [] }
        return try withHDF5(context.url) {
            let g = try group(path)
            var info = H5G_info_t()
            try context.check(H5Gget_info(g.id, &info), "could not list \(path)")
            var names: [String] = []
            for i in 0..<info.nlinks {
                let size = H5Lget_name_by_idx(g.id, ".", H5_INDEX_NAME, H5_ITER_INC, i, nil, 0, m2ae_H5P_DEFAULT())
                guard size >= 0 else { throw context.error("could not list \(path)") }
                var buffer = [CChar](repeating: 0, count: Int(size) + 1)
                H5Lget_name_by_idx(g.id, ".", H5_INDEX_NAME, H5_ITER_INC, i, &buffer, buffer.count, m2ae_H5P_DEFAULT())
                names.append(String(decoding: buffer.prefix(Int(size)).map { UInt8(bitPattern: $0) }, as: UTF8.self))
            }
            return names
        }
    }

    /// Removes the link at `path` (the space is not reclaimed until the file is repacked).
    func unlink(_ path: String) throws {
        try withHDF5(context.url) { try context.check(H5Ldelete(handle.id, path, m2ae_H5P_DEFAULT()), "could not remove \(path)") }
    }

    /// Opens the object (group or dataset) at `path`, for attributes.
    func object(_ path: String) throws -> H5Handle {
        try withHDF5(context.url) {
            try context.handle(H5Oopen(handle.id, path, m2ae_H5P_DEFAULT()), "no object \(path)", close: H5Oclose)
        }
    }
}

extension H5File {
    /// Copies the group or dataset at `path` of `source` (with everything below it and its
    /// attributes) to the same path in this file, creating missing parent groups.
    func copy(_ path: String, from source: H5File) throws {
        try withHDF5(context.url) {
            let lcpl = H5Pcreate(m2ae_H5P_LINK_CREATE())
            defer { H5Pclose(lcpl) }
            H5Pset_create_intermediate_group(lcpl, 1)
            try context.check(H5Ocopy(source.handle.id, path, handle.id, path, m2ae_H5P_DEFAULT(), lcpl), "could not copy \(path)")
        }
    }
}
