#!/usr/bin/env python3
"""Cross-modal retrieval of a model's fingerprints in a store (docs/training.md, quality bars).

For every clean segment (both quality flags 0, both single-modality fingerprints finite), the
ECG-only fingerprint queries the PPG-only fingerprints of all clean segments by cosine
similarity; a hit is the query's own segment. Prints top-1, top-5, the median rank of the own
segment, the share of top-1 answers from the query's subject and chance for both.

--timing adds a reference point that uses no model: each segment's ECG R-R intervals query the
PPG pulse-to-pulse intervals of the same clean segments; the answer is the segment whose
sequence is closest (mean absolute difference, best over offsets of up to 2 beats, at least 4
intervals overlapping). It says how far beat timing alone tells one segment's PPG from the rest.

usage: scripts/cross_modal_retrieval.py STORE [--model ID] [--timing] [--json]
"""
import argparse
import json
import sys

import h5py
import numpy as np
from scipy.signal import find_peaks

from device_differences import RATE, band


def beat_intervals(x, modality):
    """Peak-to-peak intervals (s) of one segment: R peaks of the 0.5-40 Hz ECG (its larger
    polarity), systolic peaks of the 0.5-8 Hz PPG."""
    y = band(x, 0.5, 40 if modality == "ecg" else 8)
    y = (y - y.mean()) / (y.std() + 1e-12)
    if modality == "ecg" and -y.min() > y.max():
        y = -y
    peaks, _ = find_peaks(y, height=1.2 if modality == "ecg" else 0.3, distance=int(0.27 * RATE))
    return np.diff(peaks) / RATE


def timing_top1(ecg_intervals, ppg_intervals, max_offset=2, min_overlap=4):
    """Share of segments whose R-R sequence is closest to their own PPG's interval sequence."""
    def distance(a, b):
        best = np.inf
        for k in range(-max_offset, max_offset + 1):
            x, y = (a[k:], b) if k >= 0 else (a, b[-k:])
            m = min(len(x), len(y))
            if m >= min_overlap:
                best = min(best, float(np.mean(np.abs(x[:m] - y[:m]))))
        return best
    n = len(ecg_intervals)
    hits = 0
    for i in range(n):
        d = [distance(ecg_intervals[i], ppg_intervals[j]) for j in range(n)]
        hits += int(np.argmin(d) == i and np.isfinite(d[i]))
    return hits / n


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("store")
    p.add_argument("--model", help="model id (default: the store's only model)")
    p.add_argument("--timing", action="store_true", help="also the beat-timing reference (no model)")
    p.add_argument("--json", action="store_true")
    a = p.parse_args()
    with h5py.File(a.store, "r") as f:
        models = sorted(f["models"].keys()) if "models" in f else []
        model = a.model or (models[0] if len(models) == 1 else None)
        if model not in models:
            sys.exit(f"{a.store}: give --model, one of: {', '.join(models) or 'none (run m2ae embed)'}")
        fp = f[f"models/{model}/fingerprints"]
        ecg, ppg = fp["ecg"][:], fp["ppg"][:]
        clean = ((f["segments/ecg_quality"][:] == 0) & (f["segments/ppg_quality"][:] == 0)
                 & np.isfinite(ecg).all(1) & np.isfinite(ppg).all(1))
        subject = f["segments/subject"][:][clean]
        rows = np.nonzero(clean)[0]
        if a.timing:
            ecg_iv = [beat_intervals(f["signals/ecg"][i], "ecg") for i in rows]
            ppg_iv = [beat_intervals(f["signals/ppg"][i], "ppg") for i in rows]
    e, q = ecg[clean], ppg[clean]
    e /= np.linalg.norm(e, axis=1, keepdims=True)
    q /= np.linalg.norm(q, axis=1, keepdims=True)
    sim = e @ q.T
    n = len(e)
    own = np.diag(sim)
    rank = (sim > own[:, None]).sum(1)          # 0 = the own segment is the best answer
    best = sim.argmax(1)
    same_subject = (subject[best] == subject).mean()
    chance_subject = np.mean([(subject == s).sum() / n for s in subject])
    out = dict(model=model, segments=int(n), top1=float((rank == 0).mean()), top5=float((rank < 5).mean()),
               median_rank=float(np.median(rank) + 1), chance=1 / n,
               top1_same_subject=float(same_subject), chance_same_subject=float(chance_subject))
    if a.timing:
        out["timing_top1"] = timing_top1(ecg_iv, ppg_iv)
    if a.json:
        print(json.dumps(out))
    else:
        print(f"model {model}: ECG-only -> PPG-only among {n} clean segments: top-1 {100 * out['top1']:.1f} % "
              f"(chance {100 / n:.2f} %), top-5 {100 * out['top5']:.1f} %, median rank {out['median_rank']:.0f}; "
              f"top-1 from the same subject {100 * same_subject:.1f} % (chance {100 * chance_subject:.1f} %)")
        if a.timing:
            print(f"beat timing alone (no model): top-1 {100 * out['timing_top1']:.1f} %")


if __name__ == "__main__":
    main()
