import Foundation
import Importers
import Model
import Signals
import Store
import Workbench

/// One parser under fuzzing: the bytes of one input are written where the parser reads them
/// from (a file in a scratch folder), the parser runs, and every error it throws is an
/// accepted outcome. A crash, a hang or an allocation beyond the fuzzer's limit is a bug.
enum FuzzTarget: String, CaseIterable {
    /// A WFDB header (`.hea` text) over a fixed 4,000-byte signal file.
    case wfdbHeader = "wfdb-header"
    /// A WFDB signal file under a header whose format and samples per frame the first two
    /// bytes choose (every binary and FLAC format the reader supports).
    case wfdbData = "wfdb-data"
    /// An EDF, EDF+ or BDF file.
    case edf
    /// A CSV file, read with and without a sampling rate.
    case csv
    /// A MATLAB v5 (or v4) .mat file, its channels found by name and by variable path;
    /// inputs whose header says v7.3 are left to `mat73`.
    case mat
    /// A MATLAB v7.3 .mat file (HDF5, read through libmatio). Like `store`, it reaches
    /// HDF5's own defects (a mutated file crashes HDF5 1.10.8: Fuzz/crashes), so it is left
    /// out of the CI smoke; m2ae contains those crashes with its HDF5 crash guard.
    case mat73
    /// A safetensors file, loaded as an M2AE checkpoint.
    case safetensors
    /// An HDF5 record store, opened, summarised and read.
    case store
    /// A workbench key script.
    case keyscript

    /// Whether a .mat file's 128-byte header declares version 7.3 (0x0200), in either byte order.
    static func isMAT73(_ bytes: [UInt8]) -> Bool {
        guard bytes.count >= 128 else { return false }
        switch (bytes[124], bytes[125], bytes[126], bytes[127]) {
        case (0x00, 0x02, UInt8(ascii: "I"), UInt8(ascii: "M")), (0x02, 0x00, UInt8(ascii: "M"), UInt8(ascii: "I")): return true
        default: return false
        }
    }

    /// The WFDB formats the data target cycles through.
    static let wfdbFormats = ["8", "16", "24", "32", "61", "80", "160", "212", "310", "311", "508", "516", "524"]

    /// Runs the parser on `bytes`, inside `scratch` (a folder this process owns).
    func run(_ bytes: [UInt8], scratch: URL) {
        let data = Data(bytes)
        func file(_ name: String, _ contents: Data) -> URL {
            let url = scratch.appendingPathComponent(name)
            _ = FileManager.default.createFile(atPath: url.path, contents: contents)
            return url
        }
        switch self {
        case .wfdbHeader:
            _ = file("r.dat", Data((0..<4000).map { UInt8(truncatingIfNeeded: $0 &* 37) }))
            segment(try RecordingReader.read(file("r.hea", data)))
        case .wfdbData:
            let format = Self.wfdbFormats[Int(bytes.first ?? 0) % Self.wfdbFormats.count]
            let spf = 1 + Int(bytes.dropFirst().first ?? 0) % 4
            let header = "r 2 250\nr.dat \(format)x\(spf) 200/mV 12 0 0 0 0 II\nr.dat \(format) 100(5)/NU 12 0 0 0 0 PLETH\n"
            _ = file("r.dat", Data(bytes.dropFirst(2)))
            segment(try RecordingReader.read(file("r.hea", Data(header.utf8))))
        case .edf:
            segment(try RecordingReader.read(file("r.edf", data)))
        case .csv:
            let url = file("r.csv", data)
            segment(try RecordingReader.read(url, rate: nil))
            segment(try RecordingReader.read(url, rate: 250))
        case .mat, .mat73:
            guard Self.isMAT73(bytes) == (self == .mat73) else { return }
            let url = file("r.mat", data)
            segment(try RecordingReader.read(url, rate: 125))
            segment(try RecordingReader.read(url, rate: 125, variables: ["data.ekg.v", "sig[:,0]"]))
        case .safetensors:
            let url = file("m.safetensors", data)
            _ = try? SafetensorsFile(url: url)
            _ = try? M2AEModel(checkpoint: url)
        case .store:
            let url = file("s.h5", data)
            guard let store = try? RecordStore(url: url) else { return }
            _ = try? StoreSummary(store, sliceRows: 64)
            if store.segmentCount > 0 { _ = try? store.segment(store.segmentCount - 1) }
        case .keyscript:
            _ = try? KeyScript(parsing: String(decoding: bytes, as: UTF8.self), source: "fuzz.keys")
        }
    }

    /// Cuts a recording into segments the way `m2ae import` does (rates and sizes that the
    /// file decides are bounded there), ignoring its errors.
    private func segment(_ read: @autoclosure () throws -> Recording) {
        guard let recording = try? read() else { return }
        _ = try? Segmenter.segments(of: recording, file: "fuzz", picker: ChannelPicker(), subjectIndex: 0)
    }
}
