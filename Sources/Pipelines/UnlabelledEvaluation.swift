import Analytics
import Foundation
import Model
import Store
import Support

/// Label-free evaluation of a model on any store with paired ECG and PPG
/// (`m2ae evaluate --unlabelled`, docs/evaluation.md): cross-modal reconstruction, heart rate
/// of the rebuilt ECG, ECG → PPG retrieval, re-identification across recordings and the share
/// of segments flagged unfamiliar, each with a bootstrap interval over subjects.
public struct UnlabelledEvaluation {
    public var store: URL
    public var checkpoint: URL
    public var replicates = 1000
    public var seed: UInt64 = 2024
    /// Most segments in the fingerprint searches (retrieval and re-identification), a seeded sample.
    public var searchLimit = 5000
    /// Segments per forward pass.
    public var batch = 64
    /// Threads the reconstructions run on (each with single-threaded BLAS, as `m2ae embed`).
    public var threads = ProcessInfo.processInfo.activeProcessorCount

    public init(store: URL, checkpoint: URL) { self.store = store; self.checkpoint = checkpoint }

    /// One direction of cross-modal reconstruction.
    public struct Direction: Sendable, Codable {
        /// Segments scored (both modalities present).
        public var segments: Int
        /// Median zero-lag Pearson r, and median shape r (best lag within half a beat).
        public var pearson: Estimate?
        public var shapePearson: Estimate?
        /// PPG → ECG in a store with measured device delays: the median zero-lag r with the
        /// PPG fed as recorded (not moved to the model's delay), what the model gives where no
        /// delay is measured (PPG-only data); nil when no segment has a measured delay.
        public var pearsonAsRecorded: Estimate?
        /// PPG → ECG only: the share of clean segments whose rebuilt ECG's heart rate is within
        /// 5 bpm of the true ECG's, and how many clean segments had both rates.
        public var heartRateWithin5: Estimate?
        public var heartRateSegments: Int?
    }

    /// A top-1 search score and its chance level.
    public struct Search: Sendable, Codable {
        public var top1: Estimate?
        /// Expected top-1 of a random ranking.
        public var chance: Double?
        /// Queries asked.
        public var queries: Int
        public var note: String?
    }

    /// The share of segments that fail the familiarity check.
    public struct Unfamiliar: Sendable, Codable {
        public var share: Estimate?
        public var segments: Int
        public var note: String?
    }

    /// What `m2ae evaluate --unlabelled` prints.
    public struct Report: Sendable, Codable {
        public var store: String
        public var model: String
        public var segments: Int
        public var pairedSegments: Int
        public var subjects: Int
        public var bootstrapReplicates: Int
        public var ppgToECG: Direction
        public var ecgToPPG: Direction
        public var retrieval: Search
        public var reidentification: Search
        public var unfamiliar: Unfamiliar
        public var seconds: Double
    }

    // MARK: - Running

