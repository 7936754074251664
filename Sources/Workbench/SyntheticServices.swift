import Foundation
import Store
import Signals

// MARK: - A synthetic data source

/// Deterministic in-memory services: `subjects` × `segmentsPerSubject` segments with ECG and
/// PPG beats placed by construction (so the peaks are exact), labels derived from the subject
/// number, and 16-d fingerprints clustered by rhythm class. Neighbours are a real brute-force
/// cosine search over those fingerprints; "reconstructions" are the original plus a
/// deterministic error. It stands in for the store and the model in tests, in
/// `m2ae tui --synthetic N` (a demo with no files) and in the 100,000-segment benchmark.
public struct SyntheticServices: WorkbenchServices {
    public let subjects: Int
    public let segmentsPerSubject: Int
    public let withModel: Bool
    public var storeName: String { "synthetic(\(grouped(segmentCount)))" }
    public var modelName: String? { withModel ? "synthetic-demo" : nil }
    public var segmentCount: Int { subjects * segmentsPerSubject }
    private static let dim = 16

    public init(subjects: Int, segmentsPerSubject: Int, withModel: Bool = true) {
        self.subjects = max(1, subjects); self.segmentsPerSubject = max(1, segmentsPerSubject); self.withModel = withModel
    }

    // MARK: - Records

    /// The labels of subject `s` (deterministic).
    public static func labels(subject s: Int) -> SubjectLabels {
        let sys = Float(105 + (s * 13) % 55), dia = Float(65 + (s * 7) % 35)
        return SubjectLabels(age: Float(25 + (s * 37) % 60), sex: s % 2 == 0 ? .female : .male, systolic: sys, diastolic: dia,
                             hypertension: sys >= 140 || dia >= 90, ecgClass: ECGClass(rawValue: Int8(s % 5)),
                             ppgClass: PPGClass(rawValue: Int8(s % 5 == 1 ? 1 : s % 5 == 2 ? 2 : 0)), mortality: s % 9 == 0)
    }

    public func records() throws -> [RecordRow] {
        var rows: [RecordRow] = []
        rows.reserveCapacity(segmentCount)
        for s in 0..<subjects {
            let labels = Self.labels(subject: s)
            let id = String(format: "S%04d", s)
            for k in 0..<segmentsPerSubject {
                let i = s * segmentsPerSubject + k
                rows.append(RecordRow(index: i, subjectIndex: s, subject: id, record: "rec\(s % 100)", start: Double(k) * 10,
                                      labels: labels, ecgQuality: i % 11 == 10 ? .noisy : [], ppgQuality: i % 7 == 6 ? .clipped : []))
            }
        }
        return rows
    }

    // MARK: - Traces

    public func trace(_ index: Int) throws -> TraceData {
        try check(index)
        let s = index / segmentsPerSubject
        let rate = SegmentFormat.sampleRate, n = SegmentFormat.samples
        let hr = 55 + Double((s * 17) % 45) + Double(index % 3)
        let pat = 0.18 + Double(s % 7) * 0.01
        let rr = 60 / hr
        var beats: [Double] = []
        var t = 0.1 + Double(index % 5) * 0.07
        while t < 10 { beats.append(t); t += rr * (s % 5 == 1 ? (0.75 + 0.5 * unit(index * 31 + beats.count)) : 1) }
        var ecg = [Float](repeating: 0, count: n), ppg = [Float](repeating: 0, count: n)
        func bump(_ x: inout [Float], at c: Double, sigma: Double, amp: Double) {
            let lo = max(0, Int((c - 4 * sigma) * rate)), hi = min(n - 1, Int((c + 4 * sigma) * rate))
            guard lo <= hi else { return }
            for i in lo...hi { let d = (Double(i) / rate - c) / sigma; x[i] += Float(amp * exp(-0.5 * d * d)) }
        }
        for b in beats {
            bump(&ecg, at: b - 0.16, sigma: 0.025, amp: 0.15)
            bump(&ecg, at: b, sigma: 0.012, amp: 1.0)
            bump(&ecg, at: b + 0.25, sigma: 0.045, amp: 0.3)
            bump(&ppg, at: b + pat + 0.12, sigma: 0.08, amp: 1.0)
            bump(&ppg, at: b + pat + 0.45, sigma: 0.06, amp: 0.3)
        }
        let rPeaks = beats.map { Int(($0 * rate).rounded()) }.filter { $0 < n }
        let ppgPeaks = beats.map { Int((($0 + pat + 0.12) * rate).rounded()) }.filter { $0 < n }
        let rrs = zip(rPeaks.dropFirst(), rPeaks).map { Double($0 - $1) / rate }.sorted()
        let meanHR = rrs.isEmpty ? nil : 60 / rrs[rrs.count / 2]
        return TraceData(index: index, ecg: ecg, ppg: ppg, rPeaks: rPeaks, ppgPeaks: ppgPeaks, heartRate: meanHR,
                         pulseRate: HeartRate.bpm(peaks: ppgPeaks, rate: rate),
                         pulseArrival: pat + 0.12, ecgQuality: index % 11 == 10 ? .noisy : [], ppgQuality: index % 7 == 6 ? .clipped : [])
    }

