import CHDF5
import Foundation
import Signals

/// Creates a store: writes into a temporary sibling of `url` and renames it into place on
/// `commit()`. A writer released without `commit()` (an error, Ctrl-C handled by the
/// caller) removes its temporary file and leaves `url` untouched.
///
/// Not thread-safe: one writer is used from one task at a time.
public final class StoreWriter {
    /// The final path.
    public let url: URL
    /// Segments appended so far.
    public private(set) var segmentCount = 0

    /// Temporary files of earlier, killed runs writing the same store, removed on start.
    public let removedLeftovers: [URL]

    private let temporary: URL
    /// The temporary file's slot in `AtomicReplace.InFlight` while it is being written.
    private var inFlight: Int?
    private var file: H5File?
    private var signalSets: [Modality: H5Dataset] = [:]
    private var columns: SegmentColumns?
    private let subjectCount: Int
    private let waveforms: Bool

    // MARK: - Creating

    /// Starts a store with its subject table and root attributes (provenance strings such
    /// as "generator" or "command"; `format` and `schema_version` are set by the writer).
    /// - Parameter waveforms: false writes a fingerprint-only store (no `/signals`; the root
    ///   attribute `waveforms` is `none`, as in an `m2ae export`): segments are appended with
    ///   empty ECG and PPG, and fingerprints are added afterwards with `StoreEditor`.
    public init(url: URL, subjects: [Subject], attributes: [String: String], waveforms: Bool = true) throws {
        self.url = url
        self.waveforms = waveforms
        removedLeftovers = AtomicReplace.removeAbandonedSiblings(of: url)
        temporary = AtomicReplace.temporarySibling(of: url)
        subjectCount = subjects.count
        for key in attributes.keys where StoreLayout.reservedAttributes.contains(key) {
            throw StoreError(url, "root attribute '\(key)' is reserved by the store layout")
        }
        let folder = url.deletingLastPathComponent()
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: folder.path, isDirectory: &isFolder), isFolder.boolValue else {
            throw StoreError(url, "cannot create the store: folder \(folder.path) does not exist")
        }
        let created: H5File
        inFlight = AtomicReplace.InFlight.add(temporary)
        do { created = try H5File(temporary, mode: .create) } catch {
            AtomicReplace.InFlight.remove(inFlight)
            throw Self.renamed(error, from: temporary, to: url)
        }
        file = created
        do {
            let root = H5Attributes(context: created.context, object: try created.object("/"), path: "/")
            try root.set("format", StoreLayout.format)
            try root.set("schema_version", StoreLayout.schemaVersion)
            var attributes = attributes
            if !waveforms { attributes[StoreLayout.waveformsAttribute] = StoreLayout.noWaveforms }
            for (k, v) in attributes.sorted(by: { $0.key < $1.key }) { try root.set(k, v) }
            try SubjectTable.write(subjects, to: created)
            for m in Modality.allCases where waveforms {
                signalSets[m] = try H5Dataset.create(
                    created, StoreLayout.signals(m), type: H5Type.float32, dims: [0, SegmentFormat.samples],
                    chunkRows: StoreLayout.signalChunkRows,
                    compression: .shuffleDeflate(level: StoreLayout.deflateLevel), fill: Float.nan)
            }
            columns = try SegmentColumns(creatingIn: created)
            _ = try created.groupCreating(StoreLayout.models)
        } catch {
            discard()
            throw Self.renamed(error, from: temporary, to: url)
        }
    }

    deinit { discard() }

    // MARK: - Writing

    /// Appends segments (any batch size). Each must have 1,250 samples per modality (none in a
    /// fingerprint-only store) and a subject index within the subject table.
    public func append(_ segments: [Segment]) throws {
        guard let columns, file != nil else { throw StoreError(url, "the writer was already committed or discarded") }
        for (k, s) in segments.enumerated() {
            let at = segmentCount + k
            let samples = waveforms ? SegmentFormat.samples : 0
            guard s.ecg.count == samples, s.ppg.count == samples else {
                throw StoreError(url, "segment \(at): \(s.ecg.count) ECG and \(s.ppg.count) PPG samples, expected \(samples) each")
            }
            guard s.meta.subjectIndex >= 0, Int(s.meta.subjectIndex) < subjectCount else {
                throw StoreError(url, "segment \(at): subject index \(s.meta.subjectIndex) out of range (\(subjectCount) subjects)")
            }
            if let d = s.meta.ppgDelay, !DeviceDelay.plausible.contains(d) {
                throw StoreError(url, "segment \(at): device delay \(d) s is outside \(DeviceDelay.plausible.lowerBound)–\(DeviceDelay.plausible.upperBound) s, where delays are measured")
            }
        }
        let n = segments.count
        guard n > 0 else { return }
        do {
            for m in Modality.allCases where waveforms {
                let d = signalSets[m]!
                try d.setRows(segmentCount + n)
                var flat = [Float]()
                flat.reserveCapacity(n * SegmentFormat.samples)
                for s in segments { flat.append(contentsOf: s.signal(m)) }
                try d.write(flat, at: segmentCount, rows: n, as: H5Type.float32)
            }
            try columns.append(segments.map(\.meta), at: segmentCount)
        } catch {
            throw Self.renamed(error, from: temporary, to: url)
        }
        segmentCount += n
    }

    /// Writes the general label table (`/labels`). Call it once, after the last `append`:
    /// a record-scope label has one value per segment appended.
    ///
    /// - Throws: `StoreError` for a name that cannot be a dataset name or is given twice, a
    ///   value count that is not the subject (or segment) count, a code outside the classes,
    ///   or a non-finite number.
    public func writeLabels(_ labels: [Label]) throws {
        guard let file else { throw StoreError(url, "the writer was already committed or discarded") }
        do {
            try LabelTable.write(labels, to: file, subjects: subjectCount, segments: segmentCount)
        } catch {
            throw Self.renamed(error, from: temporary, to: url)
        }
    }

    /// Flushes, closes and renames the temporary file over `url`.
    public func commit() throws {
        guard file != nil else { throw StoreError(url, "the writer was already committed or discarded") }
        do { try file?.flush() } catch { discard(); throw Self.renamed(error, from: temporary, to: url) }
        close()
        defer { AtomicReplace.InFlight.remove(inFlight); inFlight = nil }
        if rename(temporary.path, url.path) != 0 {
            let reason = String(cString: strerror(errno))
            try? FileManager.default.removeItem(at: temporary)
            throw StoreError(url, "could not move the new store into place (\(reason))")
        }
    }

    // MARK: - Internal

    /// Releases every HDF5 handle (the file closes when its last handle goes).
    private func close() {
        signalSets = [:]
        columns = nil
        file = nil
    }

    /// Closes and deletes the temporary file, if still there.
    private func discard() {
        guard file != nil else { return }
        close()
        try? FileManager.default.removeItem(at: temporary)
        AtomicReplace.InFlight.remove(inFlight)
        inFlight = nil
    }

    /// Errors about the temporary file are reported against the final path the user gave.
    private static func renamed(_ error: Error, from tmp: URL, to url: URL) -> Error {
        guard let e = error as? StoreError, e.path == tmp.path else { return error }
        return e.at(url)
    }
}
