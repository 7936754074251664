// swift-tools-version:6.0
import PackageDescription

// Module tree (bottom to top; docs/architecture.md draws it and lists what each module may
// import, and scripts/check_layers.py checks every import in Sources/ against that list):
//   CHDF5, COpenBLAS, CNcursesw,       system libraries behind small shim headers
//   CFLAC, CMatio
//   Support                            seeded generator, correlation, worker threads (no dependencies)
//   Signals                            filters, resampling, peaks, quality, hand-crafted features
//   Store                              the HDF5 paired-record store
//   Synth, Importers                   where records come from (generator; WFDB, CSV, EDF, MAT)
//   CCPU                               CPUID features and OpenBLAS's kernel-table switch
//   Engine                             flat-buffer layers, forward and backward, BLAS
//   Model                              the M2AE network, its config and safetensors checkpoints
//   Training                           objective, AdamW, trainer
//   Analytics                          algorithms on fingerprint matrices: search, PCA/UMAP, probes, metrics
//   Pipelines                          store in -> model -> store out: embed, reconstruct, evaluate
//   Query                              the questions the CLI and the workbench ask of a store
//   TerminalUI                         cells, buffers, layout, braille canvas, ncurses backend
//   Workbench                          the TUI app: state, update, render
//   m2ae                               the command line
//   m2ae-bench                         benchmarks against Python peers
// Release builds keep Swift's bounds and overflow checks everywhere that touches file
// contents (`-O`); only the engine's inner loops, which run behind shapes validated when a model
// is built, drop them (`-Ounchecked`).
let optimise: [SwiftSetting] = [.unsafeFlags(["-O", "-wmo"], .when(configuration: .release))]
let optimiseUnchecked: [SwiftSetting] = [.unsafeFlags(["-Ounchecked", "-wmo"], .when(configuration: .release))]
// The engine's own loops are compiled for baseline x86-64, so that a binary runs on any such
// CPU; its matrix products use the OpenBLAS kernels the CPU's features select at run time
// (Engine/Kernels/BLASKernel.swift). `M2AE_NATIVE=1 swift build` compiles the loops for the
// building CPU instead, for a binary that stays on that machine (docs/engine.md).
let engineCPU: [SwiftSetting] = Context.environment["M2AE_NATIVE"] == "1"
    ? [.unsafeFlags(["-target-cpu", "native"], .when(configuration: .release)), .define("M2AE_NATIVE_CPU")] : []