    // MARK: - Model stand-ins

    public func risk(mode: FingerprintMode) throws -> [Float]? {
        guard withModel else { return nil }
        return (0..<segmentCount).map { i in
            let l = Self.labels(subject: i / segmentsPerSubject)
            let base: Float = (l.ecgClass == .normal ? 0.1 : 0.45) + (l.hypertension == true ? 0.2 : 0)
            return min(1, base + 0.2 * Float(unit(i &* 7 &+ mode.rawValue.count)))
        }
    }

    /// Stand-in familiarity: every ninth segment (index 4, 13, …) is outside the training data.
    public func familiarity(_ index: Int, mode: FingerprintMode) throws -> FamiliarityMark {
        guard withModel else { return .unknown }
        try check(index)
        return Self.isUnfamiliar(index) ? .unfamiliar(0.02) : .familiar(0.4 + 0.5 * Float(unit(index &* 3)))
    }

    public func unfamiliar(mode: FingerprintMode) throws -> [Bool]? {
        guard withModel else { return nil }
        return (0..<segmentCount).map(Self.isUnfamiliar)
    }

    /// The stand-in heads are fitted on this generator's labels.
    public var probesFromGeneratedLabels: Bool { withModel }

    static func isUnfamiliar(_ index: Int) -> Bool { index % 9 == 4 }

    public func reconstruct(_ index: Int, mode: ReconstructionMode, mask: [Bool]) throws -> Reconstruction? {
        guard withModel else { return nil }
        let t = try trace(index)
        let original = zscore(mode.target == .ecg ? t.ecg : t.ppg)
        let patch = original.count / max(mask.count, 1)
        var recon = original
        var hidden: [Int] = []
        for i in recon.indices {
            let isHidden = mode.isMasked ? mask[min(mask.count - 1, i / max(patch, 1))] : true
            guard isHidden else { continue }
            hidden.append(i)
            recon[i] = original[max(0, i - 2)] * 0.85 + Float(0.15 * sin(Double(i) * 0.05 + Double(index)))
        }
        let idx = hidden.isEmpty ? Array(original.indices) : hidden
        let a = idx.map { original[$0] }, b = idx.map { recon[$0] }
        return Reconstruction(index: index, mode: mode, original: original, reconstructed: recon, pearson: pearson(a, b), rmse: rmse(a, b))
    }

    public func neighbours(_ index: Int, mode: FingerprintMode, k: Int, sameSubject: Bool) throws -> [NeighbourRow] {
        guard withModel else { return [] }
        try check(index)
        let q = fingerprint(index, mode)
        let own = index / segmentsPerSubject
        var best: [(Float, Int)] = []
        for j in 0..<segmentCount where j != index && (sameSubject || j / segmentsPerSubject != own) {
            let f = fingerprint(j, mode)
            var dot: Float = 0
            for d in 0..<Self.dim { dot += q[d] * f[d] }
            if best.count < k { best.append((dot, j)); best.sort { $0.0 > $1.0 } }
            else if dot > best[k - 1].0 { best[k - 1] = (dot, j); best.sort { $0.0 > $1.0 } }
        }
        return best.map { sim, j in
            let s = j / segmentsPerSubject
            return NeighbourRow(index: j, similarity: sim, subject: String(format: "S%04d", s), labels: labelSummary(Self.labels(subject: s)))
        }
    }

    public func projection(_ method: ProjectionMethod, mode: FingerprintMode) throws -> [Float]? {
        guard withModel else { return nil }
        var out = [Float](repeating: 0, count: 2 * segmentCount)
        for i in 0..<segmentCount {
            let f = fingerprint(i, mode)
            out[2 * i] = method == .pca ? f[0] + 0.5 * f[2] : tanh(3 * f[0])
            out[2 * i + 1] = method == .pca ? f[1] - 0.5 * f[3] : tanh(3 * f[1])
        }
        return out
    }

