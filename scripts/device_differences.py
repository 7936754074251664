#!/usr/bin/env python3
"""Where do recordings of different devices differ? (docs/training.md, "Device augmentations")

Per subject of one or more stores, over its clean segments (both quality flags 0):
  rate      the recording's own ECG/PPG sampling rates (before the importer resampled to 125 Hz)
  inverted  share of segments whose band-passed ECG has its largest excursion negative (polarity)
  delay_ms  R-peak -> steepest PPG upstroke, from the beat-averaged PPG slope (the device's pulse
            arrival, channel delays included), median over segments, searched in (0.1 s, 0.8 s); a
            segment whose largest slope is at either end of the window has none (the method of
            Signals.DeviceDelay, which the importer stores per record)
  hf        ECG power 15-40 Hz as a share of 0.5-40 Hz (low device rates and monitor filters cut it)
  wander    raw power below 0.5 Hz as a share of all (ECG, PPG)

usage: scripts/device_differences.py STORE [STORE ...] [--json]
"""
import argparse
import json

import h5py
import numpy as np
from scipy.signal import butter, find_peaks, sosfiltfilt, welch

RATE = 125


def band(x, lo, hi):
    return sosfiltfilt(butter(2, [lo, hi], btype="bandpass", fs=RATE, output="sos"), x.astype(np.float64))


def segment_measures(ecg, ppg):
    e = band(ecg, 0.5, 40)
    e = (e - e.mean()) / (e.std() + 1e-12)
    inverted = -e.min() > e.max()
    peaks, _ = find_peaks(-e if inverted else e, height=1.2, distance=int(0.27 * RATE))
    f, pe = welch(e, fs=RATE, nperseg=256)
    hf = pe[(f >= 15) & (f <= 40)].sum() / pe[(f >= 0.5) & (f <= 40)].sum()
    wander = []
    for x in (ecg, ppg):
        f, p = welch(x.astype(np.float64) - np.mean(x), fs=RATE, nperseg=1024)
        wander.append(p[f < 0.5].sum() / max(p.sum(), 1e-20))
    delay = None
    if len(peaks) >= 4:
        slope = np.gradient(band(ppg, 0.5, 8))
        first, span = int(np.ceil(0.1 * RATE)), int(0.8 * RATE)
        beats = [slope[r + first:r + span] for r in peaks if r + span <= len(slope)]
        if len(beats) >= 3:
            k = first + int(np.argmax(np.mean(beats, axis=0)))
            delay = 1000 * k / RATE if first < k < span - 1 else None
    return inverted, delay, hf, wander


def store_rows(path):
    rows = []
    with h5py.File(path, "r") as f:
        seg = f["segments"]
        ok = (seg["ecg_quality"][:] == 0) & (seg["ppg_quality"][:] == 0)
        subject = seg["subject"][:]
        ids = [s.decode() if isinstance(s, bytes) else str(s) for s in f["subjects/id"][:]]
        er, pr = seg["ecg_rate"][:], seg["ppg_rate"][:]
        ecg, ppg = f["signals/ecg"], f["signals/ppg"]
        for s in np.unique(subject):
            idx = np.where((subject == s) & ok)[0]
            if len(idx) == 0:
                continue
            m = [segment_measures(ecg[i], ppg[i]) for i in idx]
            delays = [d for _, d, _, _ in m if d is not None]
            rows.append(dict(store=path, subject=ids[s], segments=int(len(idx)),
                             rate=f"{np.median(er[idx]):g}/{np.median(pr[idx]):g}",
                             inverted=float(np.mean([v for v, _, _, _ in m])),
                             delay_ms=float(np.median(delays)) if delays else None,
                             delay_iqr_ms=float(np.subtract(*np.percentile(delays, [75, 25]))) if delays else None,
                             hf=float(np.median([h for _, _, h, _ in m])),
                             wander_ecg=float(np.median([w[0] for *_, w in m])),
                             wander_ppg=float(np.median([w[1] for *_, w in m]))))
    return rows


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("stores", nargs="+")
    ap.add_argument("--json", action="store_true")
    a = ap.parse_args()
    rows = [r for s in a.stores for r in store_rows(s)]
    if a.json:
        print(json.dumps(rows, indent=1))
        return
    print(f"{'subject':<12}{'seg':>5} {'rate ecg/ppg':>14} {'inverted':>9} {'delay ms':>9} {'IQR':>5} {'hf':>6} {'wander e/p':>12}")
    for r in rows:
        d = "-" if r["delay_ms"] is None else f"{r['delay_ms']:.0f}"
        q = "-" if r["delay_iqr_ms"] is None else f"{r['delay_iqr_ms']:.0f}"
        print(f"{r['subject']:<12}{r['segments']:>5} {r['rate']:>14} {r['inverted']:>9.2f} {d:>9} {q:>5} {r['hf']:>6.3f} "
              f"{r['wander_ecg']:>5.2f}/{r['wander_ppg']:.2f}")


if __name__ == "__main__":
    main()
