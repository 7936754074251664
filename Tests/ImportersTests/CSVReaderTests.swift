import Foundation
import Testing
import TestSupport
@testable import Importers

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

@Test func csvBadInput() throws {
    let folder = try TestSupport.temporaryFolder("csv-bad")
    defer { try? FileManager.default.removeItem(at: folder) }
    let cases: [(String, String, String)] = [
        ("empty.csv", "", "empty CSV file"),
        ("ragged.csv", "t,ECG\n0,1\n0.01,2\n0.02\n", "line 4 has 1 fields, the header has 2"),
        ("text.csv", "t,ECG\n0,1\n0.01,abc\n", "line 3, column ECG: 'abc' is not a number"),
        ("noheader.csv", "0,1\n1,2\n", "the first line must name the columns"),
        ("uneven.csv", "t,ECG\n0,1\n0.01,2\n0.05,3\n0.06,4\n", "not evenly spaced"),
        ("backwards.csv", "t,ECG\n0,1\n0.01,2\n0.0,3\n", "does not increase"),
    ]
    for (name, text, message) in cases {
        let url = try write(text, name, in: folder)
        #expect { try CSVReader.read(url, rate: nil) } throws: { e in
            "\(e)" == "\(url.path): " + message || ("\(e)".hasPrefix(url.path + ": ") && "\(e)".contains(message))
        }
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
