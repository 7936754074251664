import Foundation

/// Reads WFDB records (single- and multi-segment) into physical values, the way
/// `wfdb.rdrecord(…, smooth_frames=False)` does: `(stored − baseline) / gain` in Double,
/// NaN for the format's invalid-sample value, every sample of a multi-rate signal kept.
public enum WFDBReader {
    // MARK: - API

    /// Reads the record whose header is `url` (`name.hea`, or the record path without extension).
    ///
    /// A multi-segment record becomes one part per run of present segments with the same
    /// channels; `~` gaps and segment files that are absent split it and are listed in `notes`.
    /// - Throws: `ImportError` naming the file: a malformed header, a missing or truncated
    ///   signal file, an unsupported format.
    public static func read(_ url: URL) throws -> Recording {
        let headerURL = url.pathExtension == "hea" ? url : url.appendingPathExtension("hea")
        let header = try WFDBHeader.read(headerURL)
        let folder = headerURL.deletingLastPathComponent()
        let name = headerURL.deletingPathExtension().lastPathComponent
        guard let segments = header.segments else {
            let channels = try readSignals(header, folder: folder, headerURL: headerURL)
            return Recording(name: name, format: formatName(header.signals), parts: [RecordingPart(start: 0, label: name, channels: channels)],
                             comments: header.comments)
        }
        return try readMultiSegment(header, segments: segments, folder: folder, name: name)
    }

    /// Reads every signal of a single-segment record.
    ///
    /// - Returns: one channel per signal line, in header order, each with
    ///   `length × samplesPerFrame` samples at `frequency × samplesPerFrame` Hz.
    public static func readSignals(_ header: WFDBHeader, folder: URL, headerURL: URL) throws -> [Channel] {
        guard header.signalCount > 0 else { throw ImportError(headerURL, "the record has no signals") }
        var channels = [Channel?](repeating: nil, count: header.signals.count)
        var length = header.length
        // Group the signals by file, in order of first appearance (as the wfdb package does).
        var files: [String] = []
        var members: [String: [Int]] = [:]
        for (i, s) in header.signals.enumerated() {
            if members[s.fileName] == nil { files.append(s.fileName) }
            members[s.fileName, default: []].append(i)
        }
        for file in files {
            let indices = members[file]!
            let specs = indices.map { header.signals[$0] }
            guard let format = specs[0].format else {
                throw ImportError(headerURL, "signal \(specs[0].name) has format 0 (no stored samples)")
            }
            if let other = specs.first(where: { $0.format != format }) {
                throw ImportError(headerURL, "signals in \(file) mix formats \(format.rawValue) and \(other.format?.rawValue ?? "0")")
            }
            // As in wfdb: a relative file name is relative to the header's folder, an absolute one is used as is.
            let fileURL = file.hasPrefix("/") ? URL(fileURLWithPath: file) : folder.appendingPathComponent(file)
            let values = try readFile(fileURL, format: format, specs: specs, frequency: header.frequency, length: &length)
            for (k, i) in indices.enumerated() { channels[i] = values[k] }
        }
        return channels.map { $0! }
    }

    // MARK: - Internal API

    /// The format label of a record: `WFDB 212`, or `WFDB 16+212` when files differ.
    static func formatName(_ signals: [WFDBSignalSpec]) -> String {
        var seen: [String] = []
        for s in signals { if let f = s.format?.rawValue, !seen.contains(f) { seen.append(f) } }
        return "WFDB " + seen.joined(separator: "+")
    }

