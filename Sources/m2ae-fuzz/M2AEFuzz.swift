import Foundation

// `m2ae-fuzz`: the parsers' fuzz targets (FuzzTarget), in two builds.
//
// - Built with `-sanitize=fuzzer,address -D FUZZING` (scripts/fuzz.sh), it is a libFuzzer
//   target: `main` hands the command line to libFuzzer's driver, which calls
//   `LLVMFuzzerTestOneInput` for every input; the environment variable M2AE_FUZZ_TARGET names
//   the target.
// - In a plain build, `m2ae-fuzz TARGET FILE|FOLDER...` replays inputs through the same target
//   (the seed corpus and every input that once crashed, in Fuzz/corpus: a test runs them).

/// The scratch folder of this process, where each input is written for its parser.
let fuzzScratch: URL = {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("m2ae-fuzz-\(getpid())")
    try? FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
}()

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    guard let name = ProcessInfo.processInfo.environment["M2AE_FUZZ_TARGET"], let target = FuzzTarget(rawValue: name) else {
        FileHandle.standardError.write(Data("set M2AE_FUZZ_TARGET to one of: \(FuzzTarget.allCases.map(\.rawValue).joined(separator: ", "))\n".utf8))
        exit(2)
    }
    target.run(data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? [], scratch: fuzzScratch)
    return 0
}

@main
enum M2AEFuzz {
    static func main() {
        #if FUZZING
        var argc = CommandLine.argc
        var argv = CommandLine.unsafeArgv
        exit(LLVMFuzzerRunDriver(&argc, &argv, fuzzOneInput))
        #else
        replay(CommandLine.arguments.dropFirst())
        #endif
    }

    /// The replayer of the plain build: `m2ae-fuzz TARGET FILE|FOLDER...`.
    static func replay(_ arguments: ArraySlice<String>) {
        guard let name = arguments.first, let target = FuzzTarget(rawValue: name), arguments.count >= 2 else {
            print("usage: m2ae-fuzz TARGET FILE|FOLDER...   (targets: \(FuzzTarget.allCases.map(\.rawValue).joined(separator: ", ")))")
            exit(2)
        }
        var replayed = 0
        for path in arguments.dropFirst() {
            var isFolder: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isFolder) else {
                print("m2ae-fuzz: \(path): no such file or folder"); exit(1)
            }
            let files = isFolder.boolValue
                ? ((try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []).sorted().map { path + "/" + $0 }
                : [path]
            for file in files {
                guard let bytes = FileManager.default.contents(atPath: file) else { continue }
                target.run(Array(bytes), scratch: fuzzScratch)
                replayed += 1
            }
        }
        try? FileManager.default.removeItem(at: fuzzScratch)
        print("m2ae-fuzz \(name): \(replayed) inputs replayed, no crash")
    }
}

#if FUZZING
/// libFuzzer's driver (compiler-rt's FuzzerDriver.cpp), which runs the fuzzing loop and
/// parses libFuzzer's own flags; declared here so that this target keeps Swift's `main`.
@_silgen_name("LLVMFuzzerRunDriver")
func LLVMFuzzerRunDriver(_ argc: UnsafeMutablePointer<Int32>,
                         _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>>,
                         _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> Int32) -> Int32
#endif
