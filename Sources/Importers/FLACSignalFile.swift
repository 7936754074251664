import CFLAC
import Foundation

/// Decompresses the signal file of a WFDB record in a FLAC format (508, 516, 524, as the
/// MIMIC-IV Waveform Database ships them) with libFLAC.
///
/// Such a file is a FLAC stream with one FLAC channel per signal; all its signals have the
/// same samples per frame `spf`, and FLAC sample `t` of channel `j` is sample `t mod spf` of
/// frame `⌊t / spf⌋` of signal `j` (the layout the wfdb package writes and reads through
/// soundfile). The header's `+offset` counts FLAC samples to skip, not bytes. The decoded
/// values are laid out as the binary signal file of the same signals would be (interleaved
/// frames, little-endian two's complement of `WFDBFormat.byteCount(samples: 1)` bytes), so
/// `WFDBReader` converts them to physical values like any binary format.
enum FLACSignalFile {
    /// What `read` decoded.
    struct Decoded {
        /// (frames, signals × spf) samples in binary signal-file order, each `width` bytes.
        var bytes: [UInt8]
        /// Whole frames decoded.
        var frames: Int
    }

    // MARK: - API

    /// Decodes the FLAC stream in `url`.
    ///
    /// - Parameters:
    ///   - format: `.flac8`, `.flac16` or `.flac24`.
    ///   - signals: the number of signals the header stores in this file.
    ///   - samplesPerFrame: their common samples per frame.
    ///   - sampleOffset: FLAC samples per channel before the record's first frame.
    ///   - maxFrames: stop after this many frames (nil: decode the whole stream).
    /// - Throws: `ImportError` naming the file: not a FLAC stream, a channel count or sample
    ///   width that does not fit the header, a corrupt frame, or a stream that ends before the
    ///   length its own STREAMINFO announces.
    /// - Complexity: O(decoded samples); memory grows with what is actually decoded (at most
    ///   `maxFrames` frames), never with a size the file merely claims.
    static func read(_ url: URL, format: WFDBFormat, signals: Int, samplesPerFrame: Int,
                     sampleOffset: Int, maxFrames: Int?) throws -> Decoded {
        precondition(format.isFLAC && signals > 0 && samplesPerFrame > 0)
        guard signals <= 8 else { throw ImportError(url, "\(signals) signals in one FLAC file; FLAC holds at most 8 channels") }
        guard samplesPerFrame <= maxSamplesPerFrame else {
            throw ImportError(url, "\(samplesPerFrame) samples per frame; at most \(maxSamplesPerFrame) are read from a FLAC file")
        }
        try checkSignature(url)
        guard let decoder = FLAC__stream_decoder_new() else { throw ImportError(url, "libFLAC could not create a decoder") }
        defer { FLAC__stream_decoder_delete(decoder) }
        let sink = Sink(format: format, signals: signals, samplesPerFrame: samplesPerFrame, skip: sampleOffset,
                        maxFrames: maxFrames ?? Int.max)
        let context = Unmanaged.passUnretained(sink).toOpaque()
        let status = FLAC__stream_decoder_init_file(decoder, url.path, { _, frame, buffer, context in
            guard let frame, let buffer, let context else { return FLAC__STREAM_DECODER_WRITE_STATUS_ABORT }
            let sink = Unmanaged<Sink>.fromOpaque(context).takeUnretainedValue()
            return sink.write(frame.pointee.header, buffer) ? FLAC__STREAM_DECODER_WRITE_STATUS_CONTINUE
                                                             : FLAC__STREAM_DECODER_WRITE_STATUS_ABORT
        }, nil, { _, status, context in
            guard let context else { return }
            let sink = Unmanaged<Sink>.fromOpaque(context).takeUnretainedValue()
            if sink.problem == nil { sink.problem = "corrupt FLAC stream (\(FLACSignalFile.describe(status))) after \(sink.seen) samples per signal" }
        }, context)
        guard status == FLAC__STREAM_DECODER_INIT_STATUS_OK else {
            throw ImportError(url, "libFLAC cannot open the file (init status \(status.rawValue))")
        }
        defer { FLAC__stream_decoder_finish(decoder) }
        guard FLAC__stream_decoder_process_until_end_of_metadata(decoder) != 0 else {
            throw ImportError(url, sink.problem ?? "not a valid FLAC stream (its metadata cannot be read)")
        }
        let announced = FLAC__stream_decoder_get_total_samples(decoder)
        while sink.problem == nil && !sink.full {
            let ok = FLAC__stream_decoder_process_single(decoder) != 0
            if !ok || FLAC__stream_decoder_get_state(decoder) == FLAC__STREAM_DECODER_END_OF_STREAM { break }
        }
        if let problem = sink.problem { throw ImportError(url, problem) }
        if !sink.full, announced > 0, UInt64(sink.seen) < announced {
            throw ImportError(url, "truncated: the FLAC stream announces \(announced) samples per signal and ends after \(sink.seen)")
        }
        return sink.finish()
    }

    // MARK: - Internal API

    /// The most samples per frame accepted (a frame then takes at most 24 MiB).
    static let maxSamplesPerFrame = 1 << 20

