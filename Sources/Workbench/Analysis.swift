import Signals
import Store

// MARK: - Results of the model-backed analyses

/// What the Reconstruction pane asks the model to do.
public enum ReconstructionMode: String, Sendable, CaseIterable, Hashable {
    /// ECG from PPG alone.
    case ppgToECG = "PPG → ECG"
    /// PPG from ECG alone.
    case ecgToPPG = "ECG → PPG"
    /// ECG with the masked patches hidden, both modalities otherwise visible.
    case maskedECG = "masked ECG"
    /// PPG with the masked patches hidden, both modalities otherwise visible.
    case maskedPPG = "masked PPG"

    /// The modality the model reconstructs.
    public var target: Modality { self == .ppgToECG || self == .maskedECG ? .ecg : .ppg }
    /// True for the modes where the user sets a mask.
    public var isMasked: Bool { self == .maskedECG || self == .maskedPPG }
}

/// The model's reconstruction of one modality of one segment.
public struct Reconstruction: Sendable, Equatable {
    public var index: Int
    public var mode: ReconstructionMode
    /// (1250,) the preprocessed original and the reconstruction, in the same units.
    public var original: [Float]
    public var reconstructed: [Float]
    /// Pearson r between them (over the hidden patches in the masked modes); nil when either
    /// side is constant (`Support.pearson`).
    public var pearson: Double?
    /// RMSE over the same samples.
    public var rmse: Double
    /// The record's measured ECG → PPG delay (seconds), nil when not measured: the model's PPG
    /// input is then taken as it is, and a rebuilt ECG is timed for `DeviceDelay.modelDelay`.
    public var ppgDelay: Double?
    /// Samples the model's PPG runs ahead of the record's (`DeviceDelay.shift`); the traces are
    /// in the record's time, so a hidden PPG patch p covers samples p·P + ppgShift ..< (p+1)·P + ppgShift.
    public var ppgShift: Int

    public init(index: Int, mode: ReconstructionMode, original: [Float], reconstructed: [Float], pearson: Double?, rmse: Double,
                ppgDelay: Double? = nil) {
        self.index = index; self.mode = mode; self.original = original; self.reconstructed = reconstructed
        self.pearson = pearson; self.rmse = rmse; self.ppgDelay = ppgDelay; self.ppgShift = DeviceDelay.shift(delay: ppgDelay)
    }
}

/// One row of the Neighbours pane: a hit of `StoreQuery.neighbours` (the answer `m2ae knn`
/// prints) with its subject's labels in short form.
public struct NeighbourRow: Sendable, Equatable {
    /// The segment's index in the store.
    public var index: Int
    /// Cosine similarity of the fingerprints, in [-1, 1].
    public var similarity: Float
    public var subject: String
    /// The subject's labels in short form ("AF · HT · 63 M").
    public var labels: String

    public init(index: Int, similarity: Float, subject: String, labels: String) {
        self.index = index; self.similarity = similarity; self.subject = subject; self.labels = labels
    }
}

/// Which 2-D map of the fingerprints the Projection pane shows.
public enum ProjectionMethod: String, Sendable, CaseIterable, Hashable {
    case pca, umap
    /// Display name.
    public var title: String { rawValue.uppercased() }
}

/// Whether a segment looks like the data the model learned from (`Analytics.Familiarity`):
/// predictions and risk of an unfamiliar segment are shown dimmed, "outside the model's training data".
public enum FamiliarityMark: Sendable, Equatable {
    /// The probes file has no familiarity calibration (or there are no probes).
    case unknown
    /// Passes the check; the familiarity score (0–1).
    case familiar(Float)
    /// Fails the check; the familiarity score (0–1).
    case unfamiliar(Float)
}

/// One row of the Predictions pane: a task's output of `StoreQuery.prediction` (the answer
/// `m2ae predict` prints), its classes in the head's order, with the subject's true label.
public struct PredictionRow: Sendable, Equatable {
    /// The task's name ("CVD 5-class (ECG)", "hypertension", "age").
    public var task: String
    /// Classification: class names with probabilities (sum 1). Regression: empty.
    public var classes: [(name: String, probability: Float)]
    /// Regression: the predicted value and its unit.
    public var value: Float?
    public var unit: String
    /// The true label as text, nil when unknown.
    public var truth: String?

    public init(task: String, classes: [(name: String, probability: Float)] = [], value: Float? = nil, unit: String = "", truth: String?) {
        self.task = task; self.classes = classes; self.value = value; self.unit = unit; self.truth = truth
    }

    public static func == (a: PredictionRow, b: PredictionRow) -> Bool {
        a.task == b.task && a.value == b.value && a.unit == b.unit && a.truth == b.truth
            && a.classes.map(\.name) == b.classes.map(\.name) && a.classes.map(\.probability) == b.classes.map(\.probability)
    }
}
