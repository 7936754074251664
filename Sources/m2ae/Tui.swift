import ArgumentParser
import Foundation
import Workbench

extension M2AE {
    /// `m2ae tui`: Open the workbench (TUI) on a store.
    struct Tui: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "tui",
            abstract: "Open the workbench (TUI) on a store.",
            discussion: "Keys: ? lists them all. The design size is 80×24; the minimum is 60×16."
        )

        @Argument(help: "The store to open (default: sample-data/cohort.h5, found from the current folder or the m2ae checkout).")
        var store: String?

        @Option(name: .customLong("model"), help: "The checkpoint whose fingerprints the store holds (reconstruction, predictions, risk; default: m2ae-small.safetensors beside the store, when present).")
        var model: String?

        @Option(name: .customLong("script"), help: "Replay a key script (keys, timing, captions) on start.")
        var script: String?

        @Option(name: .customLong("record"), help: "Record the keys pressed into this key script file on exit.")
        var record: String?

        @Flag(name: .customLong("tour"), help: "Play the built-in guided tour.")
        var tour = false

        @Option(name: .customLong("export-dir"), help: "Folder where x writes the text and SVG snapshots, made when absent (default: current folder).")
        var exportDir: String = "."

        @Option(name: .customLong("synthetic"), help: "Open a synthetic in-memory cohort of this many segments instead of a store (demo, no files).")
        var synthetic: Int?

        @Flag(name: .customLong("no-color"), help: "Draw without colours (also when NO_COLOR is set).")
        var noColor = false

        func validate() throws {
            if script != nil && tour { throw ValidationError("--script and --tour both give a demo; pick one") }
            if let n = synthetic, n < 1 { throw ValidationError("--synthetic needs at least 1 segment") }
            if synthetic != nil && store != nil { throw ValidationError("give a store or --synthetic, not both") }
            if synthetic != nil && model != nil { throw ValidationError("--model needs a store, not --synthetic") }
        }

        func run() throws {
            let services = try openServices()
            let demo = try tour ? KeyScript(parsing: Tour.text, source: "tour") : script.map { try KeyScript(contentsOf: URL(fileURLWithPath: $0)) }
            // A missing export folder is made on the first export; a file in its place is an error now.
            let export = URL(fileURLWithPath: exportDir)
            var isDir: ObjCBool = false
            if FileManager.default.fileExists(atPath: export.path, isDirectory: &isDir), !isDir.boolValue {
                throw CLIError("\(exportDir): not a folder (--export-dir names the folder x writes into)")
            }
            let env = ProcessInfo.processInfo.environment
            let useColor = !noColor && (env["NO_COLOR"] ?? "").isEmpty
            let options = WorkbenchApp.Options(useColor: useColor, script: demo, recordURL: record.map { URL(fileURLWithPath: $0) }, exportFolder: export)
            guard isatty(STDIN_FILENO) != 0, isatty(STDOUT_FILENO) != 0 else {
                throw CLIError("m2ae tui needs a terminal (stdin and stdout must be a TTY)")
            }
            try WorkbenchApp(services: services, options: options).run()
        }
    }
}

extension M2AE.Tui {
    /// The services for the chosen source: a synthetic cohort or a store file.
    func openServices() throws -> any WorkbenchServices {
        if let n = synthetic {
            let per = min(n, 10)
            return SyntheticServices(subjects: (n + per - 1) / per, segmentsPerSubject: per)
        }
        let url = try Self.resolveStore(store)
        let checkpoint = try Self.resolveCheckpoint(model, store: url)
        do { return try StoreServices(url: url, checkpoint: checkpoint) } catch { throw CLIError("\(error)") }
    }

    /// The checkpoint: as given (it must exist), else `m2ae-small.safetensors` in the store's
    /// folder when present, else none.
    static func resolveCheckpoint(_ path: String?, store: URL) throws -> URL? {
        if let path {
            guard FileManager.default.fileExists(atPath: path) else { throw CLIError("\(path): no such checkpoint") }
            return URL(fileURLWithPath: path)
        }
        let beside = store.deletingLastPathComponent().appendingPathComponent("m2ae-small.safetensors")
        return FileManager.default.fileExists(atPath: beside.path) ? beside : nil
    }

    /// The store path: as given, else `sample-data/cohort.h5` in the current folder or in the
    /// checkout that holds this executable (`.build/<config>/m2ae` → repo root).
    static func resolveStore(_ path: String?) throws -> URL {
        if let path {
            var isDir: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDir) else {
                throw CLIError("\(path): no such store; make one with `m2ae synth --out \(path)` (a synthetic cohort) or `m2ae import RECORDINGS --out \(path)`")
            }
            if isDir.boolValue { throw CLIError("\(path): a folder, not a store; pass the store file inside it (an .h5 made by m2ae import or m2ae synth)") }
            return URL(fileURLWithPath: path)
        }
        let relative = "sample-data/cohort.h5"
        var candidates = [URL(fileURLWithPath: relative)]
        var dir = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent()
        while dir.path != "/" {
            candidates.append(dir.appendingPathComponent(relative))
            dir.deleteLastPathComponent()
        }
        if let found = candidates.first(where: { FileManager.default.fileExists(atPath: $0.path) }) { return found }
        throw CLIError("\(relative): no store here or beside the m2ae checkout; make one with `m2ae synth --out \(relative)` or pass a store path")
    }
}
