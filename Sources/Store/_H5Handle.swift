import CHDF5

// MARK: - Handles

/// An HDF5 identifier that is closed when the last reference goes away (RAII).
final class H5Handle: @unchecked Sendable {
    /// The raw identifier; valid while this object lives.
    let id: hid_t
    private let close: (hid_t) -> herr_t

    /// Wraps `id`, or returns nil when `id` is negative (the HDF5 failure value).
    init?(_ id: hid_t, close: @escaping (hid_t) -> herr_t) {
        guard id >= 0 else { return nil }
        self.id = id
        self.close = close
    }

    deinit { withHDF5 { _ = close(id) } }
}
