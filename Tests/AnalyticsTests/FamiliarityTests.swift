import Foundation
import Testing
import Store
@testable import Analytics

/// The familiarity check's distance half against scikit-learn's cosine nearest neighbours, its
/// calibration, and its place in the probes file (old files without it still load).
@Suite struct FamiliarityTests {
    static let dim = 8
    /// 300 clustered rows (4 clusters): the first 200 train, the last 100 held out.
    static let data = Fixtures.clustered(n: 300, dim: dim, groups: 4, noise: 0.5)
    static var train: [Float] { Array(data.rows[0 ..< 200 * dim]) }
    static var heldOut: [Float] { Array(data.rows[200 * dim ..< 300 * dim]) }
    /// Rows of other clusters (another seed's centres): out of domain.
    static var strangers: [Float] { Fixtures.clustered(n: 40, dim: dim, groups: 4, noise: 0.5, seed: 99).rows }

    static func oracleInput() -> [String: Any] {
        ["reference": train, "held_out": heldOut, "queries": strangers, "dim": dim, "k": 5,
         "quantile": Familiarity.perMeasure(Familiarity.defaultCoverage)]
    }

    static func fitted() throws -> Familiarity.Reference {
        try Familiarity.fitReference(train: train, heldOut: heldOut, dim: dim, k: 5, coverage: 0.95, maxReference: 256, seed: 1)
    }

