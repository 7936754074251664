#!/usr/bin/env python3
"""How well can PPG -> ECG reconstruction do on people a model never saw? (docs/training.md)

On the clean segments of a store (both quality flags 0), with the ECG prepared as the model
sees it (0.5-40 Hz band-pass, z-scored):

1. Pulse arrival time, R-peak -> steepest PPG upstroke: its spread across people and within a
   person. The R-peak of a PPG-only reconstruction has to be placed this far before the pulse.
2. Oracle reconstructions that know more than a PPG can tell: the population-average beat placed
   at the true R-peaks (exact timing, average shape), and the same with every beat of a segment
   moved by one offset drawn from N(0, sd): the timing error a model is left with when it cannot
   see part of the pulse arrival time (in the generator, the pre-ejection period alone varies by
   18 ms between people and leaves no trace in the PPG).
3. With --model: the model's own PPG -> ECG reconstructions (reference/m2ae.py, the ECG fully
   hidden): Pearson r at zero lag (what `m2ae reconstruct --from ppg` reports) and at the best
   lag within +-80 ms, with that lag, separating shape errors from timing errors.

usage: scripts/ppg_to_ecg_ceiling.py STORE [--model CKPT] [--json]
"""
import argparse
import json
import os
import sys

import h5py
import numpy as np
from scipy.signal import butter, find_peaks, sosfiltfilt

RATE = 125
BEFORE, AFTER = int(0.35 * RATE), int(0.55 * RATE)   # beat window around the R-peak, samples


def prepared_ecg(x):
    y = sosfiltfilt(butter(2, [0.5, 40], btype="bandpass", fs=RATE, output="sos"), x.astype(np.float64), axis=1)
    return (y - y.mean(1, keepdims=True)) / y.std(1, keepdims=True)


def r_peaks(x):
    return [find_peaks(row, height=1.2, distance=int(0.27 * RATE))[0] for row in x]


def windows(row, peaks):
    return [row[p - BEFORE:p + AFTER] for p in peaks if p - BEFORE >= 0 and p + AFTER <= len(row)]


def place(template, centres, n):
    """The template summed at the given (fractional) centres, length n."""
    y = np.zeros(n)
    for c in centres:
        c = int(round(c))
        lo, hi = c - BEFORE, c + AFTER
        a, b = max(lo, 0), min(hi, n)
        if b > a:
            y[a:b] += template[a - lo:b - lo]
    return y


def summary(r):
    r = np.asarray(r)
    return dict(median=float(np.median(r)), q1=float(np.quantile(r, 0.25)), q3=float(np.quantile(r, 0.75)),
                share_at_least_0_7=float(np.mean(r >= 0.7)))


def pulse_arrival(ecg, ppg, peaks, subject):
    p = sosfiltfilt(butter(2, [0.5, 8], btype="bandpass", fs=RATE, output="sos"), ppg.astype(np.float64), axis=1)
    pats, who = [], []
    for i, rp in enumerate(peaks):
        slope = np.gradient(p[i])
        vals = [(lo + np.argmax(slope[lo:hi]) - r) / RATE
                for r in rp for lo, hi in [(r + int(0.08 * RATE), r + int(0.45 * RATE))] if hi < len(slope)]
        if len(vals) >= 3:
            pats.append(np.median(vals) * 1000)
            who.append(subject[i])
    pats, who = np.array(pats), np.array(who)
    people = [s for s in np.unique(who)]
    within = np.sqrt(np.mean([pats[who == s].var() for s in people if (who == s).sum() > 1]))
    return dict(mean_ms=float(pats.mean()), sd_across_people_ms=float(np.std([pats[who == s].mean() for s in people])),
                sd_within_person_ms=float(within), segments=int(len(pats)))


def model_reconstructions(checkpoint, ecg_raw, ppg_raw):
    sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "reference"))
    import torch
    from m2ae import load_checkpoint
    from train import preprocess
    model = load_checkpoint(checkpoint).eval()
    T = model.config.num_patches
    out = []
    with torch.no_grad():
        for lo in range(0, len(ppg_raw), 128):
            e = torch.from_numpy(preprocess(ecg_raw[lo:lo + 128], "ecg"))
            p = torch.from_numpy(preprocess(ppg_raw[lo:lo + 128], "ppg"))
            n = e.shape[0]
            res = model(e, p, torch.zeros(n, T, dtype=torch.bool), torch.ones(n, T, dtype=torch.bool))
            out.append(res["ecg_recon"].numpy())
    return np.concatenate(out).astype(np.float64)


