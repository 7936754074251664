import Foundation
import Testing
import TestSupport
@testable import Importers
import Support

private func write(_ text: String, _ name: String, in folder: URL) throws -> URL {
    let url = folder.appendingPathComponent(name)
    try Data(text.utf8).write(to: url)
    return url
}

@Test func csvRateFromTimeColumn() throws {
    let folder = try TestSupport.temporaryFolder("csv")
    defer { try? FileManager.default.removeItem(at: folder) }
    let url = try write("time,ECG,PPG\n0.000,1.5,2\n0.004,-1e-3,\n0.008,nan,3.25\n0.012,4,5\n", "a.csv", in: folder)
    let r = try CSVReader.read(url, rate: nil)
    let channels = r.parts[0].channels
    #expect(channels.map(\.name) == ["ECG", "PPG"])
    #expect(channels.allSatisfy { $0.rate == 250 })
    #expect(channels[0].samples[0...1] == [1.5, -1e-3] && channels[0].samples[2].isNaN)
    #expect(channels[1].samples[1].isNaN && channels[1].samples[2] == 3.25)
    // milliseconds, semicolons, and --rate ignored when a time column exists
    let ms = try write("\u{FEFF}time_ms;PLETH\n0;1\n8;2\n16;3\n", "b.csv", in: folder)
    #expect(try CSVReader.read(ms, rate: 50).parts[0].channels[0].rate == 125)
}

@Test func csvRealFileNeedsRate() throws {
    guard let real = TestSupport.realDataFolder else { print("skipped: ../shared/data/real is absent"); return }
    let url = real.appendingPathComponent("csv/neurokit_bio_resting_5min_100hz.csv")
    #expect { try CSVReader.read(url, rate: nil) } throws: { "\($0)".contains("give the rate with --rate") }
    let r = try CSVReader.read(url, rate: 100)
    #expect(r.parts[0].channels.map(\.name) == ["ECG", "PPG", "RSP"])
    #expect(r.parts[0].channels[0].samples.count == 30_000)
    // The first row parses to the same Doubles Python's float() gives.
    #expect(r.parts[0].channels[0].samples[0] == 0.003766485194893143)
    #expect(r.parts[0].channels[1].samples[1] == -0.10375976562502318)
}

/// Time columns as exports name them: the unit from the name, else from the step.
@Test func csvTimeColumnNamesAndUnits() throws {
    let folder = try TestSupport.temporaryFolder("csv-time")
    defer { try? FileManager.default.removeItem(at: folder) }
    let cases: [(name: String, step: Double, rate: Double, unit: String)] = [
        ("Time [s]", 0.008, 125, "seconds"), ("time (s)", 0.004, 250, "seconds"), ("time_s", 0.01, 100, "seconds"),
        ("TIME", 0.002, 500, "seconds, found from its step"), ("t", 0.01, 100, "seconds, found from its step"),
        ("timestamp", 10, 100, "milliseconds, found from its step"), ("time", 0.48828125, 2048, "milliseconds, found from its step"),
        ("Time (ms)", 4, 250, "milliseconds"), ("time_ms", 8, 125, "milliseconds"), ("ms", 2, 500, "milliseconds"),
        ("time [us]", 4000, 250, "microseconds"), ("Seconds", 0.02, 50, "seconds"),
    ]
    for (i, c) in cases.enumerated() {
        var text = "\(c.name),ECG\n"
        for k in 0..<40 { text += "\(1_000 + Double(k) * c.step),\(sin(Double(k)))\n" }
        let url = try write(text, "t\(i).csv", in: folder)
        let r = try CSVReader.read(url, rate: nil)
        #expect(r.parts[0].channels.map(\.name) == ["ECG"], "\(c.name)")
        #expect(r.parts[0].channels[0].rate == c.rate, "\(c.name)")
        #expect(r.parts[0].channels[0].column == 1, "\(c.name)")
        #expect(r.notes == ["rate \(Int(c.rate)) Hz from the time column '\(c.name)' (\(c.unit))"], "\(c.name): \(r.notes)")
    }
    // A time column with a given rate that disagrees: the time column wins, and says so.
    let given = try CSVReader.read(folder.appendingPathComponent("t0.csv"), rate: 50)
    #expect(given.parts[0].channels[0].rate == 125)
    #expect(given.notes == ["rate 125 Hz from the time column 'Time [s]' (seconds); the given 50 Hz was not used"])
    // Names that are not time axes stay channels.
    let other = try write("timer,t2,ECG\n1,2,3\n4,5,6\n", "other.csv", in: folder)
    #expect(try CSVReader.read(other, rate: 100).parts[0].channels.map(\.name) == ["timer", "t2", "ECG"])
    // A tick counter named timestamp (125-µs ticks, 50 Hz): no plausible unit; the given rate is used.
    var ticks = "timestamp,PPG\n"
    for k in 0..<20 { ticks += "\(3_723_568 + 160 * k),\(k % 7)\n" }
    let tickURL = try write(ticks, "ticks.csv", in: folder)
    let byRate = try CSVReader.read(tickURL, rate: 50)
    #expect(byRate.parts[0].channels.map(\.name) == ["timestamp", "PPG"] && byRate.parts[0].channels[0].rate == 50)
    #expect(byRate.notes.first?.hasPrefix("the column 'timestamp' was not used as time: its step 160") == true, "\(byRate.notes)")
    #expect { try CSVReader.read(tickURL, rate: nil) } throws: {
        "\($0)" == "\(tickURL.path): the time column 'timestamp' steps by 160: no rate within 10–100000 Hz in seconds or milliseconds; give the rate with --rate"
    }
}

