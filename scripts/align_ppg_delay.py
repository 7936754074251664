#!/usr/bin/env python3
"""Copies a store with each subject's PPG shifted so its ECG -> PPG delay is --target seconds.

The experiment behind docs/training.md "Training on delay-aligned real recordings": a model
fine-tuned on real devices whose pulse arrives 0.06-0.59 s after the R peak cannot tell from the
PPG which device recorded it, and hedges (its rebuilt ECG shrinks and gains extra beats). Shifting
each subject's PPG so every device has the same delay removes that ambiguity.

Per subject, the delay is the median R peak -> steepest PPG upstroke of its clean segments, as
scripts/device_differences.py measures it; subjects without a measured delay are left as they
are. Segments of one record that follow each other (start + 10 s) are shifted as one stream, so
no samples are invented inside a run; the ends of a run repeat their last sample. Quality flags
and everything else are copied unchanged.

    python3 scripts/align_ppg_delay.py real-train.h5 real-train-aligned.h5 --target 0.30

Needs numpy, scipy and h5py. The output must not exist.
"""
import argparse
import os
import shutil
import sys

import h5py
import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from device_differences import RATE, store_rows  # noqa: E402


def shifted(x, shift):
    """x moved `shift` samples earlier (later when negative), ends repeated."""
    y = np.empty_like(x)
    if shift > 0:
        y[:-shift] = x[shift:]
        y[-shift:] = x[-1]
    else:
        y[-shift:] = x[:shift]
        y[:-shift] = x[0]
    return y


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("store")
    ap.add_argument("out")
    ap.add_argument("--target", type=float, default=0.30, help="delay to align to, seconds")
    a = ap.parse_args()
    if os.path.exists(a.out):
        sys.exit(f"{a.out} already exists")
    delays = {r["subject"]: r["delay_ms"] / 1000 for r in store_rows(a.store) if r["delay_ms"] is not None}
    tmp = a.out + ".partial"
    shutil.copyfile(a.store, tmp)
    with h5py.File(tmp, "r+") as f:
        seg = f["segments"]
        record, start, subject = seg["record"][:], seg["start"][:], seg["subject"][:]
        ids = [s.decode() if isinstance(s, bytes) else str(s) for s in f["subjects/id"][:]]
        ppg = f["signals/ppg"]
        S = ppg.shape[1]
        for r in dict.fromkeys(record):
            idx = np.where(record == r)[0]
            idx = idx[np.argsort(start[idx])]
            d = delays.get(ids[subject[idx[0]]])
            shift = 0 if d is None else int(round((d - a.target) * RATE))
            if shift == 0:
                continue
            runs = [[idx[0]]]
            for i, j in zip(idx[:-1], idx[1:]):
                if abs(start[j] - start[i] - S / RATE) < 1e-6:
                    runs[-1].append(j)
                else:
                    runs.append([j])
            for run in runs:
                y = shifted(np.concatenate([ppg[i] for i in run]), shift)
                for k, i in enumerate(run):
                    ppg[i] = y[k * S:(k + 1) * S]
    os.replace(tmp, a.out)
    for s, d in delays.items():
        print(f"{s}: {1000 * d:.0f} ms -> {1000 * a.target:.0f} ms")


if __name__ == "__main__":
    main()
