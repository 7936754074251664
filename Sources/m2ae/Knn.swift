import Analytics
import ArgumentParser
import Foundation
import Query
import Store

extension FingerprintMode: ExpressibleByArgument {}
extension NeighbourReport.Method: ExpressibleByArgument {}

/// Whether `m2ae knn` leaves out the query's own subject (`--exclude-same-subject`, the
/// default, as in the workbench) or keeps it (`--include-same-subject`).
enum SameSubject: EnumerableFlag {
    case excludeSameSubject, includeSameSubject

    static func help(for value: SameSubject) -> ArgumentHelp? {
        switch value {
        case .excludeSameSubject: "Leave out every segment of the query's subject (the default)."
        case .includeSameSubject: "Keep the query's subject's other segments."
        }
    }
}

extension M2AE {
    /// `m2ae knn`: Nearest fingerprint neighbours of a segment.
    struct Knn: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "knn",
            abstract: "Nearest fingerprint neighbours of a segment.",
            discussion: """
            Exact cosine search by blocked sgemm over the store's fingerprints (read by slices). \
            --build-index builds an IVF index for the mode, saves it in the store and prints its \
            recall@10 against exact search; stores of 200,000+ segments then use it by default. \
            The query's own subject is left out unless --include-same-subject is given (the \
            workbench's default too).
            """
        )

        @Argument(help: "The store (.h5).")
        var store: String
        @Option(help: "The query segment's index.")
        var segment: Int?
        @Option(name: .short, help: "Neighbours to return.")
        var k: Int = 10
        @Option(help: "Fingerprint mode: ecg+ppg, ecg or ppg.")
        var mode: FingerprintMode = .both
        @Option(name: .customLong("model-id"), help: "Model id (default: the store's only model).")
        var modelID: String?
        @Flag var sameSubject: SameSubject = StoreQuery.excludesSameSubjectByDefault ? .excludeSameSubject : .includeSameSubject
        @Option(help: "Search method: exact or ivf (default: ivf for 200,000+ segments with a saved index, else exact).")
        var method: NeighbourReport.Method?
        @Flag(help: "Build and save the IVF index for this mode (then search, if --segment is given).")
        var buildIndex = false
        @Flag(help: "Print JSON (schema in docs/analytics.md).")
        var json = false

        func validate() throws {
            guard k >= 1, k <= 10_000 else { throw ValidationError("-k must be in 1...10000") }
            guard segment != nil || buildIndex else { throw ValidationError("give --segment I (or --build-index)") }
        }

        func run() throws {
            do {
                let url = URL(fileURLWithPath: store)
                if buildIndex {
                    let fp = try StoreFingerprints(store: try RecordStore(url: url), model: modelID, mode: mode)
                    let (index, tried) = try StoredIndex.build(fp)
                    let steps = tried.map { String(format: "nprobe %d: %.3f", $0.nprobe, $0.recall) }.joined(separator: ", ")
                    FileHandle.standardError.write(Data("\(store): saved \(mode.rawValue) IVF index, \(index.listCount) lists; recall@10 vs exact (\(steps)); nprobe \(index.nprobe)\n".utf8))
                }
                guard let segment else { return }
                let report = try StoreQuery(store: try RecordStore(url: url))
                    .neighbours(of: segment, model: modelID, mode: mode, k: k, excludeSameSubject: sameSubject == .excludeSameSubject, method: method)
                if json { try printJSON(report) } else { print(report.table()) }
            } catch let e as CLIError { throw e } catch { throw CLIError(String(describing: error)) }
        }
    }
}
