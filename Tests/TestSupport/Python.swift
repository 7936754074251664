import Foundation

/// Runs the project's Python oracles (PyTorch, h5py, wfdb, scikit-learn) from Swift tests.
///
/// Tests that need a Python package check `Python.missing(_:)` first and skip with the
/// printed reason when it is absent; with `M2AE_REQUIRE_PYTHON=1` (set by `make test` and CI)
/// a missing package is a failure instead, so CI can never pass by skipping the oracles.
public enum Python {
    /// The interpreter: `$PYTHON`, else `python3` on the PATH.
    public static let executable: String = ProcessInfo.processInfo.environment["PYTHON"] ?? "python3"

    /// True when a missing oracle must fail the test rather than skip it.
    public static var required: Bool { ProcessInfo.processInfo.environment["M2AE_REQUIRE_PYTHON"] == "1" }

    /// The modules among `modules` that cannot be imported, or nil when all can.
    public static func missing(_ modules: [String]) -> [String]? {
        let absent = modules.filter { module in
            (try? run(["-c", "import \(module)"]))?.status != 0
        }
        return absent.isEmpty ? nil : absent
    }

    /// Runs `python3 args…` in the project root and returns its exit status, stdout and stderr.
    @discardableResult
    public static func run(_ args: [String], environment: [String: String] = [:]) throws -> (status: Int32, stdout: String, stderr: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [executable] + args
        process.currentDirectoryURL = TestSupport.projectRoot
        var env = ProcessInfo.processInfo.environment
        env.merge(environment) { $1 }
        process.environment = env
        let out = Pipe()
        let errURL = FileManager.default.temporaryDirectory.appendingPathComponent("m2ae-py-\(UUID().uuidString).err")
        FileManager.default.createFile(atPath: errURL.path, contents: nil)
        defer { try? FileManager.default.removeItem(at: errURL) }
        let err = try FileHandle(forWritingTo: errURL)
        defer { try? err.close() }
        process.standardOutput = out
        process.standardError = err
        try process.run()
        // Stderr goes to a temporary file so a chatty oracle cannot block on a full pipe
        // while stdout is being read.
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let errData = (try? Data(contentsOf: errURL)) ?? Data()
        return (process.terminationStatus, String(decoding: outData, as: UTF8.self), String(decoding: errData, as: UTF8.self))
    }

    /// Runs a script from the repo (path relative to the root) and fails loudly on a non-zero exit.
    public static func script(_ path: String, _ args: [String]) throws -> String {
        let r = try run([path] + args)
        guard r.status == 0 else { throw OracleError(script: path, status: r.status, stderr: r.stderr) }
        return r.stdout
    }
}

/// A Python oracle exited non-zero.
public struct OracleError: Error, CustomStringConvertible {
    public var script: String
    public var status: Int32
    public var stderr: String
    public var description: String { "\(script) exited \(status): \(stderr.suffix(2000))" }
}