/// PhysioNet's BIDMC export (`Time [s], RESP, PLETH, V, AVR, II`, spaces after the commas)
/// imports without --rate, with lead II and PLETH.
@Test func csvBIDMCExportImportsWithoutRate() throws {
    let folder = try TestSupport.temporaryFolder("csv-bidmc")
    defer { try? FileManager.default.removeItem(at: folder) }
    var text = "Time [s], RESP, PLETH, V, AVR, II\n"
    for k in 0..<(125 * 21) {
        let t = Double(k) / 125, beat = exp(-pow(fmod(t, 0.8) - 0.1, 2) / 0.0005)
        text += String(format: "%.3f,%.5f,%.5f,%.5f,%.5f,%.5f\n", t, sin(t), 0.5 + 0.3 * sin(6 * t), beat * 0.8, -beat * 0.4, beat + 0.01 * sin(40 * t))
    }
    let url = try write(text, "bidmc_01_Signals.csv", in: folder)
    let r = try CSVReader.read(url, rate: nil)
    #expect(r.parts[0].channels.map(\.name) == ["RESP", "PLETH", "V", "AVR", "II"])
    #expect(r.parts[0].channels.allSatisfy { $0.rate == 125 && $0.samples.count == 125 * 21 })
    #expect(r.notes == ["rate 125 Hz from the time column 'Time [s]' (seconds)"])
    let cut = try Segmenter.segments(of: r, file: url.path, picker: ChannelPicker(), subjectIndex: 0)
    #expect(cut.segments.count == 2 && cut.channels[.ecg] == ["II"] && cut.channels[.ppg] == ["PLETH"])
    // Columns by 0-based index count the time column: 5 is II, 2 is PLETH.
    let byIndex = try Segmenter.segments(of: r, file: url.path, picker: ChannelPicker(ecg: "4", ppg: "2"), subjectIndex: 0)
    #expect(byIndex.channels[.ecg] == ["AVR"] && byIndex.channels[.ppg] == ["PLETH"])
    #expect { try ChannelPicker(ecg: "0").pick(.ecg, in: r.parts[0].channels, file: "b.csv") } throws: {
        "\($0)" == "b.csv: no column 0 for the ECG (0-based columns: 1 RESP, 2 PLETH, 3 V, 4 AVR, 5 II)"
    }
}

