import Foundation
import Signals

/// One segment ready for the model: its subject and both modalities band-passed and
/// z-scored (`Signals.Preprocessing.prepare`), T·P samples each, the PPG moved to the model's
/// delay where the record's delay was measured (`Signals.DeviceDelay.modelInput`).
public struct PreparedSegment: Sendable {
    public var subject: Int
    public var ecg: [Float]
    public var ppg: [Float]

    /// Prepares raw samples of both modalities.
    /// - Parameter ppgDelay: the record's measured ECG → PPG delay, seconds (nil: not measured).
    public init(subject: Int, rawECG: [Float], rawPPG: [Float], ppgDelay: Double? = nil) {
        self.subject = subject
        ecg = DeviceDelay.prepared(rawECG, modality: .ecg, delay: ppgDelay)
        ppg = DeviceDelay.prepared(rawPPG, modality: .ppg, delay: ppgDelay)
    }
}

/// Where training segments come from, read a block at a time so memory stays bounded: a
/// store (`StoreSource`) or the synthetic cohort generated on the fly (`SynthSource`).
public protocol SegmentSource: Sendable {
    /// A short description for logs and checkpoint metadata ("store cohort.h5", "synth 2000×8 seed 1").
    var label: String { get }
    /// Subjects; subject indices are 0..<subjectCount.
    var subjectCount: Int { get }
    /// Blocks; a block holds a bounded number of segments.
    var blockCount: Int { get }
    /// Usable segments (those passing the quality filter) per subject, for sizing epochs.
    func usableSegmentsPerSubject() throws -> [Int]
    /// The usable segments of block `k`, of the subjects for which `keep` is true, prepared.
    func block(_ k: Int, keep: (Int) -> Bool) throws -> [PreparedSegment]
    /// The segments of block `k` for validation, each once: `block` unless a source repeats
    /// or drops segments for training (`MixedSource`).
    func validationBlock(_ k: Int, keep: (Int) -> Bool) throws -> [PreparedSegment]
    /// The share of the counted segments expected to survive the per-block quality filter
    /// (1 unless a source counts before filtering, as `SynthSource` does).
    var expectedUsableShare: Double { get }
}

extension SegmentSource {
    public func validationBlock(_ k: Int, keep: (Int) -> Bool) throws -> [PreparedSegment] { try block(k, keep: keep) }
    public var expectedUsableShare: Double { 1 }
}

/// Training data cannot be used as asked.
public struct TrainingDataError: Error, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}
