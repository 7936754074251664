import Foundation
import Model
import Store

/// The progress file of an unfinished `Embedder` run, beside the store:
/// `.<store name>.embed-<model id>.partial`. A 32-byte header (magic `M2AEEMB1`, floats per
/// row, total rows, the store's tag: little-endian 64-bit) followed by finished rows of float32,
/// appended and synced batch by batch. On reopen a torn trailing row is cut off; a header
/// that does not match the run (another model size, store length or store file) restarts
/// from zero.
public final class EmbedProgressFile {
    static let magic = Array("M2AEEMB1".utf8)
    static let headerBytes = 32

    public let url: URL
    public let rowFloats: Int
    public let totalRows: Int
    /// The digest of the store file the rows were computed from (`FileIdentity.digest`).
    public let storeTag: UInt64
    /// Rows already in the file.
    public private(set) var rowsDone: Int
    private let handle: FileHandle

    /// Where the progress file of `modelID` on the store at `store` lives.
    public static func location(store: URL, modelID: String) -> URL {
        store.deletingLastPathComponent().appendingPathComponent(".\(store.lastPathComponent).embed-\(modelID).partial")
    }

    /// Opens (resuming) or creates the progress file.
    public init(url: URL, rowFloats: Int, totalRows: Int, storeTag: UInt64) throws {
        self.url = url; self.rowFloats = rowFloats; self.totalRows = totalRows; self.storeTag = storeTag
        let fm = FileManager.default
        var done = 0
        if let data = try? Data(contentsOf: url, options: .alwaysMapped), data.count >= Self.headerBytes,
           Array(data.prefix(8)) == Self.magic,
           Self.int(data, 8) == rowFloats, Self.int(data, 16) == totalRows, UInt64(bitPattern: Int64(Self.int(data, 24))) == storeTag {
            done = min(totalRows, (data.count - Self.headerBytes) / (rowFloats * 4))
        } else {
            var header = Data(Self.magic)
            for v in [Int64(rowFloats), Int64(totalRows), Int64(bitPattern: storeTag)] {
                withUnsafeBytes(of: v.littleEndian) { header.append(contentsOf: $0) }
            }
            do {
                try? fm.removeItem(at: url)
                let handle = try AtomicReplace.createNew(url)
                defer { try? handle.close() }
                try handle.write(contentsOf: header)
            } catch {
                try? fm.removeItem(at: url)
                throw EmbedError(path: url.path, reason: "cannot create the embedding progress file: \(Self.describe(error)); the store is unchanged")
            }
        }
        do {
            handle = try FileHandle(forUpdating: url)
            try handle.truncate(atOffset: UInt64(Self.headerBytes + done * rowFloats * 4))
            try handle.seekToEnd()
        } catch {
            throw EmbedError(path: url.path, reason: "cannot open the embedding progress file: \(Self.describe(error))")
        }
        rowsDone = done
    }

    deinit { try? handle.close() }

    /// Appends finished rows (n, rowFloats) and syncs them to disk.
    /// - Throws: `EmbedError` naming the progress file (a full disk says so in words).
    public func append(_ rows: [Float]) throws {
        precondition(rows.count % rowFloats == 0, "progress rows must be whole")
        do {
            try handle.write(contentsOf: rows.withUnsafeBufferPointer { Data(buffer: $0) })
            try handle.synchronize()
        } catch {
            throw EmbedError(path: url.path, reason: "could not save the finished fingerprints: \(Self.describe(error)); the store is unchanged")
        }
        rowsDone += rows.count / rowFloats
    }

    /// Foundation's file errors in words: a full disk (NSFileWriteOutOfSpaceError, 640) and
    /// the POSIX reason where there is one, instead of `Error Domain=… Code=…`.
    static func describe(_ error: Error) -> String {
        let e = error as NSError
        if e.domain == NSCocoaErrorDomain && e.code == 640 { return "no space left on the device" }
        if let posix = e.userInfo[NSUnderlyingErrorKey] as? NSError, posix.domain == NSPOSIXErrorDomain {
            return String(cString: strerror(Int32(posix.code)))
        }
        if e.domain == NSPOSIXErrorDomain { return String(cString: strerror(Int32(e.code))) }
        return e.localizedDescription
    }

    /// Reads rows `range` (n, rowFloats).
    public func read(_ range: Range<Int>) throws -> [Float] {
        let reader = try FileHandle(forReadingFrom: url)
        defer { try? reader.close() }
        try reader.seek(toOffset: UInt64(Self.headerBytes + range.lowerBound * rowFloats * 4))
        let data = try reader.read(upToCount: range.count * rowFloats * 4) ?? Data()
        guard data.count == range.count * rowFloats * 4 else {
            throw EmbedError(path: url.path, reason: "progress file is shorter than expected")
        }
        return data.withUnsafeBytes { Array($0.bindMemory(to: Float.self)) }
    }

    /// Deletes the file (after the store has been updated).
    public func remove() {
        try? handle.close()
        try? FileManager.default.removeItem(at: url)
    }

    private static func int(_ data: Data, _ at: Int) -> Int {
        data.subdata(in: at..<(at + 8)).withUnsafeBytes { Int(Int64(littleEndian: $0.loadUnaligned(as: Int64.self))) }
    }
}