/// Files without a header (NCKU: counter, ticks, PPG, three ECG leads), tabs, semicolons
/// with decimal commas, quoted names, CRLF line ends.
@Test func csvHeaderlessSeparatorsAndDecimalComma() throws {
    let folder = try TestSupport.temporaryFolder("csv-shapes")
    defer { try? FileManager.default.removeItem(at: folder) }
    var ncku = ""
    for k in 0..<30 { ncku += "\(1832 + k), \(3723568 + 160 * k).000000, \(1200 + k).750000, 8169.000000, \(k == 3 ? -30178 : 8186).000000, 8180.000000\n" }
    let url = try write(ncku, "125_static_level1_20260113_164748.csv", in: folder)
    #expect { try CSVReader.read(url, rate: nil) } throws: { "\($0)" == "\(url.path): no header line, so no time column; give the rate with --rate" }
    let r = try CSVReader.read(url, rate: 50)
    let channels = r.parts[0].channels
    #expect(channels.map(\.name) == (0..<6).map { "column \($0)" })
    #expect(channels.map(\.column) == Array(0..<6).map { Optional($0) })
    #expect(channels[2].samples[0] == 1200.75 && channels[4].samples[3] == -30178, "glitch values are kept for the quality check")
    #expect(r.notes == ["no header line: columns named column 0…column 5"])
    let picker = ChannelPicker(ecg: "3", ppg: "2")
    #expect(try picker.pick(.ecg, in: channels, file: "f") == 3 && picker.pick(.ppg, in: channels, file: "f") == 2)

    let tsv = try write("ECG\tBVP\r\n0.5\t1\r\n-0.25\t2\r\n0.125\t3\r\n", "x.tsv", in: folder)
    let t = try CSVReader.read(tsv, rate: 2048).parts[0].channels
    #expect(t.map(\.name) == ["ECG", "BVP"] && t[0].samples == [0.5, -0.25, 0.125] && t[1].rate == 2048)
    let semi = try write("\"Zeit\";\"EKG\";\"PPG\"\n1,5;2;-3,25\n2,5;nan;4\n3,5;;1e-3\n", "de.csv", in: folder)
    let d = try CSVReader.read(semi, rate: 100).parts[0].channels
    #expect(d.map(\.name) == ["Zeit", "EKG", "PPG"])
    #expect(d[0].samples == [1.5, 2.5, 3.5] && d[2].samples == [-3.25, 4, 1e-3] && d[1].samples[1].isNaN && d[1].samples[2].isNaN)
    let one = try write("PPG\n1\n2\n3\n", "one.csv", in: folder)
    #expect(try CSVReader.read(one, rate: 25).parts[0].channels.map(\.samples) == [[1, 2, 3]])
}

/// Every CSV/TSV in ../shared/data/real reads to the values numpy.loadtxt gives (bit for bit),
/// with the time column, channel names and rates each file's provenance states.
@Test func realCSVFilesEqualNumpy() throws {
    guard let real = TestSupport.realDataFolder else { print("skipped: ../shared/data/real is absent"); return }
    if let missing = Python.missing(["numpy"]) {
        if Python.required { Issue.record("Python modules missing: \(missing)") }
        print("skipped: Python modules missing: \(missing)"); return
    }
    let csv = real.appendingPathComponent("csv")
    let ncku = try FileManager.default.contentsOfDirectory(atPath: csv.appendingPathComponent("ncku").path)
        .filter { $0.hasSuffix(".csv") }.sorted().map { csv.appendingPathComponent("ncku/" + $0) }
    #expect(ncku.count == 47)
    let files: [(url: URL, spec: String, rate: Double?, names: [String])] = [
        (csv.appendingPathComponent("neurokit_bio_resting_5min_100hz.csv"), ",|yes|.", 100, ["ECG", "PPG", "RSP"]),
        (csv.appendingPathComponent("pyphysio_medical_2048hz.tsv"), "tab|no|.", 2048, (0..<4).map { "column \($0)" }),
    ] + ncku.map { ($0, ",|no|.", 50, (0..<6).map { "column \($0)" }) }
    let folder = try TestSupport.temporaryFolder("csv-oracle")
    defer { try? FileManager.default.removeItem(at: folder) }
    struct Shape: Decodable { var columns: [String]; var rows: Int }
    let json = try Python.script("reference/csv_oracle.py", ["read", folder.path] + files.map { "\($0.url.path)|\($0.spec)" })
    let shapes = try JSONDecoder().decode([Shape].self, from: Data(json.utf8))
    #expect(shapes.count == files.count)
    for (i, (file, shape)) in zip(files, shapes).enumerated() {
        let r = try CSVReader.read(file.url, rate: file.rate)
        let channels = r.parts[0].channels
        #expect(channels.map(\.name) == file.names, "\(file.url.lastPathComponent)")
        #expect(shape.columns.isEmpty || shape.columns == file.names, "\(file.url.lastPathComponent)")
        #expect(channels.allSatisfy { $0.rate == file.rate }, "\(file.url.lastPathComponent)")
        let data = try Data(contentsOf: folder.appendingPathComponent("\(i).bin"))
        let expected = data.withUnsafeBytes { Array($0.bindMemory(to: Double.self)) }
        #expect(expected.count == shape.rows * channels.count, "\(file.url.lastPathComponent)")
        for (c, channel) in channels.enumerated() {
            let column = Array(expected[(c * shape.rows)..<((c + 1) * shape.rows)])
            #expect(WFDBOracle.firstDifference(channel.samples, column) == nil, "\(file.url.lastPathComponent) \(channel.name)")
        }
    }
}

