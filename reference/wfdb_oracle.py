#!/usr/bin/env python3
"""WFDB oracle for the Importers tests and the import benchmark.

  dump OUTDIR RECORD[:SAMPTO]...    read each RECORD with wfdb.rdrecord(smooth_frames=False)
                                    and write every channel's float64 physical values
                                    (e_p_signal), channel after channel, to OUTDIR/<i>.bin; print
                                    a JSON list of {"channels": [{"name", "units", "fs", "count"}],
                                    "comments"}, one per record.
  fixtures DIR                      write test records in every WFDB format to DIR: formats
                                    80/212/16/24/32 with wfdb.wrsamp, formats 8/61/160/310/311
                                    byte by byte from the WFDB specification (signal-5), plus a
                                    two-file record, byte offsets, multi-rate frames and a
                                    multi-segment record with a gap and a missing segment.
                                    Prints a JSON list of {"record", "sampto"}.
  flac DIR                          write FLAC-compressed records (formats 508, 516, 524) to DIR
                                    with wfdb's own writer (wfdb.wrsamp through soundfile): several
                                    signals in one file, samples per frame > 1, a multi-rate record
                                    of three files, a long record spanning many FLAC blocks, and a
                                    sample offset (`516+N`). Prints a JSON list of {"record"}.
  manypart DIR N FRAMES              write a multi-segment record "many" of N contiguous segments
                                    of FRAMES frames each (format 16, two signals) to DIR, the
                                    case where every segment joins the one before. Prints
                                    {"record", "frames"}.
  time RECORD... --repeats N        median seconds of wfdb.rdrecord per record (benchmark peer).
"""
import json
import os
import statistics
import sys
import time

import numpy as np
import wfdb

RANGE = {"508": (-128, 127), "516": (-2**15, 2**15 - 1), "524": (-2**23, 2**23 - 1), "8": (-2**31, 2**31 - 1), "16": (-2**15, 2**15 - 1), "24": (-2**23, 2**23 - 1),
         "32": (-2**31, 2**31 - 1), "61": (-2**15, 2**15 - 1), "80": (-128, 127),
         "160": (-2**15, 2**15 - 1), "212": (-2048, 2047), "310": (-512, 511), "311": (-512, 511)}


def dump(outdir, specs):
    print(json.dumps([_dump_one(spec, os.path.join(outdir, f"{i}.bin")) for i, spec in enumerate(specs)]))


def _dump_one(spec, out):
    record, _, sampto = spec.partition(":")
    rec = wfdb.rdrecord(record, smooth_frames=False, sampto=int(sampto) if sampto else None)
    index = []
    with open(out, "wb") as f:
        for ch, sig in enumerate(rec.e_p_signal):
            sig = np.asarray(sig, dtype="<f8")
            f.write(sig.tobytes())
            index.append({"name": rec.sig_name[ch], "units": rec.units[ch],
                          "fs": float(rec.fs) * rec.samps_per_frame[ch], "count": int(sig.size)})
    return {"channels": index, "comments": rec.comments or []}


def _digital(rng, fmt, n, sentinel_every=0):
    lo, hi = RANGE[fmt]
    if fmt == "8":
        # a random walk whose steps fit in int8 (format 8 stores differences)
        return np.cumsum(rng.integers(-100, 100, n)).astype(np.int64)
    lo_draw = lo + 1  # the lowest value is the invalid-sample sentinel
    x = rng.integers(lo_draw, hi + 1, n, dtype=np.int64)
    x[: min(n, 4)] = [hi, lo_draw, 0, -1][: min(n, 4)]  # the extremes and the sign boundary
    if sentinel_every:
        x[3::sentinel_every] = lo
    return x