    /// Reads the signals `specs` stored together in one file.
    ///
    /// - Parameters:
    ///   - length: the record length in frames; when nil it is set from the file size.
    ///   - blockFrames: frames decoded per block (tests use small blocks to cross boundaries).
    static func readFile(_ url: URL, format: WFDBFormat, specs: [WFDBSignalSpec], frequency: Double,
                         length: inout Int?, blockFrames: Int = 1 << 16) throws -> [Channel] {
        if format.isFLAC {
            return try readFLACFile(url, format: format, specs: specs, frequency: frequency, length: &length, blockFrames: blockFrames)
        }
        let offset = specs[0].byteOffset
        let frameSize = specs.reduce(0) { $0 + $1.samplesPerFrame }        // samples per frame
        let maxSkew = specs.map(\.skew).max() ?? 0
        guard let handle = FileHandle(forReadingAtPath: url.path) else {
            throw ImportError.unreadable(url, missing: "signal file missing", unreadable: "cannot open the signal file")
        }
        defer { try? handle.close() }
        var info = stat()
        guard fstat(handle.fileDescriptor, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else {
            throw ImportError(url, "the signal file is not a regular file (a folder or a device)")
        }
        let fileSize = Int(info.st_size)
        guard fileSize >= offset else {
            throw ImportError(url, "truncated: \(fileSize) bytes, shorter than the byte offset \(offset)")
        }
        let framesInFile = format.sampleCount(bytes: fileSize - offset) / frameSize
        let frames = length ?? framesInFile
        length = frames
        guard framesInFile >= frames else {
            let need = format.byteCount(samples: frames * frameSize)
            throw ImportError(url, "truncated: format \(format.rawValue) needs \(need) bytes after offset \(offset) for \(frames) frames, the file has \(fileSize - offset)")
        }
        // Frames beyond the record length are read only when a skewed signal needs them.
        let framesRead = min(frames + maxSkew, framesInFile)
        let sampleCount = framesRead * frameSize
        let byteCount = min(format.byteCount(samples: sampleCount), fileSize - offset)
        // The raw bytes, read once without zero-filling first: (byteCount,)
        let raw = try [UInt8](unsafeUninitializedCapacity: byteCount) { buffer, initialised in
            var done = 0
            while done < byteCount {
                let n = pread(handle.fileDescriptor, buffer.baseAddress! + done, byteCount - done, off_t(offset + done))
                if n <= 0 { break }
                done += n
            }
            initialised = done
            guard done == byteCount else { throw ImportError(url, "short read: \(done) of \(byteCount) bytes") }
        }
        return decodeChannels(raw, format: format, specs: specs, frequency: frequency, frames: frames,
                              framesRead: framesRead, blockFrames: blockFrames)
    }

    /// Reads the signals `specs` stored together in one FLAC file (formats 508, 516, 524):
    /// `FLACSignalFile` decompresses it, the header's `+offset` counting FLAC samples.
    static func readFLACFile(_ url: URL, format: WFDBFormat, specs: [WFDBSignalSpec], frequency: Double,
                             length: inout Int?, blockFrames: Int) throws -> [Channel] {
        let spf = specs[0].samplesPerFrame
        guard specs.allSatisfy({ $0.samplesPerFrame == spf }) else {
            throw ImportError(url, "the signals of a FLAC signal file must have the same samples per frame (\(specs.map { String($0.samplesPerFrame) }.joined(separator: ", ")))")
        }
        let maxSkew = specs.map(\.skew).max() ?? 0
        let decoded = try FLACSignalFile.read(url, format: format, signals: specs.count, samplesPerFrame: spf,
                                              sampleOffset: specs[0].byteOffset,
                                              maxFrames: length.map { $0 > Int.max - maxSkew ? Int.max : $0 + maxSkew })
        let frames = length ?? decoded.frames
        length = frames
        guard decoded.frames >= frames else {
            throw ImportError(url, "truncated: the header needs \(frames) frames, the FLAC stream holds \(decoded.frames)")
        }
        return decodeChannels(decoded.bytes, format: format, specs: specs, frequency: frequency, frames: frames,
                              framesRead: min(frames + maxSkew, decoded.frames), blockFrames: blockFrames)
    }

    /// Converts the stored samples of the signals `specs` (one file's interleaved frames in
    /// `raw`, `framesRead` of them) to physical values, `frames` per signal.
    static func decodeChannels(_ raw: [UInt8], format: WFDBFormat, specs: [WFDBSignalSpec], frequency: Double,
                               frames: Int, framesRead: Int, blockFrames: Int) -> [Channel] {
        let frameSize = specs.reduce(0) { $0 + $1.samplesPerFrame }        // samples per frame
        // Per signal: its stored values decoded a block of frames at a time (the format chosen
        // once per block) into a bounded scratch, then converted to physical values.
        let scratch = UnsafeMutablePointer<Int32>.allocate(capacity: max(1, min(framesRead, blockFrames)))
        defer { scratch.deallocate() }
        let invalid = format.invalidSample ?? Int32.min, hasInvalid = format.invalidSample != nil
        var channels: [Channel] = []
        var position = 0                                              // first sample of the signal in a frame
        for spec in specs {
            let spf = spec.samplesPerFrame
            let baseline = Double(spec.baseline), gain = spec.gain
            let count = frames * spf
            // Stored samples of this signal, in order, skipping `skew` frames: (count,)
            let first = spec.skew * spf
            let available = max(0, min(count, framesRead * spf - first))
            let physical = raw.withUnsafeBufferPointer { d in
                [Double](unsafeUninitializedCapacity: count) { out, initialised in
                    // index of the signal's j-th stored sample in the interleaved stream
                    @inline(__always) func at(_ j: Int) -> Int {
                        spf == 1 ? j &* frameSize &+ position : (j / spf) &* frameSize &+ position &+ j % spf
                    }
                    // the physical value of a stored one (NaN for the format's invalid sample)
                    @inline(__always) func toPhysical(_ v: Int32) -> Double {
                        hasInvalid && v == invalid ? .nan : (Double(v) - baseline) / gain
                    }
                    if format == .diff8 {                             // differences → absolute values
                        var value = Int32(truncatingIfNeeded: spec.initialValue)
                        for j in 0..<first { value &+= format.sample(at(j), in: d) }
                        for i in 0..<available {
                            value &+= format.sample(at(first &+ i), in: d)
                            out[i] = toPhysical(value)
                        }
                    } else {
                        // Frame by frame: sample r of each frame sits `frameSize` samples after
                        // the one before, so each of the signal's spf sub-streams is one stride.
                        let frameCount = available / spf
                        var done = 0
                        while done < frameCount {
                            let m = min(blockFrames, frameCount - done)
                            for r in 0..<spf {
                                format.decode(d, first: (spec.skew + done) * frameSize + position + r, stride: frameSize,
                                              count: m, into: scratch)
                                let o = out.baseAddress! + (done * spf + r)
                                // a unit stride of its own, so that the one-sample case vectorises
                                if spf == 1 {
                                    for i in 0..<m { o[i] = toPhysical(scratch[i]) }
                                } else {
                                    for i in 0..<m { o[i &* spf] = toPhysical(scratch[i]) }
                                }
                            }
                            done += m
                        }
                    }
                    for i in available..<count { out[i] = .nan }
                    initialised = count
                }
            }
            channels.append(Channel(name: spec.name, units: spec.units, rate: frequency * Double(spf), samples: physical))
            position += spf
        }
        return channels
    }

    /// Reads a multi-segment record segment by segment.
    static func readMultiSegment(_ header: WFDBHeader, segments: [WFDBSegmentSpec], folder: URL, name: String) throws -> Recording {
        var parts: [RecordingPart] = []
        var notes: [String] = []
        var formats: [WFDBSignalSpec] = []
        var comments = header.comments
        var frame = 0
        var joinable = false            // the last part ends where this segment starts
        for segment in segments {
            defer { frame += segment.length }
            if segment.isGap {
                if segment.length > 0 { joinable = false }
                continue
            }
            let segmentURL = folder.appendingPathComponent(segment.name).appendingPathExtension("hea")
            guard FileManager.default.fileExists(atPath: segmentURL.path) else {
                notes.append("segment \(segment.name) (\(segment.length) frames at \(Double(frame) / header.frequency) s) is missing")
                if segment.length > 0 { joinable = false }
                continue
            }
            let sub = try WFDBHeader.read(segmentURL)
            guard !sub.isMultiSegment else { throw ImportError(segmentURL, "a segment may not itself have segments") }
            // A layout header (length 0) only names the channels; it holds no samples.
            if segment.length == 0 { continue }
            let channels = try readSignals(sub, folder: folder, headerURL: segmentURL)
            if let want = sub.length, want != segment.length {
                // The master header is authoritative for the segment's place in time.
                notes.append("segment \(segment.name) has \(want) frames, the master header says \(segment.length)")
            }
            comments += sub.comments
            formats += sub.signals
            let start = Double(frame) / header.frequency
            if joinable, let last = parts.indices.last, Self.sameChannels(parts[last].channels, channels) {
                // Appended in place: the part's sample arrays grow (amortised O(1) per
                // sample) instead of being copied for every segment joined to them.
                for c in channels.indices { parts[last].channels[c].samples.append(contentsOf: channels[c].samples) }
                parts[last].label += "+" + segment.name
            } else {
                parts.append(RecordingPart(start: start, label: segment.name, channels: channels))
            }
            joinable = true
        }
        guard !parts.isEmpty else {
            throw ImportError(folder.appendingPathComponent(name + ".hea"), "none of the \(segments.count) segments could be read" + (notes.isEmpty ? "" : " (\(notes.count) missing)"))
        }
        return Recording(name: name, format: formatName(formats) + " multi-segment", parts: parts, comments: comments, notes: notes)
    }

    /// True when two segments carry the same channels (names, rates and units, in order).
    static func sameChannels(_ a: [Channel], _ b: [Channel]) -> Bool {
        a.count == b.count && zip(a, b).allSatisfy { $0.name == $1.name && $0.rate == $1.rate && $0.units == $1.units }
    }
}