@Test func csvBadInput() throws {
    let folder = try TestSupport.temporaryFolder("csv-bad")
    defer { try? FileManager.default.removeItem(at: folder) }
    let cases: [(String, String, String)] = [
        ("empty.csv", "", "empty CSV file"),
        ("blank.csv", "\n\n", "empty CSV file"),
        ("ragged.csv", "t,ECG\n0,1\n0.01,2\n0.02\n", "line 4 has 1 fields, the header has 2 (truncated or ragged file)"),
        ("raggedbare.csv", "0,1\n1,2\n3\n", "line 3 has 1 fields, line 1 has 2 (truncated or ragged file)"),
        ("text.csv", "t,ECG\n0,1\n0.01,abc\n", "line 3, column ECG: 'abc' is not a number"),
        ("hex.csv", "t,ECG\n0,1\n0.01,0x1F\n", "line 3, column ECG: '0x1F' is not a number"),
        ("inf.csv", "t,ECG,PPG\n0,1,2\n0.01,2,3\n0.02,3,inf\n", "line 4, column PPG: 'inf' is infinite (write a missing sample as an empty cell or nan)"),
        ("neginf.csv", "ECG\n1\n-Infinity\n", "line 3, column ECG: '-Infinity' is infinite (write a missing sample as an empty cell or nan)"),
        ("overflow.csv", "0,1\n1,1e999\n", "line 2, column 1: '1e999' is infinite (write a missing sample as an empty cell or nan)"),
        ("onerow.csv", "t,ECG\n0,1\n", "no data rows"),
        ("uneven.csv", "t,ECG\n0,1\n0.01,2\n0.05,3\n0.06,4\n", "not evenly spaced"),
        ("backwards.csv", "t,ECG\n0,1\n0.01,2\n0.0,3\n", "does not increase"),
        ("nantime.csv", "t,ECG\n0,1\nnan,2\n0.02,3\n", "does not increase"),
        ("slow.csv", "Time [s],ECG\n0,1\n1,2\n2,3\n", "rate 1 Hz (from the time column 'Time [s]') is outside 10–100000 Hz"),
        ("fast.csv", "time_ms,ECG\n0,1\n0.000001,2\n0.000002,3\n", "rate 1000000000 Hz (from the time column 'time_ms') is outside 10–100000 Hz"),
        ("onlytime.csv", "time\n0\n0.01\n", "no signal columns besides the time column"),
        // 1,000 names over 1,000 one-field rows: refused before a 1,000 × 1,000 table is allocated.
        ("wide.csv", (0..<1000).map { "c\($0)" }.joined(separator: ",") + "\n" + String(repeating: "1\n", count: 1000),
         "line 2 has 1 fields, the header has 1000 (truncated or ragged file)"),
    ]
    for (name, text, message) in cases {
        let url = try write(text, name, in: folder)
        #expect { try CSVReader.read(url, rate: nil) } throws: { e in
            "\(e)" == "\(url.path): " + message || ("\(e)".hasPrefix(url.path + ": ") && "\(e)".contains(message))
        }
    }
    for rate in [0, 1e-7, 1e9] {
        let url = try write("ECG\n1\n2\n", "rate.csv", in: folder)
        #expect { try CSVReader.read(url, rate: rate) } throws: { "\($0)".contains("is outside 10–100000 Hz") }
    }
}

@Test func channelPickerUsualNamesAndOverrides() throws {
    let p = ChannelPicker()
    #expect(try p.pick(.ecg, among: ["ABP", "V", "MLII", "PLETH"], file: "f") == 2)
    #expect(try p.pick(.ecg, among: ["III", "I", "V", "PLETH"], file: "f") == 1)
    #expect(try p.pick(.ecg, among: ["ecg_lead_ii", "ppg"], file: "f") == 0)
    #expect(try p.pick(.ecg, among: ["Chest ECG raw", "PPG"], file: "f") == 0)
    #expect(try p.pick(.ppg, among: ["II", "Pleth"], file: "f") == 1)
    #expect(try p.pick(.ppg, among: ["II", "RESP"], file: "f") == nil)
    let forced = ChannelPicker(ecg: "V", ppg: "resp")
    #expect(try forced.pick(.ecg, among: ["II", "V"], file: "f") == 1)
    #expect(try forced.pick(.ppg, among: ["II", "RESP"], file: "f") == 1)
    #expect { try forced.pick(.ecg, among: ["II"], file: "x.hea") } throws: {
        "\($0)" == "x.hea: no channel named 'V' for the ECG (channels: II)"
    }
}