let package = Package(
    name: "M2AEWorkbench",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "m2ae", targets: ["m2ae"]),
        .executable(name: "m2ae-bench", targets: ["m2ae-bench"]),
        .executable(name: "m2ae-fuzz", targets: ["m2ae-fuzz"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
    ],
    targets: [
        .systemLibrary(name: "CHDF5", path: "Sources/CHDF5", pkgConfig: "hdf5",
                       providers: [.apt(["libhdf5-dev"])]),
        .systemLibrary(name: "COpenBLAS", path: "Sources/COpenBLAS", pkgConfig: "openblas",
                       providers: [.apt(["libopenblas-dev"])]),
        .systemLibrary(name: "CNcursesw", path: "Sources/CNcursesw", pkgConfig: "ncursesw",
                       providers: [.apt(["libncurses-dev"])]),
        .systemLibrary(name: "CFLAC", path: "Sources/CFLAC", pkgConfig: "flac",
                       providers: [.apt(["libflac-dev"])]),
        .systemLibrary(name: "CMatio", path: "Sources/CMatio", pkgConfig: "matio",
                       providers: [.apt(["libmatio-dev"])]),

        .target(name: "Support", swiftSettings: optimise),
        .target(name: "Signals", dependencies: ["Support"], swiftSettings: optimise),
        .target(name: "Store", dependencies: ["CHDF5", "Signals", "Support"], swiftSettings: optimise),
        .target(name: "Synth", dependencies: ["Signals", "Store", "Support"], swiftSettings: optimise),
        .target(name: "Importers", dependencies: ["Signals", "Store", "Support", "CHDF5", "CFLAC", "CMatio"], swiftSettings: optimise),
        .target(name: "CCPU", path: "Sources/CCPU"),
        .target(name: "Engine", dependencies: ["COpenBLAS", "CCPU"], swiftSettings: optimiseUnchecked + engineCPU),
        .target(name: "Model", dependencies: ["Engine", "Signals", "Store", "Support"], swiftSettings: optimise),
        .target(name: "Training", dependencies: ["Engine", "Model", "Signals", "Store", "Synth", "Support"], swiftSettings: optimise),
        .target(name: "Analytics", dependencies: ["COpenBLAS", "Engine", "Signals", "Store", "Support"], swiftSettings: optimise),
        .target(name: "Pipelines", dependencies: ["Engine", "Model", "Analytics", "Signals", "Store", "Support"], swiftSettings: optimise),
        .target(name: "Query", dependencies: ["Analytics", "Pipelines", "Model", "Store"], swiftSettings: optimise),
        .target(name: "TerminalUI", dependencies: ["CNcursesw"], swiftSettings: optimise),
        .target(name: "Workbench", dependencies: ["TerminalUI", "Store", "Signals", "Model", "Analytics", "Query", "Support"], swiftSettings: optimise),
        .executableTarget(name: "m2ae", dependencies: [
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
            "Store", "Synth", "Importers", "Engine", "Model", "Training", "Analytics", "Pipelines", "Query", "Workbench",
        ], swiftSettings: optimise),
        // Benchmarks that print tables against their peers (PyTorch, h5py, wfdb, faiss).
        .executableTarget(name: "m2ae-bench", dependencies: [
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
            "COpenBLAS", "Support", "Signals", "Store", "Synth", "Importers", "Engine", "Model", "Training", "Analytics", "Pipelines", "Query",
            "TerminalUI", "Workbench",
        ], path: "Sources/m2ae-bench", swiftSettings: optimise),

        // The parsers' fuzz targets: a libFuzzer binary under scripts/fuzz.sh, a replayer otherwise.
        .executableTarget(name: "m2ae-fuzz", dependencies: ["Importers", "Model", "Signals", "Store", "Workbench"],
                          path: "Sources/m2ae-fuzz"),

        .target(name: "TestSupport", path: "Tests/TestSupport"),
        .testTarget(name: "SupportTests", dependencies: ["Support", "TestSupport"]),
        .testTarget(name: "SignalsTests", dependencies: ["Signals", "Support", "TestSupport"]),
        .testTarget(name: "StoreTests", dependencies: ["Store", "TestSupport"]),
        .testTarget(name: "SynthTests", dependencies: ["Synth", "Signals", "Store", "Support", "TestSupport"]),
        .testTarget(name: "ImportersTests", dependencies: ["Importers", "Store", "Support", "TestSupport"]),
        .testTarget(name: "EngineTests", dependencies: ["Engine", "CCPU", "TestSupport"]),
        .testTarget(name: "ModelTests", dependencies: ["Model", "Engine", "Support", "TestSupport"]),
        .testTarget(name: "PipelinesTests", dependencies: ["Pipelines", "Model", "Engine", "Store", "Support", "TestSupport"]),
        .testTarget(name: "TrainingTests", dependencies: ["Training", "Model", "Support", "TestSupport"]),
        .testTarget(name: "AnalyticsTests", dependencies: ["Analytics", "Pipelines", "Query", "Support", "TestSupport"]),
        .testTarget(name: "TerminalUITests", dependencies: ["TerminalUI", "TestSupport"]),
        .testTarget(name: "WorkbenchTests", dependencies: ["Workbench", "TerminalUI", "Model", "Analytics", "Pipelines", "Query", "Signals", "Store", "TestSupport"], exclude: ["Snapshots"]),
        .testTarget(name: "CLITests", dependencies: ["Support", "TestSupport", "Workbench", "Query", "Analytics", "Store"]),
    ],
    swiftLanguageModes: [.v6]
)
