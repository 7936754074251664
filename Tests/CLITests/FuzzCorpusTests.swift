import Foundation
import Testing
import TestSupport

/// Every input of the fuzz corpus (Fuzz/corpus/TARGET: the seeds, and each input that once
/// crashed a parser, kept once fixed) goes through its parser without a crash, in the plain
/// build: what `scripts/fuzz.sh` found stays fixed even where libFuzzer is not run.
@Suite struct FuzzCorpusTests {
    static let targets = ["wfdb-header", "wfdb-data", "edf", "csv", "mat", "mat73", "safetensors", "store", "keyscript"]

    @Test(arguments: targets) func corpusReplaysWithoutACrash(_ target: String) throws {
        let corpus = TestSupport.projectRoot.appendingPathComponent("Fuzz/corpus/\(target)")
        let files = try FileManager.default.contentsOfDirectory(atPath: corpus.path)
        #expect(!files.isEmpty, "no seed inputs for \(target)")
        let r = try CommandRunner.run([target, corpus.path], timeout: 120, product: "m2ae-fuzz")
        #expect(r.status == 0, "\(r)")
        #expect(r.stdout.contains("m2ae-fuzz \(target): \(files.count) inputs replayed, no crash"), "\(r)")
    }

    @Test func unknownTargetIsAUsageError() throws {
        let r = try CommandRunner.run(["pdf", "/dev/null"], product: "m2ae-fuzz")
        #expect(r.status == 2 && r.stdout.hasPrefix("usage: m2ae-fuzz TARGET"))
    }
}

/// An input that sends HDF5 itself into an endless loop (found by `scripts/fuzz.sh store`;
/// h5py with HDF5 2.0 hangs on it too): the watchdog ends `m2ae info` with one line.
@Suite struct HDF5HangTests {
    @Test func aStoreThatHangsHDF5EndsWithOneLine() throws {
        let hang = TestSupport.projectRoot.appendingPathComponent("Fuzz/hangs/store-global-heap-loop.h5")
        let started = Date()
        let r = try CommandRunner.run(["info", hang.path], environment: ["M2AE_HDF5_WATCHDOG_SECONDS": "2"], timeout: 60)
        #expect(Date().timeIntervalSince(started) < 30)
        #expect(r.status == 1, "\(r)")
        #expect(r.stderrLines.count == 1 && r.stderr.contains("HDF5 call has not returned"), "\(r)")
    }
}