    /// Runs the evaluation, streaming the store in blocks of 1,024 segments.
    /// - Complexity: three forward passes per paired segment (four in a store with measured
    ///   device delays), on `threads` cores; memory one model workspace per thread (≈ 125 MB
    ///   for `small`), O(segments) for the per-segment scores and O(searchLimit · dim) for the
    ///   searches.
    public func run(log: (String) -> Void = { _ in }) throws -> Report {
        let started = Date()
        let model: M2AEModel
        do { model = try M2AEModel(checkpoint: checkpoint) } catch { throw AnalyticsError(String(describing: error)) }
        let s = try RecordStore(url: store)
        let n = s.segmentCount
        var subjects = [Int32](), records = [Int32](), paired = [Bool](), clean = [Bool]()
        subjects.reserveCapacity(n); records.reserveCapacity(n); paired.reserveCapacity(n); clean.reserveCapacity(n)
        var recordIDs: [String: Int32] = [:]
        var anyDelay = false
        var lo = 0
        while lo < n {
            let hi = min(n, lo + 65_536)
            for m in try s.meta(lo..<hi) {
                subjects.append(m.subjectIndex)
                let key = "\(m.subjectIndex)/\(m.record)"
                if recordIDs[key] == nil { recordIDs[key] = Int32(recordIDs.count) }
                records.append(recordIDs[key]!)
                paired.append(!m.ecgQuality.contains(.absent) && !m.ppgQuality.contains(.absent))
                clean.append(m.ecgQuality.isEmpty && m.ppgQuality.isEmpty)
                if m.ppgDelay != nil { anyDelay = true }
            }
            lo = hi
        }
        let pairedCount = paired.filter { $0 }.count
        guard pairedCount > 0 else {
            throw AnalyticsError("\(store.path): no segment has both an ECG and a PPG; --unlabelled needs paired recordings")
        }
        guard s.modelIDs.contains(model.id) else {
            throw AnalyticsError("\(store.path): no fingerprints of model '\(model.id)' from \(checkpoint.path); run `m2ae embed \(store.path) --model \(checkpoint.path)`")
        }
        let probesURL = ProbeFile.location(checkpoint: checkpoint)
        let familiarity = FileManager.default.fileExists(atPath: probesURL.path) ? try ProbeFile.load(probesURL).familiarity : nil

        // Reconstruction scores and familiarity, streamed.
        let reconstructor = Reconstructor(model: model, batchSize: batch)
        let asRecorded = anyDelay ? Reconstructor(model: model, batchSize: batch, alignPPG: false) : nil
        var toECG = [Float](repeating: .nan, count: n), toECGShape = toECG, toPPG = toECG, toPPGShape = toECG
        var toECGAsRecorded = toECG
        var hrWithin = [Float](repeating: .nan, count: n), reliable = [Float](repeating: .nan, count: n)
        let both = try StoreFingerprints(store: s, model: model.id, mode: .both)
        lo = 0
        while lo < n {
            let hi = min(n, lo + 1024)
            log("segments \(lo)..<\(hi) of \(n)")
            for (i, score) in try reconstructor.scores(store: s, lo..<hi, from: .ppg, threads: threads).enumerated() {
                guard let score else { continue }
                toECG[lo + i] = Float(score.pearson ?? .nan); toECGShape[lo + i] = Float(score.shapePearson ?? .nan)
                if clean[lo + i], let d = score.heartRateDifference { hrWithin[lo + i] = abs(d) <= 5 ? 1 : 0 }
            }
            if let asRecorded {
                for (i, score) in try asRecorded.scores(store: s, lo..<hi, from: .ppg, threads: threads).enumerated() {
                    if let r = score?.pearson { toECGAsRecorded[lo + i] = Float(r) }
                }
            }
            for (i, score) in try reconstructor.scores(store: s, lo..<hi, from: .ecg, threads: threads).enumerated() {
                guard let score else { continue }
                toPPG[lo + i] = Float(score.pearson ?? .nan); toPPGShape[lo + i] = Float(score.shapePearson ?? .nan)
            }
            if let familiarity {
                let errors = try familiarity.reconstruction.map {
                    try Familiarity.reconstructionErrors(store: s, rows: Array(lo..<hi), model: model, maskSeed: $0.maskSeed, threads: threads)
                }
                for (i, score) in (familiarity.scores(try both.rows(lo..<hi), mode: .both, reconstructionErrors: errors) ?? []).enumerated() {
                    if let score { reliable[lo + i] = score.reliable ? 0 : 1 }
                }
            }
            lo = hi
        }

        func median(_ v: [Float]) -> Estimate? {
            let idx = v.indices.filter { v[$0].isFinite }
            guard !idx.isEmpty else { return nil }
            return Bootstrap.estimate(groups: idx.map { subjects[$0] }, replicates: replicates, seed: seed) { sample in
                var x = sample.map { Double(v[idx[$0]]) }
                x.sort()
                return x.count % 2 == 1 ? x[x.count / 2] : (x[x.count / 2 - 1] + x[x.count / 2]) / 2
            }
        }
        func share(_ v: [Float]) -> Estimate? {
            let idx = v.indices.filter { v[$0].isFinite }
            guard !idx.isEmpty else { return nil }
            return Bootstrap.estimate(groups: idx.map { subjects[$0] }, replicates: replicates, seed: seed) { sample in
                sample.reduce(0.0) { $0 + Double(v[idx[$1]]) } / Double(sample.count)
            }
        }
        let hrCount = hrWithin.filter(\.isFinite).count
        let ppgToECG = Direction(segments: toECG.indices.filter { toECG[$0].isFinite || toECGShape[$0].isFinite }.count,
                                 pearson: median(toECG), shapePearson: median(toECGShape),
                                 pearsonAsRecorded: anyDelay ? median(toECGAsRecorded) : nil,
                                 heartRateWithin5: share(hrWithin), heartRateSegments: hrCount)
        let ecgToPPG = Direction(segments: toPPG.indices.filter { toPPG[$0].isFinite || toPPGShape[$0].isFinite }.count,
                                 pearson: median(toPPG), shapePearson: median(toPPGShape))
        let unfamiliar = familiarity == nil
            ? Unfamiliar(share: nil, segments: 0, note: "familiarity unknown: \(probesURL.path) has no calibration (run `m2ae calibrate`)")
            : Unfamiliar(share: share(reliable), segments: reliable.filter(\.isFinite).count, note: nil)

        // Searches over a seeded sample of paired segments with both fingerprints.
        let ecgFP = try StoreFingerprints(store: s, model: model.id, mode: .ecg), ppgFP = try StoreFingerprints(store: s, model: model.id, mode: .ppg)
        var pool = (0..<n).filter { paired[$0] }
        var rng = SplitMix64(seed: seed)
        if pool.count > searchLimit {
            for i in stride(from: pool.count - 1, to: 0, by: -1) { pool.swapAt(i, rng.below(i + 1)) }
            pool = Array(pool.prefix(searchLimit)).sorted()
        }
        let ecgRows = try EvaluationRunner.gather(ecgFP, pool), ppgRows = try EvaluationRunner.gather(ppgFP, pool)
        let bothRows = try EvaluationRunner.gather(both, pool)
        let dim = ecgFP.dim
        let finite = pool.indices.filter { i in
            (0..<dim).allSatisfy { ecgRows[i * dim + $0].isFinite && ppgRows[i * dim + $0].isFinite }
        }
        let retrieval = try retrievalSearch(finite: finite, ecg: ecgRows, ppg: ppgRows, dim: dim, groups: finite.map { subjects[pool[$0]] })
        let reid = try reidentification(pool: pool, rows: bothRows, dim: both.dim, subjects: subjects, records: records)

        return Report(store: store.path, model: model.id, segments: n, pairedSegments: pairedCount, subjects: Set(subjects).count,
                      bootstrapReplicates: replicates, ppgToECG: ppgToECG, ecgToPPG: ecgToPPG, retrieval: retrieval,
                      reidentification: reid, unfamiliar: unfamiliar, seconds: Date().timeIntervalSince(started))
    }

