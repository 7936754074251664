import Foundation
import Store

/// How close a segment lies to the data a model learned from, and the calibration that turns
/// that into a pass/fail flag (docs/analytics.md, "Familiarity").
///
/// Two measures, each calibrated on held-out in-domain segments (other subjects of the same
/// store): the mean cosine distance from the fingerprint to its `k` nearest reference
/// fingerprints (a small random sample of the training-side fingerprints), and the segment's
/// own masked-reconstruction error (RMSE of the hidden half of the ECG under complementary
/// masks, `m2ae reconstruct --from masked`). Each threshold is the (1 + coverage) / 2 quantile
/// of its held-out values, so at least `coverage` of in-domain segments pass both (union
/// bound; the share measured at calibration is `heldOutPass`). Saved in the checkpoint's probes
/// file (`ProbeFile.familiarity`).
public struct Familiarity: Sendable, Codable, Equatable {
    /// The method's name in the file; readers check it.
    public static let methodName = "knn-cosine"

    /// One fingerprint mode's reference sample and calibration.
    public struct Reference: Sendable, Codable, Equatable {
        /// Fingerprint width.
        public var dim: Int
        /// Reference fingerprints scaled to unit length, (count, dim) row-major.
        public var rows: [Float]
        /// Distances of the held-out calibration segments, ascending.
        public var calibration: [Float]
        /// A segment passes when its distance is at most this (the `coverage` quantile of `calibration`).
        public var threshold: Float

        public var count: Int { dim == 0 ? 0 : rows.count / dim }

        enum CodingKeys: String, CodingKey { case dim, rows, calibration, threshold }

        public init(dim: Int, rows: [Float], calibration: [Float], threshold: Float) {
            self.dim = dim; self.rows = rows; self.calibration = calibration; self.threshold = threshold
        }

