import Store

// MARK: - The data seam

/// Everything the workbench needs from the store, the signal analysis and the model, behind
/// one protocol so the app can be driven by the real store or by fakes in tests.
///
/// Every method may be slow (HDF5 reads, inference, neighbour search): the runtime calls them
/// off the input path and feeds the results back to `update` as messages. Methods return nil
/// (or an empty array) when the store has no model or no such analysis; they throw
/// `WorkbenchError` when something is wrong with the data.
public protocol WorkbenchServices: Sendable {
    /// The store's file name, for the status line.
    var storeName: String { get }
    /// The model whose fingerprints are shown, or nil when the store has none.
    var modelName: String? { get }
    /// A line for the status line on opening (why a model-run pane is off), or nil.
    var notice: String? { get }
    /// False for a fingerprint-only store (`m2ae export`): no traces, no reconstructions.
    var hasWaveforms: Bool { get }
    /// The store's label table (empty without one).
    var storeLabels: [Label] { get }
    /// One row per segment, in store order (metadata and labels only, never samples).
    func records() throws -> [RecordRow]
    /// Samples and beat analysis of one segment.
    func trace(_ index: Int) throws -> TraceData
    /// Predicted risk per segment in store order (higher is worse), or nil without a model.
    func risk(mode: FingerprintMode) throws -> [Float]?
    /// How many patches a segment has for the model (the masked modes' mask length).
    var patchCount: Int { get }
    /// The model's reconstruction of one modality of a segment, or nil without a model.
    /// - Parameter mask: `patchCount` flags, true where the target modality's patch is hidden
    ///   (used by the masked modes only).
    func reconstruct(_ index: Int, mode: ReconstructionMode, mask: [Bool]) throws -> Reconstruction?
    /// The `k` segments whose fingerprints are most similar to segment `index`'s.
    /// - Parameter sameSubject: include segments of the same subject (false: other subjects only).
    func neighbours(_ index: Int, mode: FingerprintMode, k: Int, sameSubject: Bool) throws -> [NeighbourRow]
    /// 2-D coordinates of every segment's fingerprint, (segmentCount, 2) row-major, or nil.
    func projection(_ method: ProjectionMethod, mode: FingerprintMode) throws -> [Float]?
    /// A PCA map of the fingerprints computed now (not saved), (segmentCount, 2), or nil
    /// without fingerprints; afterwards `projection(.pca, mode:)` returns it too.
    func computeProjection(mode: FingerprintMode) throws -> [Float]?
    /// Every downstream task's prediction for one segment, or empty without a model.
    func predictions(_ index: Int, mode: FingerprintMode) throws -> [PredictionRow]
    /// Segment `index`'s familiarity for `mode`: fingerprint distance and, where the model can
    /// run, its masked-reconstruction error; `.unknown` without a calibration.
    func familiarity(_ index: Int, mode: FingerprintMode) throws -> FamiliarityMark
    /// Per segment, true where the `mode` fingerprint lies outside the model's training data
    /// (the distance half of the check, cheap enough for every row); nil without a calibration.
    func unfamiliar(mode: FingerprintMode) throws -> [Bool]?
    /// True when the probe heads were fitted on generated (synthetic) labels only.
    var probesFromGeneratedLabels: Bool { get }
}

extension WorkbenchServices {
    /// No notice by default.
    public var notice: String? { nil }
    /// Waveforms by default.
    public var hasWaveforms: Bool { true }
    /// No label table by default.
    public var storeLabels: [Label] { [] }
    /// The shipped configurations' 50 patches (25 samples each) by default.
    public var patchCount: Int { AppState.defaultPatchCount }
    /// No calibration by default.
    public func familiarity(_ index: Int, mode: FingerprintMode) throws -> FamiliarityMark { .unknown }
    public func unfamiliar(mode: FingerprintMode) throws -> [Bool]? { nil }
    public var probesFromGeneratedLabels: Bool { false }
    /// Services whose projections always exist compute none.
    public func computeProjection(mode: FingerprintMode) throws -> [Float]? { try projection(.pca, mode: mode) }
}

/// A problem the workbench reports in its status line (one line, names the file).
public struct WorkbenchError: Error, CustomStringConvertible, Sendable {
    public var description: String
    public init(_ description: String) { self.description = description }
}
