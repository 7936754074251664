import Foundation
import Testing
import TestSupport
import Store
@testable import Importers

/// `m2ae import --manifest`: subjects across recordings, per-row channels and rates, label
/// columns into the store's label table, and one-line errors naming the manifest's line.
@Suite struct ManifestTests {
    /// Text rows at `rate` Hz for `seconds`: `time` first when `header` names it, then ECG- and
    /// PPG-like columns and a distractor.
    static func recording(_ url: URL, header: String?, rate: Double, seconds: Double, time: Bool) throws {
        var text = header.map { $0 + "\n" } ?? ""
        for i in 0..<Int(rate * seconds) {
            let t = Double(i) / rate
            let ecg = sin(2 * .pi * 1.2 * t) + 0.3 * sin(2 * .pi * 9 * t), ppg = 2 + sin(2 * .pi * 1.2 * (t - 0.25))
            text += (time ? "\(t)," : "") + "\(Double(i)),\(ppg),\(ecg)\n"
        }
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(text.utf8).write(to: url)
    }

    static func write(_ text: String, _ url: URL) throws { try Data(text.utf8).write(to: url) }

    @Test func subjectsLabelsAndPerRowOverrides() throws {
        let folder = try TestSupport.temporaryFolder("manifest")
        defer { try? FileManager.default.removeItem(at: folder) }
        // Subject a: a headerless file (rate and columns from the manifest) and a file with a
        // header and a time column, in a subfolder; subject b: a headerless file at the default rate.
        try Self.recording(folder.appendingPathComponent("raw/a_rest.csv"), header: nil, rate: 50, seconds: 20, time: false)
        try Self.recording(folder.appendingPathComponent("raw/a_walk.csv"), header: "Time [s],counter,PLETH,II", rate: 250, seconds: 10, time: true)
        try Self.recording(folder.appendingPathComponent("b rest.csv"), header: nil, rate: 100, seconds: 30, time: false)
        let manifest = folder.appendingPathComponent("cohort.csv")
        try Self.write("""
            Path,Subject,ECG,PPG,Rate,age,group,visit,score
            raw/a_rest.csv,a,2,1,50,63.5,case,rest,1
            raw/a_walk.csv,a,,,,63.5,case,walk,
            "b rest.csv",b,2,1,,41,control,rest,0

            """, manifest)
        var options = Importer.Options()
        options.csvRate = 100
        let out = folder.appendingPathComponent("cohort.h5")
        let m = try Manifest.read(manifest)
        #expect(m.entries.map(\.line) == [2, 3, 4])
        // A semicolon inside a label's name does not make it the separator.
        let named = folder.appendingPathComponent("named.csv")
        try Self.write("path,subject,notes;x\nraw/a_rest.csv,a,1\n", named)
        #expect(try Manifest.read(named).labels.map(\.name) == ["notes;x"])
        #expect(m.entries[0].path.path == folder.appendingPathComponent("raw/a_rest.csv").standardizedFileURL.path)
        #expect(m.entries.map(\.rate) == [50, nil, nil] && m.entries.map(\.ecg) == ["2", nil, "2"])
        let summary = try Importer.run(manifest: m, out: out, options: options)
        #expect(summary.subjects == 2 && summary.records.map(\.segments) == [2, 1, 3])
        #expect(summary.records.map(\.subject) == ["a", "a", "b"] && summary.records.map(\.line) == [2, 3, 4])
        #expect(summary.records.map(\.ecgChannels) == [["column 2"], ["II"], ["column 2"]])
        #expect(summary.records.map(\.ppgChannels) == [["column 1"], ["PLETH"], ["column 1"]])
        #expect(summary.manifest == manifest.path)
        #expect(summary.labels == [
            .init(name: "age", kind: "numeric", scope: "subject", classes: []),
            .init(name: "group", kind: "binary", scope: "subject", classes: ["case", "control"]),
            .init(name: "visit", kind: "binary", scope: "record", classes: ["rest", "walk"]),
            .init(name: "score", kind: "binary", scope: "record", classes: ["0", "1"]),
        ])

        let store = try RecordStore(url: out)
        #expect(store.subjects.map(\.id) == ["a", "b"])
        let meta = try store.meta(0..<6)
        #expect(meta.map(\.subjectIndex) == [0, 0, 0, 1, 1, 1])
        #expect(meta.map(\.ecgOriginalRate) == [50, 50, 250, 100, 100, 100])
        let labels = Dictionary(uniqueKeysWithValues: store.labels.map { ($0.name, $0) })
        #expect(labels["age"]?.values == [63.5, 41] && labels["age"]?.scope == .subject)
        #expect(labels["group"]?.values == [0, 1])
        #expect(labels["visit"]?.values == [0, 0, 1, 0, 0, 0] && labels["visit"]?.scope == .record)
        #expect(labels["score"]?.values == [1, 1, nil, 0, 0, 0])
        let info = try StoreSummary(store)
        #expect(info.labelTable.map(\.name) == ["age", "group", "score", "visit"])
        #expect(info.labelTable[3].classes.map(\.segments) == [5, 1])
    }

    @Test func badManifestsNameTheLineAndWriteNothing() throws {
        let folder = try TestSupport.temporaryFolder("manifest-bad")
        defer { try? FileManager.default.removeItem(at: folder) }
        try Self.recording(folder.appendingPathComponent("ok.csv"), header: nil, rate: 50, seconds: 12, time: false)
        try Self.write("t,ECG\n0,1\n0.01,2\n0.02\n", folder.appendingPathComponent("ragged.csv"))
        let ok = "ok.csv,s1,2,1,50"
        let cases: [(String, String)] = [
            ("", "empty manifest"),
            ("file,subject\nok.csv,s1\n", "no 'path' column (the header must name at least path and subject; it has file, subject)"),
            ("path,ecg\nok.csv,2\n", "no 'subject' column (the header must name at least path and subject; it has path, ecg)"),
            ("path,subject,ecg,ppg,rate\n", "no recordings listed (only a header)"),
            ("path,subject,ecg,ppg,rate\n\(ok)\nmissing.csv,s2,2,1,50\n", "line 3: \(folder.path)/missing.csv: no such file"),
            ("path,subject,ecg,ppg,rate\n\(ok)\nok.csv,s2,2,1,50\n", "line 3: \(folder.path)/ok.csv is listed twice (also on line 2)"),
            ("path,subject,ecg,ppg,rate\nok.csv,,2,1,50\n", "line 2: empty subject"),
            ("path,subject,ecg,ppg,rate\n,s1,2,1,50\n", "line 2: empty path"),
            ("path,subject,ecg,ppg,rate\nok.csv,s1,2,1,fast\n", "line 2: rate 'fast' is not a number"),
            ("path,subject,ecg,ppg,rate\nok.csv,s1,2,1,0\n", "line 2: rate 0 Hz is outside 10–100000 Hz"),
            ("path,subject,ecg,ppg,rate\nok.csv,s1,2,1,1e-7\n", "line 2: rate 1e-7 Hz is outside 10–100000 Hz"),
            ("path,subject,ecg,ppg,rate\nok.csv,s1,2,1,1e9\n", "line 2: rate 1e9 Hz is outside 10–100000 Hz"),
            ("path,subject,ecg,ppg,rate\nok.csv,s1,2,1,inf\n", "line 2: rate 'inf' is not a number"),
            ("path,subject,ecg,ppg,rate\nok.csv,s1,2\n", "line 2 has 3 fields, the header has 5"),
            ("path,subject,ecg,ppg,rate\n\"ok.csv,s1,2,1,50\n", "line 2: a quoted field is not closed"),
            ("path,subject,level\nok.csv,s1,1\nragged.csv,s2,high\n", "line 3, label column 'level' mixes numbers ('1') and words ('high')"),
            ("path,subject,Subject\nok.csv,s1,s1\n", "line 1: column 'Subject' appears twice"),
            ("path,subject,a/b\nok.csv,s1,1\n", "line 1: label name 'a/b' contains '/'"),
            ("path,subject,ecg,ppg,rate\n\(ok)\nragged.csv,s2,,,\n",
             "line 3: \(folder.path)/ragged.csv: line 4 has 1 fields, the header has 2 (truncated or ragged file)"),
            ("path,subject,ecg,ppg,rate\nok.csv,s1,7,1,50\n",
             "line 2: \(folder.path)/ok.csv: no column 7 for the ECG (0-based columns: 0 column 0, 1 column 1, 2 column 2)"),
        ]
        let manifest = folder.appendingPathComponent("cohort.csv")
        let out = folder.appendingPathComponent("s.h5")
        for (text, message) in cases {
            try Self.write(text, manifest)
            #expect {
                try Importer.run(manifest: try Manifest.read(manifest), out: out, options: Importer.Options())
            } throws: { "\($0)" == "\(manifest.path): \(message)" }
            let listing = try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted()
            #expect(listing == ["cohort.csv", "ok.csv", "ragged.csv"], "\(message): \(listing)")
        }
        #expect { try Manifest.read(folder.appendingPathComponent("nope.csv")) } throws: {
            "\($0)" == "\(folder.path)/nope.csv: no such manifest"
        }
    }

    /// The NCKU folder (47 headerless 50-Hz CSV files of 6 people) through a manifest that maps
    /// `<subject>_<activity>[_levelN]_<date>_<time>.csv` to subject, activity and level.
    @Test func nckuFolderThroughAManifest() throws {
        guard let real = TestSupport.realDataFolder else { print("skipped: ../shared/data/real is absent"); return }
        let ncku = real.appendingPathComponent("csv/ncku")
        let files = try FileManager.default.contentsOfDirectory(atPath: ncku.path).filter { $0.hasSuffix(".csv") }.sorted()
        let folder = try TestSupport.temporaryFolder("manifest-ncku")
        defer { try? FileManager.default.removeItem(at: folder) }
        var text = "path,subject,ecg,ppg,rate,activity,level\n"
        var expected: [(subject: String, activity: String, level: Double?)] = []
        for f in files {
            // One file spells its level "levle3": the level is the digit after "lev".
            let parts = f.split(separator: "_").map(String.init)
            let level = parts[2].hasPrefix("lev") ? Double(String(parts[2].last!)) : nil
            expected.append((parts[0], parts[1], level))
            text += "\(ncku.path)/\(f),\(parts[0]),3,2,50,\(parts[1]),\(level.map { String(Int($0)) } ?? "")\n"
        }
        let manifest = folder.appendingPathComponent("ncku.csv")
        try Self.write(text, manifest)
        let out = folder.appendingPathComponent("ncku.h5")
        let summary = try Importer.run(manifest: try Manifest.read(manifest), out: out, options: Importer.Options())
        #expect(files.count == 47 && summary.records.count == 47)
        #expect(summary.subjects == 6)
        #expect(summary.records.allSatisfy { $0.ecgChannels == ["column 3"] && $0.ppgChannels == ["column 2"] && $0.segments >= 12 })

        let store = try RecordStore(url: out)
        #expect(store.subjects.map(\.id) == ["125", "300", "595", "646", "742", "809"])
        #expect(Set(try store.meta(0..<store.segmentCount).map(\.record)).count == 47)
        let labels = Dictionary(uniqueKeysWithValues: store.labels.map { ($0.name, $0) })
        #expect(labels["activity"]?.kind == .categorical && labels["activity"]?.scope == .record)
        #expect(labels["activity"]?.classes == ["bike", "rotate", "speak", "static"])
        #expect(labels["level"]?.kind == .numeric && labels["level"]?.scope == .record)
        // Every segment carries its recording's labels.
        var first = 0
        for (record, e) in zip(summary.records, expected) {
            let range = first..<(first + record.segments)
            #expect(range.allSatisfy { labels["activity"]?.className(labels["activity"]?.values[$0]) == e.activity }, "\(record.record)")
            #expect(range.allSatisfy { labels["level"]?.values[$0] == e.level }, "\(record.record)")
            first = range.upperBound
        }

        // Heart rates: the median over each recording's segments with a clean ECG (and one with a
        // clean PPG), from the stored 125-Hz signals.
        var ecgRates: [Double] = [], ppgRates: [Double] = [], agree = 0
        first = 0
        for record in summary.records {
            let range = first..<(first + record.segments)
            first = range.upperBound
            let metas = try store.meta(range)
            let ecg = try store.signals(.ecg, range), ppg = try store.signals(.ppg, range)
            var e: [Double] = [], p: [Double] = []
            for (k, meta) in metas.enumerated() {
                let n = SegmentFormat.samples
                if meta.ecgQuality.isEmpty,
                   let bpm = HeartRate.bpm(peaks: RPeakDetector.detect(Array(ecg[(k * n)..<((k + 1) * n)]), rate: SegmentFormat.sampleRate),
                                          rate: SegmentFormat.sampleRate) { e.append(bpm) }
                if meta.ppgQuality.isEmpty,
                   let bpm = HeartRate.bpm(peaks: PulseDetector.detect(Array(ppg[(k * n)..<((k + 1) * n)]), rate: SegmentFormat.sampleRate).peaks,
                                          rate: SegmentFormat.sampleRate) { p.append(bpm) }
            }
            let me = e.sorted().dropFirst(e.count / 2).first, mp = p.sorted().dropFirst(p.count / 2).first
            if let me { ecgRates.append(me) }
            if let mp { ppgRates.append(mp) }
            if let me, let mp, abs(me - mp) <= 10 { agree += 1 }
        }
        print("NCKU: ECG median heart rate on \(ecgRates.count) recordings \(ecgRates.min() ?? 0)–\(ecgRates.max() ?? 0) bpm; PPG pulse rate on \(ppgRates.count) \(ppgRates.min() ?? 0)–\(ppgRates.max() ?? 0) bpm; within 10 bpm on \(agree)")
        #expect(ecgRates.count >= 40 && ecgRates.allSatisfy { (45...180).contains($0) })
        #expect(ppgRates.count >= 45 && ppgRates.allSatisfy { (45...180).contains($0) })
        #expect(agree >= 40)
    }

    /// The two other real text recordings, each with its own rate and channels in one manifest:
    /// neurokit (header ECG,PPG,RSP, no time column, 100 Hz) and pyphysio (tab-separated, no
    /// header, ECG, EDA, BVP, RESP at 2048 Hz).
    @Test func otherRealTextFilesThroughOneManifest() throws {
        guard let real = TestSupport.realDataFolder else { print("skipped: ../shared/data/real is absent"); return }
        let folder = try TestSupport.temporaryFolder("manifest-real")
        defer { try? FileManager.default.removeItem(at: folder) }
        let csv = real.appendingPathComponent("csv").path
        let manifest = folder.appendingPathComponent("m.tsv")
        try Self.write("path\tsubject\tecg\tppg\trate\tsource\n\(csv)/neurokit_bio_resting_5min_100hz.csv\tnk\t\t\t100\tneurokit\n"
                       + "\(csv)/pyphysio_medical_2048hz.tsv\tpp\t0\t2\t2048\tpyphysio\n", manifest)
        let summary = try Importer.run(manifest: try Manifest.read(manifest), out: folder.appendingPathComponent("r.h5"), options: Importer.Options())
        #expect(summary.records.map(\.segments) == [30, 12])
        #expect(summary.records.map(\.ecgChannels) == [["ECG"], ["column 0"]] && summary.records.map(\.ppgChannels) == [["PPG"], ["column 2"]])
        #expect(summary.labels == [.init(name: "source", kind: "binary", scope: "subject", classes: ["neurokit", "pyphysio"])])
        let meta = try RecordStore(url: folder.appendingPathComponent("r.h5")).meta(0..<42)
        #expect(meta.first?.ecgOriginalRate == 100 && meta.last?.ppgOriginalRate == 2048)
    }
}