    /// ECG-only fingerprint → nearest PPG-only fingerprint among the `finite` sampled segments;
    /// correct when it is the same segment's (chance 1 / count).
    func retrievalSearch(finite: [Int], ecg: [Float], ppg: [Float], dim: Int, groups: [Int32]) throws -> Search {
        guard finite.count >= 2 else { return Search(top1: nil, chance: nil, queries: finite.count, note: "fewer than 2 segments have both fingerprints") }
        let hits = try ExactSearch().search(queries: LinearProbe.rows(ecg, dim: dim, finite),
                                            base: InMemoryRows(LinearProbe.rows(ppg, dim: dim, finite), dim: dim), k: 1)
        let correct = hits.enumerated().map { i, h -> Float in h.first?.index == i ? 1 : 0 }
        let e = Bootstrap.estimate(groups: groups, replicates: replicates, seed: seed) { MetricName.top1.compute($0, y: correct, out: [], width: 0) }
        return Search(top1: e, chance: 1 / Double(finite.count), queries: finite.count, note: "among \(finite.count) segments")
    }

    /// Each segment of a subject with several recordings finds its nearest ECG+PPG fingerprint
    /// among the sampled segments of other recordings; correct when that segment is the same
    /// subject's. Chance: per query, the share of candidates that are the subject's, averaged.
    func reidentification(pool: [Int], rows: [Float], dim: Int, subjects: [Int32], records: [Int32]) throws -> Search {
        let finite = pool.indices.filter { i in (0..<dim).allSatisfy { rows[i * dim + $0].isFinite } }
        var recordsOf: [Int32: Set<Int32>] = [:]
        for i in finite { recordsOf[subjects[pool[i]], default: []].insert(records[pool[i]]) }
        let queries = finite.filter { recordsOf[subjects[pool[$0]]]!.count >= 2 }
        guard !queries.isEmpty else {
            return Search(top1: nil, chance: nil, queries: 0, note: "no subject has two recordings")
        }
        let base = LinearProbe.rows(rows, dim: dim, finite)
        let baseRecords = finite.map { records[pool[$0]] }
        let hits = try ExactSearch().search(queries: LinearProbe.rows(rows, dim: dim, queries), base: InMemoryRows(base, dim: dim), k: 1,
                                            exclusion: Exclusion(baseGroups: baseRecords, queryGroups: queries.map { records[pool[$0]] }))
        var perSubject: [Int32: Int] = [:], perRecord: [Int32: Int] = [:]
        for i in finite { perSubject[subjects[pool[i]], default: 0] += 1; perRecord[records[pool[i]], default: 0] += 1 }
        var chance = 0.0
        let correct = zip(queries, hits).map { q, h -> Float in
            let subject = subjects[pool[q]], record = records[pool[q]]
            let candidates = finite.count - perRecord[record]!, mine = perSubject[subject]! - perRecord[record]!
            chance += candidates > 0 ? Double(mine) / Double(candidates) : 0
            return h.first.map { subjects[pool[finite[$0.index]]] == subject ? 1 : 0 } ?? 0
        }
        let e = Bootstrap.estimate(groups: queries.map { subjects[pool[$0]] }, replicates: replicates, seed: seed) {
            MetricName.top1.compute($0, y: correct, out: [], width: 0)
        }
        return Search(top1: e, chance: chance / Double(queries.count), queries: queries.count,
                      note: "\(Set(queries.map { subjects[pool[$0]] }).count) subjects with several recordings")
    }
}
