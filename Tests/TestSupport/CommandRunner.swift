import Foundation

/// Runs the `m2ae` executable built by the current test run and captures what it did.
///
/// `swift test` (and `swift build --build-tests`) builds every product of the package, the
/// `m2ae` executable included, into the same folder as the test bundle; the runner finds the
/// binary there (never a copy from another build configuration). `M2AE_EXECUTABLE` overrides
/// the path, e.g. to test an installed binary.
public enum CommandRunner {
    /// What one run of the command did.
    public struct Result: Sendable, CustomStringConvertible {
        /// The arguments after `m2ae`.
        public var arguments: [String]
        /// The exit status (or the signal number when the process was killed by one).
        public var status: Int32
        public var stdout: String
        public var stderr: String

        /// Standard error's non-empty lines.
        public var stderrLines: [String] {
            stderr.split(separator: "\n", omittingEmptySubsequences: true).map(String.init)
        }

        /// Standard output parsed as one JSON object (`--json`), or nil when it is not one.
        public var jsonObject: [String: Any]? {
            (try? JSONSerialization.jsonObject(with: Data(stdout.utf8))) as? [String: Any]
        }

        /// The command line and what it printed, for failure messages.
        public var description: String {
            "m2ae \(arguments.joined(separator: " ")) → exit \(status)\n--- stdout\n\(stdout.prefix(4000))\n--- stderr\n\(stderr.prefix(4000))"
        }
    }

    /// The runner could not find or start the executable, or a run took too long.
    public struct Failure: Error, CustomStringConvertible {
        public var description: String
        public init(description: String) { self.description = description }
    }

    /// The `m2ae` binary (or another product, `name`) of this test run's build folder.
    public static func executable(_ name: String = "m2ae") throws -> URL {
        if name == "m2ae", let override = ProcessInfo.processInfo.environment["M2AE_EXECUTABLE"] {
            let url = URL(fileURLWithPath: override)
            guard FileManager.default.isExecutableFile(atPath: url.path) else {
                throw Failure(description: "M2AE_EXECUTABLE=\(override) is not an executable file")
            }
            return url
        }
        let folders = buildFolders()
        for folder in folders {
            let url = folder.appendingPathComponent(name)
            if FileManager.default.isExecutableFile(atPath: url.path) { return url }
        }
        throw Failure(description: "no \(name) executable beside the test bundle (looked in \(folders.map(\.path).joined(separator: ", "))); "
                      + "run the tests with `swift test`, which builds it, or set M2AE_EXECUTABLE")
    }

    /// Folders that hold the test bundle of this run: on Linux the test process itself is the
    /// `…PackageTests.xctest` executable; on macOS the bundle is loaded by a helper process.
    static func buildFolders() -> [URL] {
        var folders: [URL] = []
        let selfExe = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
        if selfExe.path != "/proc/self/exe" { folders.append(selfExe.deletingLastPathComponent()) }
        if let main = Bundle.main.executableURL?.resolvingSymlinksInPath() { folders.append(main.deletingLastPathComponent()) }
        for bundle in Bundle.allBundles where bundle.bundleURL.pathExtension == "xctest" {
            folders.append(bundle.bundleURL.resolvingSymlinksInPath().deletingLastPathComponent())
        }
        var seen = Set<String>()
        return folders.filter { seen.insert($0.standardizedFileURL.path).inserted }
    }

    /// Runs `m2ae arguments…` and waits for it.
    ///
    /// Standard output and standard error go to temporary files (so neither can fill a pipe
    /// and stall the other) and are returned as text; standard input is empty.
    /// - Parameters:
    ///   - directory: the working directory (default: the current one).
    ///   - environment: variables added to (or replacing) this process's environment
    ///     (`OPENBLAS_CORETYPE` is not inherited).
    ///   - timeout: seconds before the process is killed and `Failure` thrown.
    ///   - product: the executable to run (default `m2ae`).
    public static func run(_ arguments: [String], in directory: URL? = nil, environment: [String: String] = [:],
                           timeout: TimeInterval = 300, product: String = "m2ae") throws -> Result {
        let process = Process()
        process.executableURL = try executable(product)
        process.arguments = arguments
        if let directory { process.currentDirectoryURL = directory }
        var env = ProcessInfo.processInfo.environment
        env["COLUMNS"] = "100"
        // The host's OpenBLAS kernel choice would make `embed` and `train` warn on some machines
        // and not others; tests that want one pass it in `environment`.
        env["OPENBLAS_CORETYPE"] = nil
        env.merge(environment) { $1 }
        process.environment = env

        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("m2ae-run-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: scratch) }
        let outURL = scratch.appendingPathComponent("stdout"), errURL = scratch.appendingPathComponent("stderr")
        FileManager.default.createFile(atPath: outURL.path, contents: nil)
        FileManager.default.createFile(atPath: errURL.path, contents: nil)
        let out = try FileHandle(forWritingTo: outURL), err = try FileHandle(forWritingTo: errURL)
        defer { try? out.close(); try? err.close() }
        process.standardOutput = out
        process.standardError = err
        process.standardInput = FileHandle.nullDevice

        try process.run()
        let deadline = Date().addingTimeInterval(timeout)
        while process.isRunning {
            if Date() > deadline {
                process.terminate()
                process.waitUntilExit()
                throw Failure(description: "m2ae \(arguments.joined(separator: " ")) ran past \(Int(timeout)) s and was killed")
            }
            usleep(5_000)
        }
        process.waitUntilExit()
        let stdout = (try? Data(contentsOf: outURL)) ?? Data()
        let stderr = (try? Data(contentsOf: errURL)) ?? Data()
        return Result(arguments: arguments, status: process.terminationStatus,
                      stdout: String(decoding: stdout, as: UTF8.self), stderr: String(decoding: stderr, as: UTF8.self))
    }
}
