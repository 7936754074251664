import CHDF5
import Foundation

/// A paired-record store opened for reading: opening checks the magic and schema version
/// and reads only the small tables (subjects, labels, root attributes, model list); every signal,
/// metadata or matrix read is a hyperslab of the rows asked for.
///
/// Safe to share between threads: all HDF5 calls are serialised by one lock.
public final class RecordStore: @unchecked Sendable {
    /// The store's path.
    public let url: URL
    /// Number of segments (rows of every per-segment dataset).
    public let segmentCount: Int
    /// The subject table, indexed by `SegmentMeta.subjectIndex`.
    public let subjects: [Subject]
    /// Root attributes other than `format` and `schema_version` (provenance: "generator",
    /// "command", …), as text.
    public let attributes: [String: String]
    /// Models with at least one fingerprint matrix in this store, in name order.
    public let modelIDs: [String]
    /// The general label table (`/labels`), in name order; empty in a store without one.
    public let labels: [Label]
    /// The file that was opened: a writer compares it before committing results computed
    /// from this store (`StoreEditor.edit(_:expecting:_:)`).
    public let identity: FileIdentity
    /// False for a fingerprint-only export (`m2ae export`): no `/signals`, so `signals` and
    /// `segment` throw, while metadata, labels, fingerprints and matrices read as usual.
    public let hasWaveforms: Bool
    /// Why a fingerprint-only store cannot give samples.
    public static let noWaveformsProblem = "no waveforms in this store (a fingerprint-only export from `m2ae export`): it holds ids, labels, segment metadata and fingerprints only"

    let file: H5File
    let signalSets: [Modality: H5Dataset]
    private let columns: SegmentColumns

    // MARK: - Opening

    /// Opens the store at `url`.
    ///
    /// - Throws: `StoreError` naming the file when it is missing, not HDF5, damaged or
    ///   truncated, not an m2ae store, of another schema version, missing a dataset, with
    ///   inconsistent shapes, or with a row whose values no store can hold (``StoreValidation``:
    ///   the error names the dataset and the row).
    /// - Complexity: O(N) for N segments: the per-segment columns are checked in bounded slices.
    public init(url: URL) throws {
        self.url = url
        let before = try? FileIdentity(of: url)
        file = try H5File(url, mode: .readOnly)
        identity = try FileIdentity(of: url)
        guard before == identity else {
            throw StoreError(url, "the store was replaced while it was being opened; try again")
        }
        let root = H5Attributes(context: file.context, object: try file.object("/"), path: "/")
        try Self.checkHeader(root, url: url)
        var attrs = try root.all()
        for k in StoreLayout.reservedAttributes { attrs.removeValue(forKey: k) }
        attributes = attrs

        // A fingerprint-only export (`StoreExport`) says so in its root attribute and has no
        // /signals; any other store without them is damaged and fails below.
        hasWaveforms = attrs[StoreLayout.waveformsAttribute] != StoreLayout.noWaveforms || file.kind("/signals") != nil
        var sets: [Modality: H5Dataset] = [:]
        for m in Modality.allCases where hasWaveforms {
            let d = try H5Dataset.open(file, StoreLayout.signals(m))
            let shape = try d.shape()
            guard shape.count == 2, shape[1] == SegmentFormat.samples else {
                throw StoreError(url, "\(d.path) has shape \(shape), expected [N, \(SegmentFormat.samples)]")
            }
            sets[m] = d
        }
        signalSets = sets
        segmentCount = try hasWaveforms ? sets[.ecg]!.shape()[0] : H5Dataset.open(file, StoreLayout.Segments.subject).shape()[0]
        guard try !hasWaveforms || sets[.ppg]!.shape()[0] == segmentCount else {
            throw StoreError(url, "\(StoreLayout.signals(.ppg)) has \(try sets[.ppg]!.shape()[0]) rows, \(StoreLayout.signals(.ecg)) has \(segmentCount)")
        }
        columns = try SegmentColumns(file: file, rows: segmentCount)
        // The columns are read on open, so they must hold what they announce; signal rows that
        // were never written read as NaN (an absent modality) and cost nothing until asked for.
        for d in columns.all { try StoreValidation.checkStored(d, url: url) }
        subjects = try SubjectTable.read(file)
        labels = try LabelTable.read(file, subjects: subjects.count, segments: segmentCount)
        let opened = file
        modelIDs = try opened.children(StoreLayout.models).filter { id in
            !(try opened.children(StoreLayout.model(id) + "/fingerprints")).isEmpty
        }
        try StoreValidation.checkColumns(columns, rows: segmentCount, subjects: subjects.count, url: url)
        try StoreValidation.checkFingerprints(file, models: modelIDs, rows: segmentCount, url: url)
    }

    /// Checks `format` and `schema_version`, with a hint on how to regenerate.
    private static func checkHeader(_ root: H5Attributes, url: URL) throws {
        guard let format = try root.string("format") else {
            throw StoreError(url, "an HDF5 file but not an m2ae store (no 'format' attribute); make one with `m2ae synth` or `m2ae import`")
        }
        guard format == StoreLayout.format else {
            throw StoreError(url, "an HDF5 file but not an m2ae store (format is '\(format)', expected '\(StoreLayout.format)')")
        }
        guard let version = try root.int("schema_version") else {
            throw StoreError(url, "m2ae store without an integer 'schema_version' attribute")
        }
        guard version == Int(StoreLayout.schemaVersion) else {
            throw StoreError(url, "store schema version \(version), this build reads version \(StoreLayout.schemaVersion); regenerate it with `m2ae synth` or `m2ae import` (or use a matching m2ae)")
        }
    }

    // MARK: - Segments