        /// `rows` is stored as base64 of little-endian Float32 (a quarter of the JSON size of numbers).
        public init(from decoder: Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            dim = try c.decode(Int.self, forKey: .dim)
            calibration = try c.decode([Float].self, forKey: .calibration)
            threshold = try c.decode(Float.self, forKey: .threshold)
            let text = try c.decode(String.self, forKey: .rows)
            guard let data = Data(base64Encoded: text), data.count % 4 == 0 else {
                throw DecodingError.dataCorruptedError(forKey: .rows, in: c, debugDescription: "rows are not base64 Float32")
            }
            rows = data.withUnsafeBytes { raw in
                (0..<(data.count / 4)).map { Float(bitPattern: UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: $0 * 4, as: UInt32.self))) }
            }
        }

        public func encode(to encoder: Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(dim, forKey: .dim)
            try c.encode(calibration, forKey: .calibration)
            try c.encode(threshold, forKey: .threshold)
            var data = Data(capacity: rows.count * 4)
            for v in rows { withUnsafeBytes(of: v.bitPattern.littleEndian) { data.append(contentsOf: $0) } }
            try c.encode(data.base64EncodedString(), forKey: .rows)
        }
    }

    /// One segment's familiarity.
    public struct Score: Sendable, Codable, Equatable {
        /// Mean cosine distance to the `k` nearest reference fingerprints.
        public var distance: Float
        /// Masked-reconstruction RMSE (z-score units); nil when it was not computed (the model
        /// was not run, or the segment lacks a modality), and then `reliable` rests on the distance alone.
        public var reconstructionError: Float?
        /// The smaller of the shares of held-out in-domain segments at least this far from the
        /// reference and at least this badly reconstructed (1: as familiar as any, 0: less than all).
        public var familiarity: Float
        /// Both measures within their thresholds: the segment looks like the model's training data.
        public var reliable: Bool

        public init(distance: Float, reconstructionError: Float?, familiarity: Float, reliable: Bool) {
            self.distance = distance; self.reconstructionError = reconstructionError; self.familiarity = familiarity; self.reliable = reliable
        }
    }

    /// The masked-reconstruction half of the calibration.
    public struct Reconstruction: Sendable, Codable, Equatable {
        /// Seed of the complementary masks (segment i uses seed + i).
        public var maskSeed: UInt64
        /// Masked-reconstruction RMSE of the held-out calibration segments, ascending.
        public var calibration: [Float]
        public var threshold: Float
        package init(maskSeed: UInt64, calibration: [Float], threshold: Float) {
            self.maskSeed = maskSeed; self.calibration = calibration; self.threshold = threshold
        }
    }

    public var method: String = Familiarity.methodName
    /// Neighbours averaged.
    public var k: Int
    /// The share of held-out in-domain segments that pass at least (0.95).
    public var coverage: Double
    /// The share of held-out segments that passed both measures at calibration.
    public var heldOutPass: Double?
    /// With several calibration stores: that share per store (path → share).
    public var heldOutPassByStore: [String: Double]?
    /// nil when the calibration had no model to run (distance only).
    public var reconstruction: Reconstruction?
    /// The stores the reference and calibration came from (paths joined by " + ").
    public var calibratedOn: String
    /// Fingerprint mode (raw value) → reference.
    public var modes: [String: Reference]

    public init(k: Int, coverage: Double, calibratedOn: String, modes: [String: Reference], reconstruction: Reconstruction? = nil,
                heldOutPass: Double? = nil) {
        self.k = k; self.coverage = coverage; self.calibratedOn = calibratedOn; self.modes = modes
        self.reconstruction = reconstruction; self.heldOutPass = heldOutPass
    }

    /// The quantile each measure's threshold sits at: (1 + coverage) / 2, so that both pass
    /// for at least `coverage` of in-domain segments.
    package static func perMeasure(_ coverage: Double) -> Double { (1 + coverage) / 2 }

    // MARK: - Fitting

    /// Fits one mode: a random sample of `maxReference` finite training rows as the reference,
    /// and the distances of the finite held-out rows as the calibration.
    /// - Parameters:
    ///   - train: (n, dim) training-side fingerprints; heldOut: (m, dim) in-domain fingerprints
    ///     of other subjects.
    /// - Complexity: O((m + n) · dim + m · maxReference · dim).
    public static func fitReference(train: [Float], heldOut: [Float], dim: Int, k: Int, coverage: Double,
                                    maxReference: Int = 256, seed: UInt64) throws -> Reference {
        try fitReference(parts: [(train: train, heldOut: heldOut)], dim: dim, k: k, coverage: coverage, maxReference: maxReference, seed: seed)
    }

    /// Fits one mode on several in-domain sources (a training mixture): each part gives an
    /// equal share of the `maxReference` reference rows (a random sample of its finite
    /// training rows), and its finite held-out rows are measured against the whole reference.
    /// The threshold is the largest of the parts' own (1 + coverage) / 2 quantiles, so every
    /// part's held-out segments pass at least as often as with one source; `calibration`
    /// holds every part's distances.
    /// - Complexity: O(Σ (m + n) · dim + Σ m · maxReference · dim).
    public static func fitReference(parts: [(train: [Float], heldOut: [Float])], dim: Int, k: Int, coverage: Double,
                                    maxReference: Int = 256, seed: UInt64) throws -> Reference {
        let finite = { (x: [Float]) -> [Int] in (0..<(x.count / dim)).filter { i in (0..<dim).allSatisfy { x[i * dim + $0].isFinite } } }
        let quota = max(k, (maxReference + parts.count - 1) / max(1, parts.count))
        var rows = [Float]()
        for (p, part) in parts.enumerated() {
            var pool = finite(part.train)
            guard pool.count >= k else { throw AnalyticsError("familiarity: \(pool.count) training fingerprints, at least k = \(k) needed") }
            var rng = SeededRandom(seed: seed &+ UInt64(p))
            for i in stride(from: pool.count - 1, to: 0, by: -1) { pool.swapAt(i, rng.below(i + 1)) }
            for i in pool.prefix(quota).sorted() { rows += unit(part.train[i * dim ..< (i + 1) * dim]) }
        }
        var reference = Reference(dim: dim, rows: rows, calibration: [], threshold: .infinity)
        var all: [Float] = [], threshold = -Float.infinity
        for part in parts {
            let held = finite(part.heldOut)
            guard held.count >= 20 else { throw AnalyticsError("familiarity: \(held.count) held-out fingerprints, at least 20 needed to calibrate") }
            var sel = [Float](); sel.reserveCapacity(held.count * dim)
            for i in held { sel += part.heldOut[i * dim ..< (i + 1) * dim] }
            let d = distances(sel, reference: reference, k: k).sorted()
            threshold = max(threshold, quantile(d, perMeasure(coverage)))
            all += d
        }
        reference.calibration = all.sorted()
        reference.threshold = threshold
        return reference
    }

    // MARK: - Scoring

    /// Scores (n, dim) fingerprints of `mode`; a row with a non-finite value scores nil.
    /// - Parameter reconstructionErrors: each row's masked-reconstruction RMSE (nil entries, or
    ///   nil for all, when not computed); used only when the calibration has that half.
    /// - Returns: nil when this calibration has no reference for `mode` or its width differs.
    /// - Complexity: O(n · reference count · dim).
    public func scores(_ x: [Float], mode: FingerprintMode, reconstructionErrors: [Float?]? = nil) -> [Score?]? {
        guard let ref = modes[mode.rawValue], ref.dim > 0, x.count % ref.dim == 0 else { return nil }
        let d = Self.distances(x, reference: ref, k: k)
        return d.indices.map { i in
            let v = d[i]
            guard v.isFinite else { return nil }
            var score = Score(distance: v, reconstructionError: nil, familiarity: Self.upperShare(ref.calibration, v), reliable: v <= ref.threshold)
            if let rc = reconstruction, let e = reconstructionErrors?[i], e.isFinite {
                score.reconstructionError = e
                score.familiarity = min(score.familiarity, Self.upperShare(rc.calibration, e))
                score.reliable = score.reliable && e <= rc.threshold
            }
            return score
        }
    }

    /// Mean cosine distance of each row of `x` to its `k` nearest reference rows (NaN for a
    /// non-finite or zero row).
    static func distances(_ x: [Float], reference: Reference, k: Int) -> [Float] {
        let dim = reference.dim, n = x.count / dim, m = reference.count, kk = min(k, m)
        guard n > 0, m > 0 else { return [Float](repeating: .nan, count: n) }
        var out = [Float](repeating: .nan, count: n)
        let block = 1024
        var sims = [Float](repeating: 0, count: block * m)
        var start = 0
        while start < n {
            let rowsHere = min(block, n - start)
            var u = [Float](); u.reserveCapacity(rowsHere * dim)
            var valid = [Bool](repeating: true, count: rowsHere)
            for r in 0..<rowsHere {
                let row = x[(start + r) * dim ..< (start + r + 1) * dim]
                let v = unit(row)
                if !v.allSatisfy(\.isFinite) { valid[r] = false; u += [Float](repeating: 0, count: dim) } else { u += v }
            }
            u.withUnsafeBufferPointer { a in
                reference.rows.withUnsafeBufferPointer { b in
                    sims.withUnsafeMutableBufferPointer { c in
                        sgemm(c.baseAddress!, a.baseAddress!, b.baseAddress!, m: rowsHere, n: m, k: dim, transB: true)
                    }
                }
            }
            for r in 0..<rowsHere where valid[r] {
                // The k largest similarities, by partial selection.
                var best = [Float](repeating: -.infinity, count: kk)
                for j in 0..<m {
                    let s = sims[r * m + j]
                    if s > best[kk - 1] {
                        var p = kk - 1
                        while p > 0 && best[p - 1] < s { best[p] = best[p - 1]; p -= 1 }
                        best[p] = s
                    }
                }
                out[start + r] = 1 - best.reduce(0, +) / Float(kk)
            }
            start += rowsHere
        }
        return out
    }

    /// The row scaled to unit length (NaN when it is zero or non-finite).
    static func unit(_ row: ArraySlice<Float>) -> [Float] {
        var s: Double = 0
        for v in row { s += Double(v) * Double(v) }
        let norm = Float(s.squareRoot())
        guard norm.isFinite, norm > 0 else { return [Float](repeating: .nan, count: row.count) }
        return row.map { $0 / norm }
    }

    /// The `q` quantile of ascending `d` (linear interpolation).
    package static func quantile(_ d: [Float], _ q: Double) -> Float {
        guard !d.isEmpty else { return .nan }
        let pos = q * Double(d.count - 1), lo = Int(pos.rounded(.down)), hi = min(d.count - 1, lo + 1)
        return d[lo] + Float(pos - Double(lo)) * (d[hi] - d[lo])
    }

    /// The share of ascending `d` that is ≥ v.
    static func upperShare(_ d: [Float], _ v: Float) -> Float {
        guard !d.isEmpty else { return 0 }
        var lo = 0, hi = d.count
        while lo < hi { let mid = (lo + hi) / 2; if d[mid] < v { lo = mid + 1 } else { hi = mid } }
        return Float(d.count - lo) / Float(d.count)
    }
}

extension Familiarity {
    /// Neighbours averaged by default (chosen in docs/analytics.md).
    public static let defaultK = 5
    /// The share of held-out in-domain segments that pass.
    public static let defaultCoverage = 0.95
    /// Most held-out segments whose masked reconstruction is run for the calibration.
    public static let maxReconstructed = 1000
}
