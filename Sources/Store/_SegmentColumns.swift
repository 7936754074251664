import CHDF5
import Foundation

/// The per-segment metadata columns of a store (`/segments/*`, each [N]), opened together.
struct SegmentColumns {
    let subject: H5Dataset
    let record: H5Dataset
    let start: H5Dataset
    let ecgRate: H5Dataset
    let ppgRate: H5Dataset
    let quality: [Modality: H5Dataset]
    /// The records' measured ECG → PPG delays; nil in a store written before the column existed.
    let ppgDelay: H5Dataset?

    /// Every column, in a fixed order.
    var all: [H5Dataset] {
        [subject, record, start, ecgRate, ppgRate] + Modality.allCases.map { quality[$0]! } + (ppgDelay.map { [$0] } ?? [])
    }

    // MARK: - Opening and creating

    /// Opens the columns and checks each has `rows` rows.
    init(file: H5File, rows: Int) throws {
        typealias L = StoreLayout.Segments
        subject = try H5Dataset.open(file, L.subject)
        record = try H5Dataset.open(file, L.record)
        start = try H5Dataset.open(file, L.start)
        ecgRate = try H5Dataset.open(file, L.ecgRate)
        ppgRate = try H5Dataset.open(file, L.ppgRate)
        var q: [Modality: H5Dataset] = [:]
        for m in Modality.allCases { q[m] = try H5Dataset.open(file, L.quality(m)) }
        quality = q
        ppgDelay = file.exists(L.ppgDelay) ? try H5Dataset.open(file, L.ppgDelay) : nil
        for d in all {
            let shape = try d.shape()
            guard shape == [rows] else {
                throw StoreError(file.url, "\(d.path) has shape \(shape), expected [\(rows)] (one row per segment)")
            }
            let isText = try d.typeClass() == H5T_STRING
            guard isText == (d === record) else {
                throw StoreError(file.url, "\(d.path) holds \(isText ? "strings" : "numbers"), expected \(isText ? "numbers" : "strings")")
            }
        }
    }

    /// Creates empty columns.
    init(creatingIn file: H5File) throws {
        typealias L = StoreLayout.Segments
        let rows = StoreLayout.columnChunkRows
        let z = H5Dataset.Compression.shuffleDeflate(level: StoreLayout.deflateLevel)
        subject = try H5Dataset.create(file, L.subject, type: H5Type.int32, dims: [0], chunkRows: rows, compression: z, fill: Int32(-1))
        record = try H5Dataset.createStrings(file, L.record, rows: 0, chunkRows: rows)
        start = try H5Dataset.create(file, L.start, type: H5Type.float64, dims: [0], chunkRows: rows, compression: z, fill: Double.nan)
        ecgRate = try H5Dataset.create(file, L.ecgRate, type: H5Type.float64, dims: [0], chunkRows: rows, compression: z, fill: 0.0)
        ppgRate = try H5Dataset.create(file, L.ppgRate, type: H5Type.float64, dims: [0], chunkRows: rows, compression: z, fill: 0.0)
        var q: [Modality: H5Dataset] = [:]
        for m in Modality.allCases {
            q[m] = try H5Dataset.create(file, L.quality(m), type: H5Type.uint8, dims: [0], chunkRows: rows, compression: z, fill: UInt8(0))
        }
        quality = q
        ppgDelay = try H5Dataset.create(file, L.ppgDelay, type: H5Type.float64, dims: [0], chunkRows: rows, compression: z, fill: Double.nan)
    }

    // MARK: - Rows

    /// Reads the metadata of rows `range` (already range-checked by the caller).
    func meta(_ range: Range<Int>) throws -> [SegmentMeta] {
        let s: [Int32] = try subject.read(range, as: H5Type.int32)
        let r = try record.readStrings(range)
        let t: [Double] = try start.read(range, as: H5Type.float64)
        let er: [Double] = try ecgRate.read(range, as: H5Type.float64)
        let pr: [Double] = try ppgRate.read(range, as: H5Type.float64)
        let eq: [UInt8] = try quality[.ecg]!.read(range, as: H5Type.uint8)
        let pq: [UInt8] = try quality[.ppg]!.read(range, as: H5Type.uint8)
        let d = try ppgDelays(range)
        return (0..<range.count).map { i in
            SegmentMeta(subjectIndex: s[i], record: r[i], start: t[i], ecgOriginalRate: er[i], ppgOriginalRate: pr[i],
                        ecgQuality: QualityFlags(rawValue: eq[i]), ppgQuality: QualityFlags(rawValue: pq[i]), ppgDelay: d[i])
        }
    }

    /// The measured delays of rows `range` (nil where not measured or the column is absent).
    func ppgDelays(_ range: Range<Int>) throws -> [Double?] {
        guard let ppgDelay else { return [Double?](repeating: nil, count: range.count) }
        let d: [Double] = try ppgDelay.read(range, as: H5Type.float64)
        return d.map { $0.isFinite ? $0 : nil }
    }

    /// Grows every column to `start + metas.count` rows and writes `metas` at `start`.
    func append(_ metas: [SegmentMeta], at start: Int) throws {
        let n = metas.count
        for d in all { try d.setRows(start + n) }
        try subject.write(metas.map(\.subjectIndex), at: start, rows: n, as: H5Type.int32)
        try record.writeStrings(metas.map(\.record), at: start)
        try self.start.write(metas.map(\.start), at: start, rows: n, as: H5Type.float64)
        try ecgRate.write(metas.map(\.ecgOriginalRate), at: start, rows: n, as: H5Type.float64)
        try ppgRate.write(metas.map(\.ppgOriginalRate), at: start, rows: n, as: H5Type.float64)
        try quality[.ecg]!.write(metas.map(\.ecgQuality.rawValue), at: start, rows: n, as: H5Type.uint8)
        try quality[.ppg]!.write(metas.map(\.ppgQuality.rawValue), at: start, rows: n, as: H5Type.uint8)
        try ppgDelay?.write(metas.map { $0.ppgDelay ?? .nan }, at: start, rows: n, as: H5Type.float64)
    }
}