    /// Checks that `range` lies within the segments.
    private func checkRange(_ range: Range<Int>) throws {
        guard range.lowerBound >= 0, range.upperBound <= segmentCount else {
            throw StoreError(url, "segments \(range.lowerBound)..<\(range.upperBound) out of range (the store has \(segmentCount))")
        }
    }

    /// The metadata of segments `range`.
    public func meta(_ range: Range<Int>) throws -> [SegmentMeta] {
        try checkRange(range)
        return try columns.meta(range)
    }

    /// The samples of one modality for segments `range`: (n, 1250) row-major float32.
    /// - Throws: `StoreError` also when the store has no waveforms (`hasWaveforms`).
    public func signals(_ m: Modality, _ range: Range<Int>) throws -> [Float] {
        try checkRange(range)
        guard hasWaveforms else { throw StoreError(url, Self.noWaveformsProblem) }
        return try signalSets[m]!.read(range, as: H5Type.float32)
    }

    /// Segment `i`: its metadata and both signals.
    public func segment(_ i: Int) throws -> Segment {
        let r = i..<(i + 1)
        try checkRange(r)
        return Segment(meta: try columns.meta(r)[0], ecg: try signals(.ecg, r), ppg: try signals(.ppg, r))
    }

    /// The subject index of segments `range` (one column; cheaper than `meta`).
    public func subjectIndices(_ range: Range<Int>) throws -> [Int32] {
        try checkRange(range)
        return try columns.subject.read(range, as: H5Type.int32)
    }

    /// The quality flags of one modality for segments `range` (one column; cheaper than `meta`).
    public func quality(_ m: Modality, _ range: Range<Int>) throws -> [QualityFlags] {
        try checkRange(range)
        let raw: [UInt8] = try columns.quality[m]!.read(range, as: H5Type.uint8)
        return raw.map { QualityFlags(rawValue: $0) }
    }

    /// The records' measured ECG → PPG delays (seconds) for segments `range`, nil where not
    /// measured (one column; cheaper than `meta`).
    public func ppgDelays(_ range: Range<Int>) throws -> [Double?] {
        try checkRange(range)
        return try columns.ppgDelays(range)
    }

    /// True when the store has the measured-delay column (stores written before it have not).
    public var hasPPGDelays: Bool { columns.ppgDelay != nil }

    // MARK: - Models and matrices

    /// The attributes of model `id` (config JSON, checkpoint hash, …).
    public func modelAttributes(_ id: String) throws -> [String: String] {
        let path = StoreLayout.model(id)
        guard file.kind(path) == H5I_GROUP else { throw StoreError(url, "no model '\(id)' in this store") }
        return try H5Attributes(context: file.context, object: try file.object(path), path: path).all()
    }

    /// Fingerprints of `model` in `mode` for segments `range`: (n, dim) row-major.
    public func fingerprints(model: String, mode: FingerprintMode, _ range: Range<Int>) throws -> [Float] {
        let path = StoreLayout.fingerprints(model: model, mode: mode)
        guard file.kind(path) == H5I_DATASET else {
            throw StoreError(url, "no \(mode.rawValue) fingerprints of model '\(model)' (run `m2ae embed`)")
        }
        return try matrix(path, rows: range)
    }

    /// The fingerprint width of `model` (the columns of its first fingerprint matrix).
    public func fingerprintDim(model: String) throws -> Int {
        for mode in FingerprintMode.allCases {
            if let shape = try matrixShape(StoreLayout.fingerprints(model: model, mode: mode)) { return shape.cols }
        }
        throw StoreError(url, "no fingerprints of model '\(model)' (run `m2ae embed`)")
    }

    /// The shape of the 2-D dataset at `path`, or nil when nothing is there.
    ///
    /// - Throws: when `path` holds a group or a dataset that is not 2-D.
    public func matrixShape(_ path: String) throws -> (rows: Int, cols: Int)? {
        switch file.kind(path) {
        case nil: return nil
        case H5I_DATASET?:
            let shape = try H5Dataset.open(file, path).shape()
            guard shape.count == 2 else { throw StoreError(url, "\(path) is \(shape.count)-D, expected a 2-D matrix") }
            return (shape[0], shape[1])
        default: throw StoreError(url, "\(path) is a group, expected a 2-D matrix")
        }
    }

    /// Rows `rows` of any 2-D numeric dataset, converted to float32: (n, cols) row-major.
    public func matrix(_ path: String, rows: Range<Int>) throws -> [Float] {
        guard let shape = try matrixShape(path) else { throw StoreError(url, "missing dataset \(path)") }
        guard rows.lowerBound >= 0, rows.upperBound <= shape.rows else {
            throw StoreError(url, "rows \(rows.lowerBound)..<\(rows.upperBound) out of range for \(path) (\(shape.rows) rows)")
        }
        let d = try H5Dataset.open(file, path)
        let cls = try d.typeClass()
        guard cls == H5T_FLOAT || cls == H5T_INTEGER else { throw StoreError(url, "\(path) is not numeric") }
        return try d.read(rows, as: H5Type.float32)
    }

    /// The names directly under the group at `path` (empty when there is no such group),
    /// e.g. `children("/models/m1/projections")` → `["pca", "umap"]`.
    public func children(_ path: String) throws -> [String] {
        try file.children(path)
    }

    /// The absolute paths of every dataset below the group at `path`, depth first, in name order.
    func datasets(under path: String) throws -> [String] {
        try file.children(path).flatMap { name -> [String] in
            let child = path == "/" ? "/" + name : path + "/" + name
            switch file.kind(child) {
            case H5I_DATASET?: return [child]
            case H5I_GROUP?: return try datasets(under: child)
            default: return []
            }
        }
    }
}
