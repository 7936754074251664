import ArgumentParser
import Foundation
import Importers
import Store

extension Label.Scope: ExpressibleByArgument {}

extension M2AE {
    /// `m2ae label`: Add labels from a CSV file to a store.
    struct LabelCommand: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "label",
            abstract: "Add labels from a CSV file to a store's label table.",
            discussion: """
            The file's first column holds subject ids (--by subject) or record names (--by record); \
            every other column is one label: binary, categorical (up to 50 classes) or numeric, \
            inferred from its values unless --kind says otherwise. Empty cells and na, nan, n/a, \
            null, none, ? are missing, as are subjects or records the file does not list. Every id \
            must match the store. All labels are added in one atomic edit: on any error the store \
            is unchanged. Each label becomes a task for `m2ae evaluate`.
            """
        )

        @Argument(help: "The store (.h5) to add the labels to.")
        var store: String
        @Argument(help: "The labels file (CSV, ';'- or tab-separated): ids, then one column per label.")
        var labels: String
        @Option(help: "What the first column names: subject (subject ids) or record (record names).")
        var by: Label.Scope
        @Option(name: .customLong("kind"), help: ArgumentHelp("A label's kind instead of the inferred one (binary, categorical or numeric); repeatable.", valueName: "NAME=KIND"))
        var kinds: [String] = []
        @Flag(help: "Replace labels that already exist under the same names.")
        var replace = false

        /// `--kind NAME=KIND` values as a dictionary.
        static func kinds(_ values: [String]) throws -> [String: Label.Kind] {
            var overrides: [String: Label.Kind] = [:]
            for k in values {
                let parts = k.split(separator: "=", maxSplits: 1).map(String.init)
                guard parts.count == 2, let kind = Label.Kind(rawValue: parts[1]) else {
                    throw CLIError("--kind \(k): expected NAME=binary, NAME=categorical or NAME=numeric")
                }
                overrides[parts[0]] = kind
            }
            return overrides
        }

        func run() throws {
            let overrides = try Self.kinds(kinds)
            let storeURL = URL(fileURLWithPath: store)
            do {
                let file = try LabelFile.read(URL(fileURLWithPath: labels))
                let target = try RecordStore(url: storeURL)
                let keys: [String]
                switch by {
                case .subject: keys = target.subjects.map(\.id)
                case .record:
                    var records: [String] = []
                    records.reserveCapacity(target.segmentCount)
                    for lo in stride(from: 0, to: target.segmentCount, by: 65_536) {
                        records += try target.meta(lo ..< min(target.segmentCount, lo + 65_536)).map(\.record)
                    }
                    keys = records
                }
                let made = try file.labels(scope: by, keys: keys, kinds: overrides, storeName: store)
                if !replace, let clash = made.first(where: { l in target.labels.contains { $0.name == l.name } }) {
                    throw CLIError("\(store): a label named '\(clash.name)' already exists; pass --replace to replace it")
                }
                try StoreEditor.edit(storeURL, expecting: target.identity) { e in
                    for label in made { try e.setLabel(label, replace: replace) }
                }
                for l in made {
                    let have = l.values.filter { $0 != nil }.count
                    let classes = l.classes.isEmpty ? "" : " (\(l.classes.joined(separator: ", ")))"
                    print("\(store): label \(l.name): \(l.kind.rawValue)\(classes), per \(l.scope.rawValue), \(have) of \(l.values.count) \(by == .subject ? "subjects" : "segments") have a value")
                }
            } catch let e as CLIError { throw e } catch { throw CLIError(String(describing: error)) }
        }
    }
}
