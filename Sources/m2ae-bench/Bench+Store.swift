import ArgumentParser
import Foundation
import Store

extension M2AEBench {
    /// `m2ae-bench store`: store open, one-segment read, scan and write speed against h5py.
    struct Store: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "store",
            abstract: "Time opening a large store, reading one segment, scanning and writing, against h5py.",
            discussion: """
            Writes a store of --segments synthetic segments (quantised ECG- and PPG-like waves
            with noise, so compression sees realistic data) in a temporary folder, then prints
            medians of --repeats runs. The peer is h5py on the same file (skipped when python3
            or h5py is missing). The page cache is warm: these are not cold-disk figures.
            """
        )

        @Option(help: "Segments in the store that is opened and read.")
        var segments = 100_000

        @Option(help: "Segments written per write-throughput run.")
        var writeSegments = 10_000

        @Option(help: "Runs per measurement (the median is printed).")
        var repeats = 7

        @Option(help: "Folder for the bench stores (default: a new temporary folder, removed afterwards).")
        var dir: String?

        func validate() throws {
            guard segments >= 1, writeSegments >= 1, repeats >= 1 else {
                throw ValidationError("--segments, --write-segments and --repeats must be at least 1")
            }
        }

        func run() throws {
            let folder = dir.map { URL(fileURLWithPath: $0) }
                ?? FileManager.default.temporaryDirectory.appendingPathComponent("m2ae-bench-store-\(getpid())")
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            defer { if dir == nil { try? FileManager.default.removeItem(at: folder) } }
            do {
                try StoreBench(folder: folder, segments: segments, writeSegments: writeSegments, repeats: repeats).run()
            } catch let e as StoreError {
                throw BenchError(e.description)
            }
        }
    }
}

// MARK: - Measurements

/// The store benchmark's steps: build the stores, time m2ae, time the h5py peer, print.
private struct StoreBench {
    let folder: URL
    let segments: Int
    let writeSegments: Int
    let repeats: Int

    /// Segments per `append` call when writing.
    static let batch = 1024

    func run() throws {
        let big = folder.appendingPathComponent("bench-\(segments).m2ae.h5")
        FileHandle.standardError.write(Data("building a \(segments)-segment store…\n".utf8))
        let buildTime = try BenchTiming.time { try write(big, count: segments) { _ in } }
        let fileBytes = (try FileManager.default.attributesOfItem(atPath: big.path)[.size] as? Int) ?? 0
        let rawBytes = segments * SegmentFormat.samples * 2 * 4

        // Write throughput: a fresh store of `writeSegments` (generated beforehand, so only
        // the store's work is timed), `repeats` times.
        let small = folder.appendingPathComponent("bench-write.m2ae.h5")
        let prepared = (0..<writeSegments).map(Self.segment)
        let writeTimes = try (0..<repeats).map { _ in try BenchTiming.time { try write(small, prepared) } }

        // HDF5 shares one file object, and so one chunk cache, between handles on the same
        // file in a process: each step below opens its own store and drops it before the
        // next, and each step reads fresh random indices, so no step hits another's cache.
        // Open: the whole RecordStore.init (header checks, subject table, model list).
        let openTimes = try (0..<repeats).map { _ in try BenchTiming.time { _ = try RecordStore(url: big) } }
        var rng = SplitMix(seed: 7)
        let coldPicks = (0..<repeats).map { _ in Int(rng.next() % UInt64(segments)) }
        let picks = (0..<repeats).map { _ in Int(rng.next() % UInt64(segments)) }
        let coldTimes = try coldPicks.map { i in try BenchTiming.time { _ = try RecordStore(url: big).segment(i) } }
        // One segment on an open store (metadata and both signals).
        let readTimes: [Double] = try {
            let store = try RecordStore(url: big)
            return try picks.map { i in try BenchTiming.time { _ = try store.segment(i) } }
        }()
        // Scan: both modalities of the first min(N, 10,000) segments in slices of 256, each
        // run on a freshly opened store (an empty chunk cache).
        let scanRows = min(segments, 10_000)
        let scanTimes = try (0..<repeats).map { _ in
            let store = try RecordStore(url: big)
            return try BenchTiming.time {
                var at = 0
                while at < scanRows {
                    let r = at..<min(at + 256, scanRows)
                    _ = try store.signals(.ecg, r)
                    _ = try store.signals(.ppg, r)
                    at = r.upperBound
                }
            }
        }

        let peer = H5pyPeer.run(big: big, small: folder.appendingPathComponent("bench-write-h5py.h5"),
                                segments: segments, writeSegments: writeSegments, repeats: repeats,
                                coldPicks: coldPicks, picks: picks, scanRows: scanRows)

        let mb = Double(rawBytes) / 1e6
        print("m2ae-bench store: \(segments) segments (\(String(format: "%.0f", mb)) MB of float32 samples), file \(String(format: "%.0f", Double(fileBytes) / 1e6)) MB (\(String(format: "%.2f", Double(fileBytes) / Double(rawBytes))) of raw), built in \(String(format: "%.1f", buildTime)) s; median of \(repeats) runs")
        print(peer.note)
        let rows: [(String, Double, Double?, String)] = [
            ("open store", BenchTiming.median(openTimes), peer.open, "s"),
            ("read one segment (store open)", BenchTiming.median(readTimes), peer.read, "s"),
            ("open + read one segment", BenchTiming.median(coldTimes), peer.openRead, "s"),
            ("scan \(scanRows) segments, both modalities", BenchTiming.median(scanTimes), peer.scan, "s"),
            ("write \(writeSegments) segments", BenchTiming.median(writeTimes), peer.write, "s"),
        ]
        print(Self.pad("operation", 40) + Self.lpad("m2ae", 12) + Self.lpad("h5py", 12) + Self.lpad("h5py/m2ae", 11))
        for (name, ours, theirs, _) in rows {
            let ratio = theirs.map { String(format: "%.2f×", $0 / ours) } ?? "n/a"
            print(Self.pad(name, 40) + Self.lpad(Self.time(ours), 12) + Self.lpad(theirs.map(Self.time) ?? "n/a", 12) + Self.lpad(ratio, 11))
        }
        let writeRate = Double(writeSegments) / BenchTiming.median(writeTimes)
        print(String(format: "write throughput: m2ae %.0f segments/s (%.0f MB/s of samples)", writeRate,
                     writeRate * Double(SegmentFormat.samples * 8) / 1e6)
              + (peer.write.map { String(format: ", h5py %.0f segments/s", Double(writeSegments) / $0) } ?? ""))
    }

