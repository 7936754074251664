import Analytics
import ArgumentParser
import Foundation
import Model
import Store

extension M2AE {
    /// `m2ae export`: A model's fingerprints without the waveforms, to share.
    struct Export: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "export",
            abstract: "A model's fingerprints without the waveforms: a store, CSV or .npy to share.",
            discussion: """
            --format h5 (default) writes a store with subjects, labels, segment metadata and the \
            model's fingerprints and maps, and no /signals; knn, project, predict, evaluate and \
            the workbench read it. --format csv writes one row per segment (segment, subject, \
            record, start, then the --mode fingerprint); --format npy writes the --mode \
            fingerprints as a float32 .npy matrix and their ids beside it as <OUT>.ids.csv. \
            --pseudonymise SALT replaces subject ids and record names with salted hashes (the \
            salt is not written; the same salt gives the same pseudonyms). An existing output is \
            refused unless --force, which replaces it atomically.
            """
        )

        enum Format: String, ExpressibleByArgument, CaseIterable { case h5, csv, npy }

        @Argument(help: "The store (.h5) holding the model's fingerprints.")
        var store: String
        @Option(name: .customLong("model"), help: "The checkpoint (.safetensors) whose fingerprints are exported.")
        var checkpoint: String
        @Option(help: "The file to write.")
        var out: String
        @Option(help: "h5 (a fingerprint-only store), csv or npy.")
        var format: Format = .h5
        @Option(help: "Fingerprint mode for csv and npy: ecg+ppg, ecg or ppg.")
        var mode: FingerprintMode = .both
        @Option(name: .customLong("pseudonymise"), help: ArgumentHelp("Replace subject ids and record names with hashes salted with SALT.", valueName: "SALT"))
        var salt: String?
        @Flag(help: "Replace an existing output file.")
        var force = false

        func validate() throws {
            if let salt, salt.isEmpty { throw ValidationError("--pseudonymise needs a non-empty salt") }
        }

        func run() throws {
            let outURL = URL(fileURLWithPath: out)
            let idsURL = outURL.deletingPathExtension().appendingPathExtension("ids.csv")
            let targets = format == .npy ? [outURL, idsURL] : [outURL]
            do {
                let folder = outURL.deletingLastPathComponent().path
                guard FileManager.default.fileExists(atPath: folder) else { throw CLIError("\(out): folder \(folder) does not exist") }
                if !force, let existing = targets.first(where: { FileManager.default.fileExists(atPath: $0.path) }) {
                    throw CLIError("\(existing.path): already exists; pass --force to replace it")
                }
                let source = try RecordStore(url: URL(fileURLWithPath: store))
                let modelID: String
                do { modelID = try M2AEModel(checkpoint: URL(fileURLWithPath: checkpoint)).id } catch { throw CLIError(String(describing: error)) }
                if targets.contains(where: { $0.standardizedFileURL.path == source.url.standardizedFileURL.path }) {
                    throw CLIError("\(out): is the store being exported; write the export elsewhere")
                }
                switch format {
                case .h5:
                    try StoreExport.write(source, model: modelID, to: outURL, salt: salt,
                                          attributes: ["generator": "m2ae export", "exported_model": modelID])
                    print("\(out): \(source.segmentCount) segments of \(source.subjects.count) subjects, fingerprints of model \(modelID), no waveforms\(salt == nil ? "" : ", ids pseudonymised")")
                case .csv, .npy:
                    let fp = try StoreFingerprints(store: source, model: modelID, mode: mode)
                    let values = try fp.rows(0 ..< fp.rowCount)
                    let n = source.segmentCount
                    var ids: [(subject: String, record: String, start: Double)] = []
                    for lo in stride(from: 0, to: n, by: 65_536) {
                        ids += try source.meta(lo ..< min(n, lo + 65_536)).map { m in
                            let subject = source.subjects[Int(m.subjectIndex)].id
                            return salt.map { (StoreExport.pseudonym(subject, kind: "subject", salt: $0), StoreExport.pseudonym(m.record, kind: "record", salt: $0), m.start) }
                                ?? (subject, m.record, m.start)
                        }
                    }
                    if format == .csv {
                        try AtomicReplace.write(FingerprintExport.csv(ids: ids, values: values, cols: fp.dim), to: outURL)
                    } else {
                        try AtomicReplace.write(FingerprintExport.npy(values, rows: n, cols: fp.dim), to: outURL)
                        try AtomicReplace.write(FingerprintExport.csv(ids: ids, values: nil, cols: 0), to: idsURL)
                    }
                    print("\(out): \(n) \(mode.rawValue) fingerprints of model \(modelID), \(fp.dim) wide" + (format == .npy ? "; ids in \(idsURL.path)" : ""))
                }
            } catch let e as CLIError { throw e } catch { throw CLIError(String(describing: error)) }
        }
    }
}
