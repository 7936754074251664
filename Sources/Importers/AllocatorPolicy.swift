#if canImport(Glibc)
import Glibc
#endif

/// Keeps memory that the importer frees for its next record instead of handing it back to
/// the kernel.
///
/// Reading a record allocates a few MB-sized arrays (raw bytes, one Double array per channel,
/// resampled Floats) and frees them when the record is done. With glibc's defaults such
/// blocks are mapped and unmapped for every record, and the page faults of fresh pages cost
/// more than decoding the samples (measured in docs/import.md: 6.8 ms → 0.9 ms for a103l).
/// Raising glibc's mmap and trim thresholds keeps the pages in the heap; memory stays bounded
/// by the largest record, not the sum. The same effect is available to any process with
/// `GLIBC_TUNABLES=` ``tunables``, which the benchmark also gives its Python peer.
public enum AllocatorPolicy {
    /// Blocks up to this size come from the heap, not from their own mapping.
    public static let mmapThreshold: Int32 = 256 << 20
    /// Free memory at the top of the heap is returned to the kernel beyond this size.
    public static let trimThreshold: Int32 = 1 << 30

    /// The equivalent `GLIBC_TUNABLES` value.
    public static var tunables: String {
        "glibc.malloc.trim_threshold=\(trimThreshold):glibc.malloc.mmap_threshold=\(mmapThreshold)"
    }

    /// Applies the thresholds to this process (glibc only; elsewhere it does nothing).
    /// - Returns: true when both settings were applied.
    @discardableResult
    public static func retainFreedMemory() -> Bool {
        #if canImport(Glibc)
        // mallopt is not in Swift's Glibc module map; look it up by name.
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "mallopt") else { return false }
        typealias Mallopt = @convention(c) (Int32, Int32) -> Int32
        let mallopt = unsafeBitCast(symbol, to: Mallopt.self)
        let mmapThresholdParam: Int32 = -3, trimThresholdParam: Int32 = -1      // M_MMAP_THRESHOLD, M_TRIM_THRESHOLD
        return mallopt(mmapThresholdParam, mmapThreshold) == 1 && mallopt(trimThresholdParam, trimThreshold) == 1
        #else
        return false
        #endif
    }
}