/// Mangled text (bytes flipped, cut, separators, quotes and line ends inserted) never crashes
/// the CSV reader or the manifest reader: each input is read or refused with an `ImportError`.
@Test func mangledTextIsReadOrRefused() throws {
    let folder = try TestSupport.temporaryFolder("csv-mangled")
    defer { try? FileManager.default.removeItem(at: folder) }
    let seeds = [
        "Time [s], RESP, PLETH, II\n0.000,1,2,3\n0.008,1.5,2.5,-3\n0.016,nan,,4\n0.024,1,2,3\n",
        "1832, 3723568.000000, 1262.750000, 8169.000000\n1833, 3723728.000000, 1201.750000, -30178.000000\n1834, 3723888.000000, 0, 8168\n",
        "\"Zeit\";\"EKG\"\r\n1,5;2\r\n2,5;3,25\r\n3,5;-1e-3\r\n",
        "ECG\tBVP\n-0.118\t34.183\n-0.117\t34.183\n",
        "path,subject,ecg,ppg,rate,level\n\"a, b.csv\",s1,3,2,50,1\nx.csv,s2,,,,high\n",
    ]
    let inserts: [UInt8] = Array(",;\t\"\r\n.-e0x".utf8) + [0xEF, 0xBB, 0xBF, 0x00, 0xFF]
    var rng = SplitMix64(seed: 0x9E3779B97F4A7C15)
    func next(_ n: Int) -> Int { rng.below(max(1, n)) }
    let url = folder.appendingPathComponent("m.csv")
    var read = 0, refused = 0
    for round in 0..<500 {
        var bytes = Array(seeds[round % seeds.count].utf8)
        for _ in 0..<(1 + next(4)) {
            switch next(4) {
            case 0: if !bytes.isEmpty { bytes[next(bytes.count)] = inserts[next(inserts.count)] }
            case 1: bytes.insert(inserts[next(inserts.count)], at: next(bytes.count + 1))
            case 2: if !bytes.isEmpty { bytes.removeSubrange(next(bytes.count)...) }
            default: if !bytes.isEmpty { bytes.remove(at: next(bytes.count)) }
            }
        }
        try Data(bytes).write(to: url)
        for rate in [nil, 50.0] {
            do { _ = try CSVReader.read(url, rate: rate); read += 1 } catch is ImportError { refused += 1 }
        }
        do { _ = try Manifest.read(url); read += 1 } catch is ImportError { refused += 1 }
    }
    #expect(read > 0 && refused > 0, "read \(read), refused \(refused)")
}

/// The reader's exact fast path for plain decimals gives the same Double, bit for bit, as
/// Swift's own parser (strtod in the C locale) on random decimals and on the edge cases.
@Test func cellNumbersEqualSwiftsParser() {
    var rng = SplitMix64(seed: 0x2545F4914F6CDD1D)
    func next(_ n: UInt64) -> UInt64 { rng.next() % n }
    var texts = ["0", "-0", "+0.0", "1.", ".5", "-.5", "+3", "1e22", "1e23", "1E-22", "4.35e-23", "9007199254740992",
                 "9007199254740993", "0.1", "0.30000000000000004", "123456789012345678", "1234567890123456789",
                 "0.003766485194893143", "-30178.000000", "3723568.000000", "1e-400", "2.5e+3", "00012.500"]
    for _ in 0..<20_000 {
        var t = next(2) == 0 ? "-" : ""
        let whole = String(next(UInt64(1) << UInt64(1 + next(40))))
        t += next(5) == 0 ? "" : whole
        if next(3) > 0 { t += "." + String(String(next(UInt64(1) << UInt64(1 + next(50)))).prefix(Int(1 + next(12)))) }
        if t == "-" || t.isEmpty || t.hasSuffix(".") && t.count == 1 { t += "7" }
        if next(4) == 0 { t += "e" + String(Int(next(60)) - 30) }
        texts.append(t)
    }
    var mismatches: [String] = []
    for t in texts {
        let bytes = Array(t.utf8)
        let got = bytes.withUnsafeBufferPointer { CSVReader.Table.number($0.baseAddress!, 0..<bytes.count, decimalComma: false) }
        let want = Double(t)
        if got?.bitPattern != want?.bitPattern { mismatches.append("\(t): \(String(describing: got)) vs \(String(describing: want))") }
        let comma = Array(t.replacingOccurrences(of: ".", with: ",").utf8)
        let viaComma = comma.withUnsafeBufferPointer { CSVReader.Table.number($0.baseAddress!, 0..<comma.count, decimalComma: true) }
        if viaComma?.bitPattern != want?.bitPattern { mismatches.append("\(t) with a decimal comma: \(String(describing: viaComma))") }
    }
    #expect(mismatches.isEmpty, "\(mismatches.prefix(10))")
}
