/// The WFDB signal-file storage formats (physionet.org/physiotools/wag/signal-5.htm).
///
/// Decoding follows the wfdb Python package bit for bit, including its reading of the packed
/// formats 310 and 311 and the offset-binary formats 80 and 160. The FLAC formats 508, 516
/// and 524 are decompressed by `FLACSignalFile` into the byte layout their cases describe
/// here (little-endian two's complement of 1, 2 or 3 bytes, in the interleaved order of a
/// binary signal file) and decoded from it like the binary formats.
public enum WFDBFormat: String, Sendable, CaseIterable, Equatable {
    /// 8-bit first differences (the header's initial value is the first sample's base).
    case diff8 = "8"
    /// 16-bit two's complement, little-endian.
    case int16 = "16"
    /// 24-bit two's complement, little-endian.
    case int24 = "24"
    /// 32-bit two's complement, little-endian.
    case int32 = "32"
    /// 16-bit two's complement, big-endian.
    case int16BigEndian = "61"
    /// 8-bit offset binary (stored value − 128).
    case offset8 = "80"
    /// 16-bit offset binary, little-endian (stored value − 32,768).
    case offset16 = "160"
    /// Two 12-bit samples packed in three bytes.
    case packed212 = "212"
    /// Three 10-bit samples packed in four bytes (two little-endian 16-bit words).
    case packed310 = "310"
    /// Three 10-bit samples packed in a little-endian 32-bit word.
    case packed311 = "311"
    /// FLAC-compressed, 8 bits per sample (decompressed: one byte, two's complement).
    case flac8 = "508"
    /// FLAC-compressed, 16 bits per sample (decompressed: int16 little-endian).
    case flac16 = "516"
    /// FLAC-compressed, 24 bits per sample (decompressed: int24 little-endian).
    case flac24 = "524"

    /// True for the FLAC-compressed formats, whose file is a FLAC stream with one FLAC
    /// channel per signal.
    public var isFLAC: Bool { self == .flac8 || self == .flac16 || self == .flac24 }

    /// Bits per sample of a FLAC format (8, 16, 24); 0 for the binary formats.
    public var flacBits: Int {
        switch self {
        case .flac8: 8
        case .flac16: 16
        case .flac24: 24
        default: 0
        }
    }

    /// The stored value that marks an invalid (missing) sample, nil for format 8 (which has none).
    public var invalidSample: Int32? {
        switch self {
        case .diff8: nil
        case .offset8, .flac8: -128
        case .packed310, .packed311: -512
        case .packed212: -2048
        case .int16, .int16BigEndian, .offset16, .flac16: -32768
        case .int24, .flac24: -8_388_608
        case .int32: Int32.min
        }
    }

    /// Bytes needed to hold `n` consecutive samples (as the wfdb package reads them).
    public func byteCount(samples n: Int) -> Int {
        switch self {
        case .diff8, .offset8, .flac8: n
        case .int16, .int16BigEndian, .offset16, .flac16: 2 * n
        case .int24, .flac24: 3 * n
        case .int32: 4 * n
        case .packed212: (3 * n + 1) / 2
        case .packed310: n % 3 == 2 ? (n / 3 + 1) * 4 : (4 * n + 2) / 3
        case .packed311: (4 * n + 2) / 3
        }
    }

    /// How many whole samples `bytes` bytes hold.
    public func sampleCount(bytes: Int) -> Int {
        switch self {
        case .diff8, .offset8, .flac8: bytes
        case .int16, .int16BigEndian, .offset16, .flac16: bytes / 2
        case .int24, .flac24: bytes / 3
        case .int32: bytes / 4
        case .packed212: bytes * 2 / 3
        case .packed310, .packed311: bytes * 3 / 4
        }
    }

    // MARK: - Decoding

