@_exported import Signals

/// Which fingerprint: from both modalities, ECG alone or PPG alone (docs/model.md, "Architecture").
public enum FingerprintMode: String, Sendable, CaseIterable, Codable {
    case both = "ecg+ppg", ecg, ppg
}

/// Fixed facts of every segment in a store: the model's input format (docs/model.md, "Input").
public enum SegmentFormat {
    /// Sampling rate of both modalities after import, in Hz.
    public static let sampleRate: Double = 125
    /// Segment length in seconds.
    public static let seconds: Double = 10
    /// Samples per modality per segment (1,250).
    public static let samples: Int = 1250
}

/// Biological sex, as stored (0 = female, 1 = male; -1 = unknown).
public enum Sex: Int8, Sendable, Codable, CaseIterable {
    case female = 0, male = 1
}

/// The five ECG classes of the 5-class CVD task (docs/model.md, "Downstream tasks"), in label order.
public enum ECGClass: Int8, Sendable, Codable, CaseIterable {
    case normal = 0, atrialFibrillation, prematureVentricular, myocardialInfarction, bundleBranchBlock
    /// Short display names, in label order.
    public static let names = ["NSR", "AF", "PVC", "MI", "BBB"]
}

/// The three PPG classes of the 3-class CVD task (docs/model.md, "Downstream tasks"), in label order.
public enum PPGClass: Int8, Sendable, Codable, CaseIterable {
    case normal = 0, atrialFibrillation, ectopic
    /// Short display names, in label order.
    public static let names = ["normal", "AF", "ectopic"]
}

/// Per-subject labels. Every field is optional: real imports often have none of them.
public struct SubjectLabels: Sendable, Hashable, Codable {
    public var age: Float?
    public var sex: Sex?
    /// Systolic and diastolic blood pressure in mmHg.
    public var systolic: Float?
    public var diastolic: Float?
    /// Systolic ≥ 140 or diastolic ≥ 90 mmHg (may be set without the pressures).
    public var hypertension: Bool?
    public var ecgClass: ECGClass?
    public var ppgClass: PPGClass?
    /// Death within the cohort's horizon.
    public var mortality: Bool?

    public init(age: Float? = nil, sex: Sex? = nil, systolic: Float? = nil, diastolic: Float? = nil,
                hypertension: Bool? = nil, ecgClass: ECGClass? = nil, ppgClass: PPGClass? = nil,
                mortality: Bool? = nil) {
        self.age = age; self.sex = sex; self.systolic = systolic; self.diastolic = diastolic
        self.hypertension = hypertension; self.ecgClass = ecgClass; self.ppgClass = ppgClass
        self.mortality = mortality
    }
}

/// One subject of a store: an id and its labels.
public struct Subject: Sendable, Hashable, Codable {
    public var id: String
    public var labels: SubjectLabels
    public init(id: String, labels: SubjectLabels = SubjectLabels()) { self.id = id; self.labels = labels }
}

/// What is known about one 10-s segment besides its samples.
public struct SegmentMeta: Sendable, Hashable, Codable {
    /// Index into the store's subject table.
    public var subjectIndex: Int32
    /// The source record's name (file stem, or a generator record id).
    public var record: String
    /// Start of the segment within its source record, in seconds.
    public var start: Double
    /// Sampling rates of the source channels before resampling (0 when absent).
    public var ecgOriginalRate: Double
    public var ppgOriginalRate: Double
    public var ecgQuality: QualityFlags
    public var ppgQuality: QualityFlags
    /// The record's ECG → PPG delay in seconds (`Signals.DeviceDelay`), measured at import
    /// where the record has both modalities; nil when not measured (PPG or ECG only, generated
    /// records, stores written before the column existed).
    public var ppgDelay: Double?

    public init(subjectIndex: Int32, record: String, start: Double, ecgOriginalRate: Double,
                ppgOriginalRate: Double, ecgQuality: QualityFlags = [], ppgQuality: QualityFlags = [],
                ppgDelay: Double? = nil) {
        self.subjectIndex = subjectIndex; self.record = record; self.start = start
        self.ecgOriginalRate = ecgOriginalRate; self.ppgOriginalRate = ppgOriginalRate
        self.ecgQuality = ecgQuality; self.ppgQuality = ppgQuality; self.ppgDelay = ppgDelay
    }

    /// The quality flags of one modality.
    public func quality(_ m: Modality) -> QualityFlags { m == .ecg ? ecgQuality : ppgQuality }
}

/// One paired segment: metadata plus 1,250 samples per modality at 125 Hz (physical units
/// as imported; an absent modality is all NaN and flagged `.absent`).
public struct Segment: Sendable, Hashable {
    public var meta: SegmentMeta
    public var ecg: [Float]
    public var ppg: [Float]
    public init(meta: SegmentMeta, ecg: [Float], ppg: [Float]) {
        self.meta = meta; self.ecg = ecg; self.ppg = ppg
    }
    /// The samples of one modality.
    public func signal(_ m: Modality) -> [Float] { m == .ecg ? ecg : ppg }
}