    /// Writes a store of `count` synthetic segments, calling `progress` after each batch.
    private func write(_ url: URL, count: Int, progress: (Int) -> Void) throws {
        let w = try StoreWriter(url: url, subjects: Self.subjects, attributes: ["generator": "m2ae-bench store"])
        var at = 0
        while at < count {
            let n = min(Self.batch, count - at)
            try w.append((at..<(at + n)).map(Self.segment))
            at += n
            progress(n)
        }
        try w.commit()
    }

    /// Writes a store of already generated segments, in batches.
    private func write(_ url: URL, _ segments: [Segment]) throws {
        let w = try StoreWriter(url: url, subjects: Self.subjects, attributes: ["generator": "m2ae-bench store"])
        var at = 0
        while at < segments.count {
            let end = min(at + Self.batch, segments.count)
            try w.append(Array(segments[at..<end]))
            at = end
        }
        try w.commit()
    }

    /// The bench stores' 100 unlabelled subjects.
    static let subjects = (0..<100).map { Subject(id: String(format: "bench-%03d", $0)) }

    /// Segment `i`: an ECG-like spike train and a PPG-like wave with noise, quantised like
    /// ADC data (ECG to 5 µV, PPG to 1/1000 of its unit).
    static func segment(_ i: Int) -> Segment {
        var rng = SplitMix(seed: UInt64(i))
        let rate = 1.0 + Double(rng.next() % 1000) / 2000   // 60–90 bpm
        var ecg = [Float](repeating: 0, count: SegmentFormat.samples)
        var ppg = [Float](repeating: 0, count: SegmentFormat.samples)
        for j in 0..<SegmentFormat.samples {
            let t = Double(j) / SegmentFormat.sampleRate
            let phase = (t * rate).truncatingRemainder(dividingBy: 1)
            let noise = (Double(rng.next() % 2001) - 1000) / 1e5
            let e = exp(-pow((phase - 0.3) * 40, 2)) + 0.15 * sin(2 * .pi * phase) + noise
            let p = 0.5 + 0.4 * sin(2 * .pi * (phase - 0.4)) + 0.1 * sin(4 * .pi * phase) + noise
            ecg[j] = Float((e * 200).rounded() / 200)
            ppg[j] = Float((p * 1000).rounded() / 1000)
        }
        let meta = SegmentMeta(subjectIndex: Int32(i % 100), record: "bench-\(i / 30)", start: Double(i % 30) * 10,
                               ecgOriginalRate: 500, ppgOriginalRate: 125)
        return Segment(meta: meta, ecg: ecg, ppg: ppg)
    }

    // MARK: - Helpers

    static func time(_ s: Double) -> String {
        s >= 1 ? String(format: "%.2f s", s) : s >= 1e-3 ? String(format: "%.2f ms", s * 1e3) : String(format: "%.0f µs", s * 1e6)
    }

    static func pad(_ s: String, _ n: Int) -> String { s.count >= n ? s + " " : s + String(repeating: " ", count: n - s.count) }
    static func lpad(_ s: String, _ n: Int) -> String { s.count >= n ? " " + s : String(repeating: " ", count: n - s.count) + s }
}

/// A small deterministic generator (SplitMix64), so bench data is the same on every run.
private struct SplitMix {
    var state: UInt64
    init(seed: UInt64) { state = seed &+ 0x9E37_79B9_7F4A_7C15 }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

// MARK: - Peer

/// The same measurements made by h5py in a python3 subprocess (medians in seconds).
private struct H5pyPeer {
    var open: Double?, read: Double?, openRead: Double?, scan: Double?, write: Double?
    var note: String

