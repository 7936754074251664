import Foundation

/// Which file a path named at one moment: its device and inode, size and modification time.
///
/// Two identities are equal when the path still names the same, unmodified file. A store that
/// another command replaced (`synth --out` renames a new file over it) gets a new inode; one
/// changed in place gets a new size or modification time. Commands that read a store for a
/// long time and then write into it compare identities before they commit, so results computed
/// from one file are never written into another.
public struct FileIdentity: Sendable, Hashable, CustomStringConvertible {
    public var device: UInt64
    public var inode: UInt64
    public var size: Int64
    /// Modification time in nanoseconds since the epoch.
    public var modified: Int64

    /// The identity of the file at `url` now.
    /// - Throws: `StoreError` when the path cannot be examined.
    public init(of url: URL) throws {
        var info = stat()
        guard stat(url.path, &info) == 0 else {
            throw StoreError(url, String(cString: strerror(errno)))
        }
        device = UInt64(info.st_dev)
        inode = UInt64(info.st_ino)
        size = Int64(info.st_size)
        modified = Int64(info.st_mtim.tv_sec) * 1_000_000_000 + Int64(info.st_mtim.tv_nsec)
    }

    /// A 64-bit digest of the identity (FNV-1a over its fields), for file headers.
    public var digest: UInt64 {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for v in [device, inode, UInt64(bitPattern: size), UInt64(bitPattern: modified)] {
            for k in 0..<8 { h = (h ^ ((v >> (8 * UInt64(k))) & 0xff)) &* 0x100_0000_01b3 }
        }
        return h
    }

    public var description: String { "device \(device), inode \(inode), \(size) bytes, modified \(modified) ns" }
}