    @Test func distancesAndThresholdMatchScikitLearn() throws {
        guard let answer = try Oracle.answer("knn_cosine") else { return }
        let ref = try Self.fitted()
        #expect(ref.count == 200)
        let expected = Oracle.floats(answer, "held_out").sorted()
        #expect(ref.calibration.count == expected.count)
        for (a, b) in zip(ref.calibration, expected) { #expect(abs(a - b) < 1e-5, "\(a) vs \(b)") }
        #expect(abs(Double(ref.threshold) - Oracle.number(answer, "threshold")) < 1e-5)
        let f = Familiarity(k: 5, coverage: 0.95, calibratedOn: "test", modes: [FingerprintMode.ecg.rawValue: ref])
        let scores = try #require(f.scores(Self.strangers, mode: .ecg))
        for (s, d) in zip(scores, Oracle.floats(answer, "queries")) { #expect(abs((s?.distance ?? .nan) - d) < 1e-5) }
    }

    @Test func heldOutPassesAndStrangersAreFlagged() throws {
        let f = Familiarity(k: 5, coverage: 0.95, calibratedOn: "test", modes: [FingerprintMode.ecg.rawValue: try Self.fitted()])
        let held = try #require(f.scores(Self.heldOut, mode: .ecg)).compactMap { $0 }
        #expect(Double(held.filter(\.reliable).count) / Double(held.count) >= 0.95)
        let far = try #require(f.scores(Self.strangers, mode: .ecg)).compactMap { $0 }
        #expect(Double(far.filter { !$0.reliable }.count) / Double(far.count) >= 0.8, "\(far.map(\.distance))")
        #expect(far.allSatisfy { $0.familiarity >= 0 && $0.familiarity <= 1 })
        // No reference for the mode: no scores (familiarity unknown), never a default.
        #expect(f.scores(Self.heldOut, mode: .ppg) == nil)
        // A row with a NaN (modality absent) gets no score.
        var rows = Array(Self.heldOut[0 ..< Self.dim]); rows[3] = .nan
        #expect(f.scores(rows, mode: .ecg)?[0] == nil)
    }

    /// A mixture of two sources (another seed's clusters as the second): calibrated on one, the
    /// other's held-out rows are flagged; calibrated on both, each source's held-out rows pass at
    /// least 95 %, and the threshold is the larger of the two sources' own quantiles.
    @Test func severalSourcesAreEachInDomain() throws {
        let other = Fixtures.clustered(n: 300, dim: Self.dim, groups: 4, noise: 0.5, seed: 99).rows
        let otherTrain = Array(other[0 ..< 200 * Self.dim]), otherHeld = Array(other[200 * Self.dim ..< 300 * Self.dim])
        let one = Familiarity(k: 5, coverage: 0.95, calibratedOn: "a", modes: [FingerprintMode.ecg.rawValue: try Self.fitted()])
        func pass(_ f: Familiarity, _ rows: [Float]) throws -> Double {
            let s = try #require(f.scores(rows, mode: .ecg)).compactMap { $0 }
            return Double(s.filter(\.reliable).count) / Double(s.count)
        }
        #expect(try pass(one, otherHeld) < 0.2)
        let ref = try Familiarity.fitReference(parts: [(Self.train, Self.heldOut), (otherTrain, otherHeld)], dim: Self.dim, k: 5,
                                               coverage: 0.95, maxReference: 256, seed: 1)
        #expect(ref.count == 256 && ref.calibration.count == 200)
        let both = Familiarity(k: 5, coverage: 0.95, calibratedOn: "a + b", modes: [FingerprintMode.ecg.rawValue: ref])
        let a = try pass(both, Self.heldOut), b = try pass(both, otherHeld)
        print("held-out passing with both sources calibrated: \(a), \(b); first source only, second: \(try pass(one, otherHeld))")
        #expect(a >= 0.95 && b >= 0.95)
        // The threshold is the larger per-source quantile, measured against the joint reference.
        let alone = [Self.heldOut, otherHeld].map { rows -> Float in
            let d = Familiarity.distances(rows, reference: ref, k: 5).sorted()
            return Familiarity.quantile(d, Familiarity.perMeasure(0.95))
        }
        #expect(ref.threshold == alone.max()!)
        // One part reproduces the one-source fit exactly.
        #expect(try Familiarity.fitReference(parts: [(Self.train, Self.heldOut)], dim: Self.dim, k: 5, coverage: 0.95, seed: 1) == Self.fitted())
    }

    @Test func reconstructionHalfTightensTheFlag() throws {
        var f = Familiarity(k: 5, coverage: 0.95, calibratedOn: "test", modes: [FingerprintMode.ecg.rawValue: try Self.fitted()])
        f.reconstruction = .init(maskSeed: 0, calibration: (0..<100).map { 0.5 + Float($0) / 400 }, threshold: 0.74)
        let row = Array(Self.heldOut[0 ..< Self.dim])
        let good = try #require(f.scores(row, mode: .ecg, reconstructionErrors: [0.6])?[0])
        let bad = try #require(f.scores(row, mode: .ecg, reconstructionErrors: [1.0])?[0])
        let unchecked = try #require(f.scores(row, mode: .ecg, reconstructionErrors: nil)?[0])
        #expect(good.reliable == unchecked.reliable && good.reconstructionError == 0.6 && unchecked.reconstructionError == nil)
        #expect(!bad.reliable && bad.familiarity == 0)
    }

    @Test func probesFileKeepsTheCalibrationAndOldFilesLoadWithout() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("m2ae-familiarity-\(getpid())")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let url = folder.appendingPathComponent("m.safetensors.probes.json")
        let f = Familiarity(k: 5, coverage: 0.95, calibratedOn: "test", modes: [FingerprintMode.ecg.rawValue: try Self.fitted()])
        let file = ProbeFile(modelID: "abc", dim: Self.dim, trainedOn: "t.h5", trainSubjects: 3, heads: [:], labelSource: "generated", familiarity: f)
        try file.save(to: url)
        #expect(try ProbeFile.load(url) == file)
        // A file written before familiarity existed: no calibration, labels unknown.
        let old = ProbeFile(modelID: "abc", dim: Self.dim, trainedOn: "t.h5", trainSubjects: 3, heads: [:])
        try old.save(to: url)
        let text = try String(contentsOf: url, encoding: .utf8)
        #expect(!text.contains("familiarity") && !text.contains("labelSource"))
        let loaded = try ProbeFile.load(url)
        #expect(loaded.familiarity == nil && loaded.labelSource == nil && !loaded.labelsGenerated)
        // A reference of the wrong width is one clear error.
        var broken = file
        broken.dim = Self.dim + 1
        try broken.save(to: url)
        #expect(throws: AnalyticsError.self) { try ProbeFile.load(url) }
        do { _ = try ProbeFile.load(url) } catch { #expect("\(error)".contains("familiarity reference is malformed")) }
    }
}