    /// The peer script: opens the store the way RecordStore does (attributes, subject
    /// table), reads the same segments (both signals and all metadata columns), scans in
    /// slices of 256 and writes a store of the same layout, chunks and filters.
    static let script = #"""
import json, sys, time, statistics
import h5py, numpy as np
big, small, n, wn, reps = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5])
picks, cold_picks, scan_rows = json.loads(sys.argv[6]), json.loads(sys.argv[7]), int(sys.argv[8])
chunk_rows, col_rows, level = int(sys.argv[9]), int(sys.argv[10]), int(sys.argv[11])
SUBJ = ["id", "age", "sex", "sbp", "dbp", "hypertension", "ecg_class", "ppg_class", "mortality"]
META = ["subject", "record", "start", "ecg_rate", "ppg_rate", "ecg_quality", "ppg_quality"]
def open_store():
    f = h5py.File(big, "r")
    dict(f.attrs)
    for c in SUBJ: f["subjects/" + c][:]
    f["signals/ecg"].shape; f["signals/ppg"].shape
    return f
def read(f, i):
    f["signals/ecg"][i]; f["signals/ppg"][i]
    for c in META: f["segments/" + c][i]
def timed(fn):
    t = time.perf_counter(); fn(); return time.perf_counter() - t
def med(xs): return statistics.median(xs)
out = {}
out["open"] = med([timed(lambda: open_store().close()) for _ in range(reps)])
def open_read(i):
    g = open_store(); read(g, i); g.close()
out["openRead"] = med([timed(lambda i=i: open_read(i)) for i in cold_picks])
f = open_store()
out["read"] = med([timed(lambda i=i: read(f, i)) for i in picks])
f.close()
def scan():
    g = open_store()
    t = time.perf_counter()
    for a in range(0, scan_rows, 256):
        g["signals/ecg"][a:a + 256]; g["signals/ppg"][a:a + 256]
    t = time.perf_counter() - t
    g.close()
    return t
out["scan"] = med([scan() for _ in range(reps)])
f = open_store()
ecg = f["signals/ecg"][:min(wn, n)]; ppg = f["signals/ppg"][:min(wn, n)]
while len(ecg) < wn: ecg = np.concatenate([ecg, ecg])[:wn]; ppg = np.concatenate([ppg, ppg])[:wn]
def write():
    with h5py.File(small, "w") as g:
        kw = dict(chunks=(chunk_rows, 1250), maxshape=(None, 1250), shuffle=True, compression="gzip", compression_opts=level, dtype="<f4")
        e = g.create_dataset("signals/ecg", shape=(0, 1250), **kw); p = g.create_dataset("signals/ppg", shape=(0, 1250), **kw)
        col = dict(chunks=(col_rows,), maxshape=(None,), shuffle=True, compression="gzip", compression_opts=level)
        cols = {c: g.create_dataset("segments/" + c, shape=(0,), dtype=t, **col) for c, t in
                [("subject", "<i4"), ("start", "<f8"), ("ecg_rate", "<f8"), ("ppg_rate", "<f8"), ("ecg_quality", "u1"), ("ppg_quality", "u1")]}
        rec = g.create_dataset("segments/record", shape=(0,), dtype=h5py.string_dtype(), chunks=(col_rows,), maxshape=(None,), compression="gzip")
        for a in range(0, wn, 1024):
            b = min(a + 1024, wn); k = b - a
            for d, src in ((e, ecg), (p, ppg)): d.resize((b, 1250)); d[a:b] = src[a:b]
            for d in cols.values(): d.resize((b,)); d[a:b] = np.zeros(k, d.dtype)
            rec.resize((b,)); rec[a:b] = ["bench-%d" % (j // 30) for j in range(a, b)]
out["write"] = med([timed(write) for _ in range(reps)])
out["versions"] = "h5py %s, HDF5 %s, numpy %s" % (h5py.__version__, h5py.version.hdf5_version, np.__version__)
print(json.dumps(out))
"""#

    static func run(big: URL, small: URL, segments: Int, writeSegments: Int, repeats: Int, coldPicks: [Int], picks: [Int],
                    scanRows: Int) -> H5pyPeer {
        let list = { (xs: [Int]) -> String in "[" + xs.map(String.init).joined(separator: ",") + "]" }
        let arguments: [String] = ["-c", script, big.path, small.path, String(segments), String(writeSegments), String(repeats),
                                   list(picks), list(coldPicks), String(scanRows), String(StoreLayout.signalChunkRows),
                                   String(StoreLayout.columnChunkRows), String(StoreLayout.deflateLevel)]
        guard let (data, status) = try? M2AEBench.runPython(arguments, quiet: true) else {
            return H5pyPeer(note: "peer: python3 not found, h5py column is n/a")
        }
        guard status == 0,
              let json = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else {
            return H5pyPeer(note: "peer: the h5py script failed (is h5py installed?), h5py column is n/a")
        }
        return H5pyPeer(open: json["open"] as? Double, read: json["read"] as? Double, openRead: json["openRead"] as? Double,
                        scan: json["scan"] as? Double, write: json["write"] as? Double,
                        note: "peer: \(json["versions"] as? String ?? "h5py") on the same file (same picks, same chunks and filters for the write)")
    }
}
