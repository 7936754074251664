import CHDF5
import Foundation

// MARK: - Error context

/// Where an HDF5 call happened, for error messages: the file and what was being done.
struct H5Context {
    let url: URL

    /// A StoreError for `what`, with HDF5's own innermost message appended when there is one.
    func error(_ what: String) -> StoreError {
        let detail = hdf5ErrorMessage()
        return StoreError(url, detail.isEmpty ? what : "\(what) (HDF5: \(detail))")
    }

    /// Returns `id` wrapped in a handle, or throws `what` when HDF5 reported failure.
    func handle(_ id: hid_t, _ what: @autoclosure () -> String,
                close: @escaping (hid_t) -> herr_t) throws -> H5Handle {
        guard let h = H5Handle(id, close: close) else { throw error(what()) }
        return h
    }

    /// Throws `what` when an HDF5 status is negative.
    func check(_ status: herr_t, _ what: @autoclosure () -> String) throws {
        if status < 0 { throw error(what()) }
    }
}