    /// Throws unless the file starts with the FLAC signature `fLaC` (as the wfdb package checks).
    static func checkSignature(_ url: URL) throws {
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isFolder) else {
            throw ImportError.missing(path: url.path, problem: "signal file missing")
        }
        guard !isFolder.boolValue, let handle = FileHandle(forReadingAtPath: url.path) else {
            throw ImportError(url, "cannot open the signal file")
        }
        defer { try? handle.close() }
        let head = (try? handle.read(upToCount: 4)) ?? Data()
        guard head == Data("fLaC".utf8) else { throw ImportError(url, "not a FLAC stream (no 'fLaC' signature)") }
    }

    /// libFLAC's name for a decoding error.
    static func describe(_ status: FLAC__StreamDecoderErrorStatus) -> String {
        switch status {
        case FLAC__STREAM_DECODER_ERROR_STATUS_LOST_SYNC: "lost sync"
        case FLAC__STREAM_DECODER_ERROR_STATUS_BAD_HEADER: "bad frame header"
        case FLAC__STREAM_DECODER_ERROR_STATUS_FRAME_CRC_MISMATCH: "frame CRC mismatch"
        case FLAC__STREAM_DECODER_ERROR_STATUS_UNPARSEABLE_STREAM: "unparseable stream"
        default: "error \(status.rawValue)"
        }
    }

    /// Collects decoded FLAC blocks into the binary signal-file layout.
    private final class Sink {
        let signals: Int, spf: Int, skip: Int, maxFrames: Int
        /// `maxFrames × spf`, Int.max when unlimited (or past Int.max).
        let maxSamples: Int
        /// Bytes per stored sample and the most bits per sample the format allows.
        let width: Int, bits: Int
        /// The format's code (`516`).
        let code: String
        /// (frames, signals × spf × width) bytes; grown as frames arrive.
        var bytes: [UInt8] = []
        /// FLAC samples per channel seen so far, including the skipped ones.
        var seen = 0
        /// The first problem found (the decoding stops there).
        var problem: String?

        init(format: WFDBFormat, signals: Int, samplesPerFrame: Int, skip: Int, maxFrames: Int) {
            self.signals = signals; self.spf = samplesPerFrame; self.skip = skip; self.maxFrames = maxFrames
            let (product, overflow) = maxFrames.multipliedReportingOverflow(by: samplesPerFrame)
            maxSamples = overflow ? Int.max : product
            width = format.byteCount(samples: 1); bits = format.flacBits; code = format.rawValue
        }

        /// Samples per channel kept (after the offset).
        var kept: Int { max(0, seen - skip) }
        /// True once `maxFrames` whole frames are in.
        var full: Bool { maxSamples != Int.max && kept >= maxSamples }

        /// Takes one decoded block; false (stop decoding) on a problem or once full.
        func write(_ header: FLAC__FrameHeader, _ buffer: UnsafePointer<UnsafePointer<FLAC__int32>?>) -> Bool {
            guard problem == nil else { return false }
            guard Int(header.channels) == signals else {
                problem = "the FLAC stream has \(header.channels) channels, the header stores \(signals) signals in it"
                return false
            }
            let b = Int(header.bits_per_sample)
            guard b == 8 || b == 16 || b == 24, b <= bits else {
                problem = "the FLAC stream has \(b) bits per sample, format \(code) allows 8, 16 or 24 up to \(bits)"
                return false
            }
            let frameBytes = signals * spf * width
            let count = Int(header.blocksize)
            let from = max(0, skip - seen)                          // block samples before the offset
            let limit = from >= count ? count : from + min(count - from, maxSamples - kept)  // block samples kept end here
            if limit > from {
                let lastFrame = (kept + limit - from - 1) / spf
                let need = (lastFrame + 1) * frameBytes
                if bytes.count < need { bytes.append(contentsOf: repeatElement(0, count: need - bytes.count)) }
                let width = width, spf = spf, frameSkip = frameBytes - spf * width
                bytes.withUnsafeMutableBufferPointer { out in
                    for j in 0..<signals {
                        guard let channel = buffer[j] else { continue }
                        // sample `k` of frame `kept / spf`, at byte `at`; the next frame's first
                        // sample of this signal is `frameSkip` bytes past this frame's last one
                        var k = kept % spf
                        var at = ((kept / spf) * signals * spf + j * spf + k) * width
                        for i in from..<limit {
                            let v = UInt32(bitPattern: channel[i])
                            out[at] = UInt8(truncatingIfNeeded: v)
                            if width > 1 { out[at + 1] = UInt8(truncatingIfNeeded: v >> 8) }
                            if width > 2 { out[at + 2] = UInt8(truncatingIfNeeded: v >> 16) }
                            at += width
                            k += 1
                            if k == spf { k = 0; at += frameSkip }
                        }
                    }
                }
            }
            seen += count
            return !full
        }

        /// The whole frames decoded.
        func finish() -> Decoded {
            let frames = min(kept / spf, maxFrames)
            bytes.removeLast(bytes.count - frames * signals * spf * width)
            return Decoded(bytes: bytes, frames: frames)
        }
    }
}
