import CHDF5
import Foundation

// MARK: - Error context

/// Where an HDF5 call happened, for error messages: the file and what was being done.
struct H5Context {
    let url: URL

    /// A StoreError for `what`, with HDF5's own innermost message appended when there is one.
    func error(_ what: String) -> StoreError {
        StoreError(url, Self.describe(what, hdf5Message: hdf5ErrorMessage()))
    }

    /// `what`, with HDF5's message on one line: an operating-system failure (HDF5 reports
    /// `…, errno = 28, error message = 'No space left on device', …` across several lines)
    /// as its reason alone, any other message in parentheses.
    static func describe(_ what: String, hdf5Message detail: String) -> String {
        if let start = detail.range(of: "error message = '"),
           let end = detail[start.upperBound...].firstIndex(of: "'") {
            return "\(what): \(detail[start.upperBound..<end])"
        }
        let flat = detail.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }.joined(separator: " ")
        return flat.isEmpty ? what : "\(what) (HDF5: \(flat))"
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