    public func predictions(_ index: Int, mode: FingerprintMode) throws -> [PredictionRow] {
        guard withModel else { return [] }
        try check(index)
        let l = Self.labels(subject: index / segmentsPerSubject)
        let f = fingerprint(index, mode)
        func softmax(_ z: [Float]) -> [Float] { let m = z.max() ?? 0; let e = z.map { exp($0 - m) }; let s = e.reduce(0, +); return e.map { $0 / s } }
        let cvd5 = softmax((0..<5).map { c in (c == Int(l.ecgClass?.rawValue ?? 0) ? 2.5 : 0) + f[4 + c] })
        let cvd3 = softmax((0..<3).map { c in (c == Int(l.ppgClass?.rawValue ?? 0) ? 1.8 : 0) + f[9 + c] })
        let ht = 1 / (1 + exp(-((l.hypertension == true ? 1.5 : -1.5) + 2 * f[12])))
        let fem = 1 / (1 + exp(-((l.sex == .female ? 2 : -2) + f[13])))
        let mort = 1 / (1 + exp(-((l.mortality == true ? 1 : -2) + f[14])))
        return [
            PredictionRow(task: "CVD 5-class (ECG)", classes: zip(ECGClass.names, cvd5).map { ($0, $1) }, truth: l.ecgClass.map { ECGClass.names[Int($0.rawValue)] }),
            PredictionRow(task: "CVD 3-class (PPG)", classes: zip(PPGClass.names, cvd3).map { ($0, $1) }, truth: l.ppgClass.map { PPGClass.names[Int($0.rawValue)] }),
            PredictionRow(task: "hypertension", classes: [("no", 1 - ht), ("yes", ht)], truth: l.hypertension.map { $0 ? "yes" : "no" }),
            PredictionRow(task: "mortality", classes: [("no", 1 - mort), ("yes", mort)], truth: l.mortality.map { $0 ? "yes" : "no" }),
            PredictionRow(task: "sex", classes: [("female", fem), ("male", 1 - fem)], truth: l.sex.map { $0 == .female ? "female" : "male" }),
            PredictionRow(task: "age", value: (l.age ?? 50) + 6 * f[15], unit: "y", truth: l.age.map { String(Int($0)) }),
        ]
    }

    // MARK: - Internals

    private func check(_ index: Int) throws {
        guard (0..<segmentCount).contains(index) else { throw WorkbenchError("\(storeName): segment \(index) out of range 0..<\(segmentCount)") }
    }

    /// A deterministic number in [0, 1) from an integer.
    private func unit(_ i: Int) -> Double {
        var x = UInt64(bitPattern: Int64(i)) &* 0x9E3779B97F4A7C15
        x ^= x >> 31; x = x &* 0xBF58476D1CE4E5B9; x ^= x >> 29
        return Double(x >> 11) / Double(1 << 53)
    }

    /// (16,) L2-normalised: a rhythm-class centroid, a subject offset and segment noise.
    private func fingerprint(_ i: Int, _ mode: FingerprintMode) -> [Float] {
        let s = i / segmentsPerSubject
        let cls = s % 5
        let noise: Float = mode == .both ? 0.25 : 0.4
        var f = [Float](repeating: 0, count: Self.dim)
        for d in 0..<Self.dim {
            let centroid = Float(cos(Double(cls * 7 + d) * 1.3))
            let subject = 0.5 * Float(unit(s * 97 + d) - 0.5)
            f[d] = centroid + subject + noise * Float(unit(i * 131 + d * 7 + mode.rawValue.count) - 0.5)
        }
        let norm = sqrt(f.reduce(0) { $0 + $1 * $1 })
        return f.map { $0 / norm }
    }

    private func zscore(_ x: [Float]) -> [Float] {
        let m = x.reduce(0, +) / Float(x.count)
        let sd = sqrt(x.reduce(0) { $0 + ($1 - m) * ($1 - m) } / Float(x.count))
        return x.map { ($0 - m) / max(sd, 1e-6) }
    }
}

/// Pearson correlation of two equal-length series (0 when either is constant).
public func pearson(_ a: [Float], _ b: [Float]) -> Double {
    let n = Double(min(a.count, b.count))
    guard n > 1 else { return 0 }
    let ma = a.reduce(0) { $0 + Double($1) } / n, mb = b.reduce(0) { $0 + Double($1) } / n
    var sab = 0.0, saa = 0.0, sbb = 0.0
    for (x, y) in zip(a, b) { sab += (Double(x) - ma) * (Double(y) - mb); saa += (Double(x) - ma) * (Double(x) - ma); sbb += (Double(y) - mb) * (Double(y) - mb) }
    return saa > 0 && sbb > 0 ? sab / (saa * sbb).squareRoot() : 0
}

/// Root-mean-square difference of two equal-length series.
public func rmse(_ a: [Float], _ b: [Float]) -> Double {
    let n = min(a.count, b.count)
    guard n > 0 else { return 0 }
    return (zip(a, b).reduce(0.0) { $0 + Double($1.0 - $1.1) * Double($1.0 - $1.1) } / Double(n)).squareRoot()
}