def lagged_r(a, b, max_lag):
    """Best Pearson r of a shifted against b over lags -max_lag..max_lag, and that lag."""
    best = (-2.0, 0)
    for lag in range(-max_lag, max_lag + 1):
        x, y = (a[lag:], b[:len(b) - lag]) if lag >= 0 else (a[:lag], b[-lag:])
        r = np.corrcoef(x, y)[0, 1]
        if r > best[0]:
            best = (r, lag)
    return best


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("store")
    ap.add_argument("--model", help="a checkpoint whose PPG -> ECG reconstructions are scored too")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--json", action="store_true")
    a = ap.parse_args()
    with h5py.File(a.store, "r") as f:
        clean = (f["segments/ecg_quality"][:] == 0) & (f["segments/ppg_quality"][:] == 0)
        rows = np.where(clean)[0]
        ecg_raw, ppg_raw = f["signals/ecg"][:][rows], f["signals/ppg"][:][rows]
        subject = f["segments/subject"][:][rows]
    x = prepared_ecg(ecg_raw)
    peaks = r_peaks(x)
    keep = [i for i in range(len(x)) if len(peaks[i]) >= 3]
    population = np.mean([w for i in keep for w in windows(x[i], peaks[i])], axis=0)
    n = x.shape[1]
    result = dict(store=a.store, clean_segments=len(keep), pulse_arrival=pulse_arrival(ecg_raw, ppg_raw, peaks, subject))
    result["exact_timing_population_beat"] = summary([np.corrcoef(place(population, peaks[i], n), x[i])[0, 1] for i in keep])
    rng = np.random.default_rng(a.seed)
    result["offset_timing_population_beat"] = {}
    for sd in (10, 18, 25, 38):
        r = [np.corrcoef(place(population, peaks[i] + rng.normal(0, sd / 1000 * RATE), n), x[i])[0, 1] for i in keep]
        result["offset_timing_population_beat"][f"sd_{sd}_ms"] = summary(r)
    if a.model:
        recon = model_reconstructions(a.model, ecg_raw[keep], ppg_raw[keep])
        target = x[keep]
        zero = [np.corrcoef(recon[j], target[j])[0, 1] for j in range(len(keep))]
        lagged = [lagged_r(recon[j], target[j], int(0.08 * RATE)) for j in range(len(keep))]
        result["model"] = dict(checkpoint=a.model, zero_lag=summary(zero),
                               best_lag_within_80_ms=summary([r for r, _ in lagged]),
                               median_abs_best_lag_ms=float(np.median([abs(l) for _, l in lagged]) * 1000 / RATE))
    if a.json:
        print(json.dumps(result, indent=2))
        return
    pa = result["pulse_arrival"]
    print(f"{a.store}: {len(keep)} clean segments")
    print(f"pulse arrival (R -> steepest PPG upstroke): mean {pa['mean_ms']:.0f} ms, SD across people "
          f"{pa['sd_across_people_ms']:.1f} ms, within a person {pa['sd_within_person_ms']:.1f} ms")
    line = lambda name, s: print(f"{name:<58} median r {s['median']:.3f} (Q1 {s['q1']:.3f}, Q3 {s['q3']:.3f}), "
                                 f"r >= 0.7 in {100 * s['share_at_least_0_7']:.0f} %")
    line("oracle: population beat at the true R-peaks", result["exact_timing_population_beat"])
    for k, s in result["offset_timing_population_beat"].items():
        line(f"oracle: ... every beat of a segment moved by N(0, {k[3:-3]} ms)", s)
    if a.model:
        m = result["model"]
        line("model: PPG -> ECG, zero lag", m["zero_lag"])
        line("model: PPG -> ECG, best lag within 80 ms", m["best_lag_within_80_ms"])
        print(f"model: median |best lag| {m['median_abs_best_lag_ms']:.0f} ms")


if __name__ == "__main__":
    main()