    /// The stored values of samples `first`, `first + stride`, … (`count` of them) of the
    /// interleaved stream in `b`, into `out`: `sample(_:in:)` for each, with the format chosen
    /// once instead of per sample (format 8 gives the raw differences).
    public func decode(_ b: UnsafeBufferPointer<UInt8>, first: Int, stride: Int, count: Int,
                       into out: UnsafeMutablePointer<Int32>) {
        switch self {
        case .int16 where count > 0 && b.count >= 2 * (first + (count - 1) * stride + 1),
             .flac16 where count > 0 && b.count >= 2 * (first + (count - 1) * stride + 1):
            let p = b.baseAddress! + 2 * first, step = 2 * stride
            for i in 0..<count {
                let k = i &* step
                out[i] = Int32(Int16(bitPattern: UInt16(p[k]) | UInt16(p[k &+ 1]) &<< 8))
            }
        case .packed212 where stride % 2 == 0 && count > 0 && b.count >= 3 * ((first + (count - 1) * stride) / 2) + 3:
            // An even stride keeps every sample on the same side of its byte triple.
            let p = b.baseAddress! + 3 * (first / 2), step = 3 * (stride / 2)
            if first % 2 == 0 {
                for i in 0..<count {
                    let k = i &* step
                    let v = Int32(p[k]) | (Int32(p[k &+ 1]) & 0x0F) &<< 8
                    out[i] = v > 2047 ? v &- 4096 : v
                }
            } else {
                for i in 0..<count {
                    let k = i &* step
                    let v = Int32(p[k &+ 2]) | (Int32(p[k &+ 1]) &>> 4) &<< 8
                    out[i] = v > 2047 ? v &- 4096 : v
                }
            }
        case .packed212:
            for i in 0..<count { out[i] = sample212(first &+ i &* stride, in: b) }
        default:
            for i in 0..<count { out[i] = sample(first &+ i &* stride, in: b) }
        }
    }

    /// Sample `i` of a format-212 stream: two 12-bit samples in three bytes (bytes past the
    /// end read as zero).
    @inline(__always)
    func sample212(_ i: Int, in b: UnsafeBufferPointer<UInt8>) -> Int32 {
        @inline(__always) func byte(_ k: Int) -> Int32 { k < b.count ? Int32(b[k]) : 0 }
        let k = 3 * (i >> 1)
        let v = i & 1 == 0 ? byte(k) + 256 * (byte(k + 1) & 0x0F) : byte(k + 2) + 256 * ((byte(k + 1) >> 4) & 0x0F)
        return v > 2047 ? v - 4096 : v
    }

    /// The stored value of sample `i` of the interleaved sample stream in `b` (format 8:
    /// the raw difference). Bytes past the end of `b` read as zero, like the wfdb package's
    /// padding of a short final 212/310/311 block.
    @inline(__always)
    public func sample(_ i: Int, in b: UnsafeBufferPointer<UInt8>) -> Int32 {
        @inline(__always) func byte(_ k: Int) -> Int32 { k < b.count ? Int32(b[k]) : 0 }
        switch self {
        case .diff8, .flac8: return Int32(Int8(bitPattern: b[i]))
        case .offset8: return Int32(b[i]) - 128
        case .int16, .flac16: return Int32(Int16(bitPattern: UInt16(b[2 * i]) | UInt16(b[2 * i + 1]) << 8))
        case .int16BigEndian: return Int32(Int16(bitPattern: UInt16(b[2 * i]) << 8 | UInt16(b[2 * i + 1])))
        case .offset16: return Int32(UInt16(b[2 * i]) | UInt16(b[2 * i + 1]) << 8) - 32768
        case .int24, .flac24:
            let u = UInt32(b[3 * i]) | UInt32(b[3 * i + 1]) << 8 | UInt32(b[3 * i + 2]) << 16
            return Int32(bitPattern: u << 8) >> 8
        case .int32:
            return Int32(bitPattern: UInt32(b[4 * i]) | UInt32(b[4 * i + 1]) << 8
                         | UInt32(b[4 * i + 2]) << 16 | UInt32(b[4 * i + 3]) << 24)
        case .packed212:
            return sample212(i, in: b)
        case .packed310:
            let k = 4 * (i / 3)
            let v: Int32
            switch i % 3 {
            case 0: v = (byte(k) >> 1) + 128 * (byte(k + 1) & 0x07)
            case 1: v = (byte(k + 2) >> 1) + 128 * (byte(k + 3) & 0x07)
            default: v = ((byte(k + 1) >> 3) & 0x1F) + 32 * ((byte(k + 3) >> 3) & 0x1F)
            }
            return v > 511 ? v - 1024 : v
        case .packed311:
            let k = 4 * (i / 3)
            let v: Int32
            switch i % 3 {
            case 0: v = byte(k) + 256 * (byte(k + 1) & 0x03)
            case 1: v = (byte(k + 1) >> 2) + 64 * (byte(k + 2) & 0x0F)
            default: v = (byte(k + 2) >> 4) + 16 * (byte(k + 3) & 0x7F)
            }
            return v > 511 ? v - 1024 : v
        }
    }
}
