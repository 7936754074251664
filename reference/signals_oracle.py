#!/usr/bin/env python3
"""Oracles for the Signals module tests (scipy and wfdb as the reference).

Raw arrays travel as little-endian float32 (inputs) and float64 (outputs), no header.

  signals_oracle.py bandpass IN.f32 OUT.f64 RATE LOW HIGH ORDER
        scipy.signal.butter(ORDER, [LOW, HIGH], 'bandpass', fs=RATE, output='sos') + sosfiltfilt
        (LOW <= 0: a low-pass at HIGH; HIGH >= RATE/2: a high-pass at LOW)
  signals_oracle.py sos OUT.f64 RATE LOW HIGH ORDER
        the sections themselves, (n_sections, 6) row-major
  signals_oracle.py resample IN.f32 OUT.f64 UP DOWN
        scipy.signal.resample_poly(x, UP, DOWN)
  signals_oracle.py wfdb RECORD_PATH OUT_DIR
        wfdb.rdrecord(RECORD_PATH): each channel as OUT_DIR/<index>.f32 (NaN where invalid)
        and OUT_DIR/meta.json {"fs": ..., "sig_name": [...], "n": ..., "wrap_period": [...]}
        (wrap_period: the ADC span 2^bits / gain in physical units, per channel)
  signals_oracle.py batch JOBS.txt
        runs every line of JOBS.txt (the arguments of one of the modes above, space-separated)
        in this one process, so a test pays for one interpreter start and one scipy import
  signals_oracle.py time JOBS.txt REPEATS
        times scipy on each line of JOBS.txt ("bandpass IN.f32 RATE LOW HIGH ORDER" or
        "resample IN.f32 UP DOWN"; design included, as in the Swift call) and prints a JSON list
        of median thread-CPU seconds over REPEATS runs after one warm-up (the peer of `m2ae-bench signals`)
"""
import json
import os
import sys

import numpy as np


def _bandpass_sos(rate, low, high, order):
    """The band-pass, or (as Filters.bandpass does) a low-pass for LOW <= 0 and a high-pass
    for HIGH >= Nyquist."""
    from scipy import signal
    if low <= 0:
        return signal.butter(order, high, btype="lowpass", fs=rate, output="sos")
    if high >= rate / 2:
        return signal.butter(order, low, btype="highpass", fs=rate, output="sos")
    return signal.butter(order, [low, high], btype="bandpass", fs=rate, output="sos")


def main(argv):
    mode = argv[1]
    if mode == "bandpass":
        from scipy import signal
        x = np.fromfile(argv[2], dtype="<f4").astype(np.float64)
        sos = _bandpass_sos(float(argv[4]), float(argv[5]), float(argv[6]), int(argv[7]))
        signal.sosfiltfilt(sos, x).astype("<f8").tofile(argv[3])
    elif mode == "sos":
        sos = _bandpass_sos(float(argv[3]), float(argv[4]), float(argv[5]), int(argv[6]))
        np.ascontiguousarray(sos, dtype="<f8").tofile(argv[2])
    elif mode == "resample":
        from scipy import signal
        x = np.fromfile(argv[2], dtype="<f4").astype(np.float64)
        signal.resample_poly(x, int(argv[4]), int(argv[5])).astype("<f8").tofile(argv[3])
    elif mode == "wfdb":
        import wfdb
        rec = wfdb.rdrecord(argv[2])
        os.makedirs(argv[3], exist_ok=True)
        sig = rec.p_signal
        for i in range(sig.shape[1]):
            sig[:, i].astype("<f4").tofile(os.path.join(argv[3], f"{i}.f32"))
        bits = {"8": 8, "80": 8, "16": 16, "61": 16, "160": 16, "212": 12, "310": 10, "311": 10,
                "24": 24, "32": 32}
        periods = [2.0 ** bits.get(str(fmt), 16) / float(gain) for fmt, gain in zip(rec.fmt, rec.adc_gain)]
        with open(os.path.join(argv[3], "meta.json"), "w") as f:
            json.dump({"fs": float(rec.fs), "sig_name": list(rec.sig_name), "n": int(sig.shape[0]),
                       "wrap_period": periods}, f)
    elif mode == "time":
        import time
        from scipy import signal
        repeats = int(argv[3])
        medians = []
        with open(argv[2]) as f:
            jobs = [line.split() for line in f if line.strip()]
        for job in jobs:
            x = np.fromfile(job[1], dtype="<f4").astype(np.float64)
            if job[0] == "bandpass":
                rate, low, high, order = float(job[2]), float(job[3]), float(job[4]), int(job[5])
                run = lambda: signal.sosfiltfilt(_bandpass_sos(rate, low, high, order), x)
            elif job[0] == "resample":
                up, down = int(job[2]), int(job[3])
                run = lambda: signal.resample_poly(x, up, down)
            else:
                sys.exit(f"signals_oracle.py time: unknown job {job[0]!r}")
            run()
            times = []
            for _ in range(repeats):
                t = time.thread_time()
                run()
                times.append(time.thread_time() - t)
            medians.append(float(np.median(times)))
        json.dump(medians, sys.stdout)
    elif mode == "batch":
        with open(argv[2]) as f:
            for line in f:
                if line.strip():
                    main([argv[0]] + line.split())
    else:
        sys.exit(f"signals_oracle.py: unknown mode {mode!r}")


if __name__ == "__main__":
    main(sys.argv)