def _pack(fmt, samples, init):
    """Bytes of a signal file in format fmt holding the interleaved samples (spec: signal-5)."""
    s = np.asarray(samples, dtype=np.int64)
    if fmt == "8":
        prev = np.concatenate([[init], s[:-1]])
        d = s - prev
        assert np.all((d >= -128) & (d <= 127))
        return d.astype(np.int8).tobytes()
    if fmt == "61":
        return s.astype(">i2").tobytes()
    if fmt == "16":
        return s.astype("<i2").tobytes()
    if fmt == "212":
        u = np.concatenate([s, np.zeros(len(s) % 2, np.int64)]) & 0xFFF
        out = np.empty(len(u) // 2 * 3, np.uint8)
        out[0::3] = u[0::2] & 0xFF
        out[1::3] = (u[0::2] >> 8) | ((u[1::2] >> 8) << 4)
        out[2::3] = u[1::2] & 0xFF
        return out[: (3 * len(s) + 1) // 2].tobytes()
    if fmt == "160":
        return (s + 32768).astype("<u2").tobytes()
    if fmt in ("310", "311"):
        pad = (-len(s)) % 3
        u = np.concatenate([s, np.zeros(pad, np.int64)]) & 0x3FF
        a, b, c = u[0::3], u[1::3], u[2::3]
        out = bytearray()
        for x, y, z in zip(a, b, c):
            if fmt == "310":
                w0 = (int(x) << 1) | ((int(z) & 0x1F) << 11)
                w1 = (int(y) << 1) | ((int(z) >> 5) << 11)
                out += w0.to_bytes(2, "little") + w1.to_bytes(2, "little")
            else:
                w = int(x) | (int(y) << 10) | (int(z) << 20)
                out += w.to_bytes(4, "little")
        # a short last block keeps only the bytes its samples need (wfdb reads a 310 block
        # holding two samples as a full one)
        drop = {0: 0, 1: 0 if fmt == "310" else 1, 2: 2}[pad]
        return bytes(out[: len(out) - drop])
    raise ValueError(fmt)


def _write_bytes_record(directory, name, fmt, spf, n_frames, rng, offset=0, skew=None):
    """A record in one of the formats that wfdb cannot write, from the specification."""
    n_sig = len(spf)
    skew = skew or [0] * n_sig
    chans = [_digital(rng, fmt, n_frames * k, sentinel_every=0 if fmt == "8" else 37) for k in spf]
    init = [int(c[0]) for c in chans] if fmt == "8" else [0] * n_sig
    frames = []
    for f in range(n_frames):
        for ch in range(n_sig):
            frames.extend(chans[ch][f * spf[ch]:(f + 1) * spf[ch]])
    if fmt == "8":
        # differences are per signal: integrate each channel separately
        inter, prev = [], list(init)
        for f in range(n_frames):
            for ch in range(n_sig):
                for k in range(spf[ch]):
                    v = int(chans[ch][f * spf[ch] + k])
                    inter.append(v - prev[ch]); prev[ch] = v
        body = np.asarray(inter, np.int64).astype(np.int8).tobytes()
    else:
        body = _pack(fmt, frames, 0)
    with open(os.path.join(directory, name + ".dat"), "wb") as f:
        f.write(bytes(range(offset % 256)) * (offset // 256) + bytes(range(offset % 256)) if offset else b"")
        f.write(body)
    units = ["mV", "NU", "mmHg", "uV"]
    lines = [f"{name} {n_sig} 100 {n_frames}"]
    for ch in range(n_sig):
        fmtfield = fmt + (f"x{spf[ch]}" if spf[ch] > 1 else "") + (f":{skew[ch]}" if skew[ch] else "") + (f"+{offset}" if offset else "")
        gain = [200.0, 1.052e4, 37.5, 0.8][ch % 4]
        lines.append(f"{name}.dat {fmtfield} {gain:g}({(ch * 7) - 3})/{units[ch % 4]} {RANGE[fmt][1].bit_length() + 1} 0 {init[ch]} 0 0 ch{ch} name")
    lines.append("# written by reference/wfdb_oracle.py")
    with open(os.path.join(directory, name + ".hea"), "w") as f:
        f.write("\n".join(lines) + "\n")


def fixtures(directory):
    os.makedirs(directory, exist_ok=True)
    rng = np.random.default_rng(7)
    made = []
    # Formats wfdb writes itself (with samples per frame > 1 on the first channel).
    for fmt in ["80", "212", "16", "24", "32"]:
        n = 257
        name = f"w{fmt}"
        d = [_digital(rng, fmt, n * 2, 37), _digital(rng, fmt, n, 37), _digital(rng, fmt, n, 0)]
        lo, hi = RANGE[fmt]
        rec = wfdb.Record(record_name=name, n_sig=3, fs=100, sig_len=n, file_name=[name + ".dat"] * 3,
                          fmt=[fmt] * 3, samps_per_frame=[2, 1, 1], adc_gain=[200.0, 1.052e4, 0.37],
                          baseline=[0, -12, 512], units=["mV", "NU", "mmHg"], sig_name=["II", "PLETH", "ABP"],
                          adc_res=[RANGE[fmt][1].bit_length() + 1] * 3, adc_zero=[0] * 3,
                          init_value=[int(x[0]) for x in d], checksum=[int(np.sum(x)) & 0xFFFF for x in d],
                          block_size=[0] * 3,
                          e_d_signal=[x.astype(np.int64) for x in d], comments=["wfdb.wrsamp fixture"])
        # A sentinel only where the format has one (the writer refuses otherwise).
        rec.wrsamp(expanded=True, write_dir=directory)
        made.append({"record": name})
    # Formats written from the specification, with a byte offset and multi-rate frames.
    for fmt in ["8", "61", "160", "310", "311"]:
        for n_frames, spf, off in [(101, [1, 2, 1], 0), (100, [1, 1], 24), (50, [3], 0)]:
            name = f"b{fmt}_{len(spf)}_{n_frames}"
            _write_bytes_record(directory, name, fmt, spf, n_frames, rng, offset=off)
            made.append({"record": name})
    # A record whose signals live in two files of different formats, one with a skew.
    _write_bytes_record(directory, "part_a", "16", [1], 80, rng)
    _write_bytes_record(directory, "part_b", "212", [1, 1], 80, rng, offset=6)
    a = open(os.path.join(directory, "part_a.hea")).read().splitlines()
    b = open(os.path.join(directory, "part_b.hea")).read().splitlines()
    with open(os.path.join(directory, "twofile.hea"), "w") as f:
        f.write("twofile 3 100 80\n" + a[1] + "\n" + b[1] + "\n" + b[2] + "\n")
    made.append({"record": "twofile"})
    # A skewed signal (lagging 2 frames, NaN past the end of the file; wfdb 4.3 mis-slices
    # skews below the largest one and skews of multi-sample frames, so neither is used) and a
    # header without a length (taken from the file size).
    _write_bytes_record(directory, "skew", "16", [1, 1, 1], 64, rng, skew=[0, 2, 0])
    made.append({"record": "skew"})
    _write_bytes_record(directory, "nolength", "212", [1, 1], 33, rng)
    with open(os.path.join(directory, "nolength.hea")) as f:
        lines = f.read().splitlines()
    lines[0] = "nolength 2 100"
    with open(os.path.join(directory, "nolength.hea"), "w") as f:
        f.write("\n".join(lines) + "\n")
    made.append({"record": "nolength"})
    # A multi-segment record: layout, two segments, a gap, a segment whose files are missing.
    for seg, n in [("ms_0001", 120), ("ms_0002", 90)]:
        _write_bytes_record(directory, seg, "16", [1, 1], n, rng)
    with open(os.path.join(directory, "ms_layout.hea"), "w") as f:
        f.write("ms_layout 2 100 0\n~ 0 200/mV 16 0 0 0 0 ch0 name\n~ 0 1.052e4/NU 16 0 0 0 0 ch1 name\n")
    with open(os.path.join(directory, "ms.hea"), "w") as f:
        f.write("ms/5 2 100 440\nms_layout 0\nms_0001 120\n~ 30\nms_0002 90\nms_0003 200\n")
    made.append({"record": "ms", "sampto": 240})
    print(json.dumps(made))


def many_part(directory, n, frames):
    os.makedirs(directory, exist_ok=True)
    rng = np.random.default_rng(11)
    names = [f"many_{i:05d}" for i in range(n)]
    for name in names:
        _write_bytes_record(directory, name, "16", [1, 1], frames, rng)
    with open(os.path.join(directory, "many.hea"), "w") as f:
        f.write(f"many/{n} 2 100 {n * frames}\n" + "".join(f"{name} {frames}\n" for name in names))
    print(json.dumps({"record": "many", "frames": n * frames}))


def flac_fixtures(directory):
    os.makedirs(directory, exist_ok=True)
    rng = np.random.default_rng(11)
    made = []

    def write(name, files, fmts, spfs, n, names, smooth=False):
        """One record; signal k is stored in files[k] with format fmts[k] and spfs[k] samples per frame."""
        d = []
        for fmt, spf in zip(fmts, spfs):
            if smooth:  # a slow wave with noise: compresses the way real signals do
                t = np.arange(n * spf)
                x = (0.3 * RANGE[fmt][1] * np.sin(t / (7.0 * spf)) + rng.normal(0, 3, n * spf)).astype(np.int64)
            else:
                x = _digital(rng, fmt, n * spf, 41)
            d.append(x)
        k = len(fmts)
        rec = wfdb.Record(record_name=name, n_sig=k, fs=125, sig_len=n, file_name=files, fmt=fmts,
                          samps_per_frame=spfs, adc_gain=[200.0, 1.052e4, 0.37, 12.5, 1.0][:k],
                          baseline=[0, -12, 512, 3, 0][:k], units=["mV", "NU", "mmHg", "mV", "uV"][:k],
                          sig_name=names, adc_res=[int(f) - 500 for f in fmts], adc_zero=[0] * k,
                          init_value=[int(x[0]) for x in d], checksum=[int(np.sum(x)) & 0xFFFF for x in d],
                          block_size=[0] * k, e_d_signal=d, comments=["wfdb.wrsamp FLAC fixture"])
        rec.wrsamp(expanded=True, write_dir=directory)
        made.append({"record": name})

    write("f516", ["f516.dat"] * 3, ["516"] * 3, [1] * 3, 1000, ["II", "PLETH", "ABP"])
    write("f508", ["f508.dat"] * 2, ["508"] * 2, [1] * 2, 777, ["II", "PLETH"])
    write("f524x3", ["f524x3.dat"] * 2, ["524"] * 2, [3] * 2, 500, ["II", "V"])
    # multi-rate: ECG leads at 4 samples per frame in one file, PLETH and RESP in two others
    write("fmulti", ["fm_a.dat", "fm_a.dat", "fm_b.dat", "fm_c.dat"], ["516", "516", "524", "508"],
          [4, 4, 1, 1], 600, ["II", "V", "PLETH", "RESP"])
    # long enough for many FLAC blocks, with signal-like content
    write("flong", ["flong.dat"] * 2, ["516"] * 2, [2, 2], 40000, ["II", "PLETH"], smooth=True)
    # a sample offset: the record starts 37 FLAC samples into the stream
    write("fbase", ["fbase.dat"] * 2, ["516"] * 2, [1, 1], 400, ["II", "PLETH"])
    with open(os.path.join(directory, "fbase.hea")) as f:
        lines = f.read().splitlines()
    out = ["foffset 2 125 363"] + [l.replace("516x1 ", "516x1+37 ", 1) for l in lines[1:3]]
    with open(os.path.join(directory, "foffset.hea"), "w") as f:
        f.write("\n".join(out) + "\n")
    made.append({"record": "foffset"})
    print(json.dumps(made))


def timing(records, repeats):
    out = {}
    for r in records:
        wfdb.rdrecord(r, smooth_frames=False)  # warm-up (imports, file cache)
        times = []
        for _ in range(repeats):
            t = time.perf_counter()
            wfdb.rdrecord(r, smooth_frames=False)
            times.append(time.perf_counter() - t)
        out[r] = statistics.median(times)
    print(json.dumps(out))


if __name__ == "__main__":
    cmd = sys.argv[1] if len(sys.argv) > 1 else ""
    if cmd == "dump":
        dump(sys.argv[2], sys.argv[3:])
    elif cmd == "fixtures":
        fixtures(sys.argv[2])
    elif cmd == "manypart":
        many_part(sys.argv[2], int(sys.argv[3]), int(sys.argv[4]))
    elif cmd == "flac":
        flac_fixtures(sys.argv[2])
    elif cmd == "time":
        args = sys.argv[2:]
        repeats = 5
        if "--repeats" in args:
            i = args.index("--repeats"); repeats = int(args[i + 1]); args = args[:i] + args[i + 2:]
        timing(args, repeats)
    else:
        sys.exit(__doc__)
