import Foundation

/// A fingerprint-only copy of a store (`m2ae export`): subjects, labels, segment metadata and
/// one model's fingerprints and matrices, without `/signals`, optionally with subject ids and
/// record names replaced by salted hashes. Opens as a `RecordStore` whose `hasWaveforms` is
/// false (docs/store.md, "Fingerprints without waveforms").
public enum StoreExport {
    /// What pseudonymisation replaces ids with: `s-` or `r-` and the first 16 hex digits of
    /// HMAC-SHA-256(salt, "subject:" + id) or (salt, "record:" + name). The same salt gives the
    /// same pseudonyms, so two exports of one cohort can be joined; the salt is never written.
    public static func pseudonym(_ id: String, kind: String, salt: String) -> String {
        (kind == "subject" ? "s-" : "r-") + SHA256.hex(SHA256.hmac(key: Array(salt.utf8), Array("\(kind):\(id)".utf8))).prefix(16)
    }

    /// Writes the export of `store`'s model `model` to `out`, atomically (a temporary
    /// sibling renamed at the end; nothing at `out` on failure).
    ///
    /// Datasets are created anew rather than edited, so the file holds no trace of the
    /// waveforms or of replaced ids (HDF5 does not reclaim removed or overwritten data).
    ///
    /// - Parameters:
    ///   - salt: the pseudonymisation salt, or nil to keep ids.
    ///   - attributes: provenance written as root attributes besides `format`,
    ///     `schema_version` and `waveforms`.
    /// - Throws: `StoreError` when the store has no fingerprints of `model`, or a write fails.
    public static func write(_ store: RecordStore, model: String, to out: URL, salt: String?, attributes: [String: String]) throws {
        guard store.modelIDs.contains(model) else {
            throw StoreError(store.url, "no fingerprints of model '\(model)' (this store has \(store.modelIDs.isEmpty ? "none" : store.modelIDs.joined(separator: ", ")); run `m2ae embed`)")
        }
        let source = store.file
        let n = store.segmentCount
        try AtomicReplace.write(to: out) { tmp in
            let f = try H5File(tmp, mode: .create)
            let root = H5Attributes(context: f.context, object: try f.object("/"), path: "/")
            try root.set("format", StoreLayout.format)
            try root.set("schema_version", StoreLayout.schemaVersion)
            var attrs = attributes
            attrs[StoreLayout.waveformsAttribute] = StoreLayout.noWaveforms
            attrs["pseudonymised"] = salt == nil ? "no" : "yes"
            for (k, v) in attrs.sorted(by: { $0.key < $1.key }) { try root.set(k, v) }
            var renamed: [String: [String]] = [:]
            if let salt {
                renamed[StoreLayout.Subjects.id] = store.subjects.map { pseudonym($0.id, kind: "subject", salt: salt) }
                var records: [String] = []
                for lo in stride(from: 0, to: n, by: 65_536) {
                    records += try store.meta(lo ..< min(n, lo + 65_536)).map { pseudonym($0.record, kind: "record", salt: salt) }
                }
                renamed[StoreLayout.Segments.record] = records
            }
            for group in ["/segments", "/subjects"] {
                _ = try f.groupCreating(group)
                for name in try source.children(group) {
                    let path = group + "/" + name
                    if let values = renamed[path] {
                        let chunk = max(1, min(values.count, StoreLayout.columnChunkRows))
                        try H5Dataset.createStrings(f, path, rows: values.count, chunkRows: chunk).writeStrings(values, at: 0)
                    } else {
                        try f.copy(path, from: source)
                    }
                }
            }
            if source.kind(StoreLayout.labels) != nil { try f.copy(StoreLayout.labels, from: source) }
            try f.copy(StoreLayout.model(model), from: source)
            try f.flush()
        }
    }
}
