import CHDF5
import Foundation
import Signals

// MARK: - Internal API: checks made when a store is opened

/// The checks `RecordStore` makes on open beyond shapes and types, so that every reader can
/// trust a row's values: every announced row is stored, subject indices point into the subject
/// table, start times and rates are finite and non-negative, quality bytes hold only defined
/// flags, device delays are unmeasured (NaN) or inside `DeviceDelay.plausible`, and every
/// fingerprint matrix has one row per segment and its model's width.
///
/// The per-segment columns are read in slices of ``sliceRows`` rows, so memory stays bounded
/// whatever the store's size.
///
/// - Complexity: O(N) for N segments, reading 38 bytes a segment.
enum StoreValidation {
    /// Rows read at a time.
    static let sliceRows = 65_536
    /// Every quality bit that has a meaning.
    static let definedQualityBits: UInt8 = QualityFlags.named.reduce(0) { $0 | $1.0.rawValue }

    /// Checks that `dataset` stores every one of its rows.
    static func checkStored(_ dataset: H5Dataset, url: URL) throws {
        let rows = try dataset.shape().first ?? 0
        let stored = try dataset.storedRowCapacity()
        guard rows <= stored else {
            throw StoreError(url, "\(dataset.path) announces \(rows) rows but stores data for \(stored): the file is damaged")
        }
    }

    /// Checks the values of the per-segment columns, slice by slice.
    static func checkColumns(_ columns: SegmentColumns, rows: Int, subjects: Int, url: URL) throws {
        var from = 0
        while from < rows {
            let range = from..<min(rows, from + sliceRows)
            let subject: [Int32] = try columns.subject.read(range, as: H5Type.int32)
            if let k = subject.firstIndex(where: { $0 < 0 || Int($0) >= subjects }) {
                throw StoreError(url, "\(columns.subject.path) row \(from + k): subject index \(subject[k]) is outside the subject table (\(subjects) subjects)")
            }
            for (d, what) in [(columns.start, "start time"), (columns.ecgRate, "sampling rate"), (columns.ppgRate, "sampling rate")] {
                let values: [Double] = try d.read(range, as: H5Type.float64)
                if let k = values.firstIndex(where: { !$0.isFinite || $0 < 0 }) {
                    throw StoreError(url, "\(d.path) row \(from + k): \(what) \(values[k]) is not a finite non-negative number")
                }
            }
            for m in Modality.allCases {
                let d = columns.quality[m]!
                let bytes: [UInt8] = try d.read(range, as: H5Type.uint8)
                if let k = bytes.firstIndex(where: { $0 & ~definedQualityBits != 0 }) {
                    throw StoreError(url, "\(d.path) row \(from + k): quality byte \(bytes[k]) sets undefined flag bits (defined: \(definedQualityBits))")
                }
            }
            if let d = columns.ppgDelay {
                let delays: [Double] = try d.read(range, as: H5Type.float64)
                if let k = delays.firstIndex(where: { !$0.isNaN && !DeviceDelay.plausible.contains($0) }) {
                    throw StoreError(url, "\(d.path) row \(from + k): device delay \(delays[k]) s is outside \(DeviceDelay.plausible.lowerBound)–\(DeviceDelay.plausible.upperBound) s, where delays are measured")
                }
            }
            from = range.upperBound
        }
    }

    /// Checks every fingerprint matrix of every model: one row per segment, at least one
    /// column, the same width in every mode, and the model's `fingerprint_dim` when it says one.
    static func checkFingerprints(_ file: H5File, models: [String], rows: Int, url: URL) throws {
        for id in models {
            let attributes = try H5Attributes(context: file.context, object: try file.object(StoreLayout.model(id)),
                                              path: StoreLayout.model(id)).all()
            var width = attributes["fingerprint_dim"].map { Int($0) ?? -1 }
            if width == -1 {
                throw StoreError(url, "\(StoreLayout.model(id)) has a fingerprint_dim attribute '\(attributes["fingerprint_dim"]!)' that is not a number")
            }
            for mode in FingerprintMode.allCases {
                let path = StoreLayout.fingerprints(model: id, mode: mode)
                guard file.kind(path) == H5I_DATASET else { continue }
                let shape = try H5Dataset.open(file, path).shape()
                guard shape.count == 2, shape[0] == rows, shape[1] >= 1 else {
                    throw StoreError(url, "\(path) has shape \(shape), expected [\(rows), fingerprint width]")
                }
                if let w = width, shape[1] != w {
                    throw StoreError(url, "\(path) is \(shape[1]) wide, the model's fingerprints are \(w) wide")
                }
                width = shape[1]
            }
        }
    }
}
