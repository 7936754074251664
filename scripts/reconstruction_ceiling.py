#!/usr/bin/env python3
"""How well could any model rebuild a real ECG from its PPG? (docs/evaluation.md, "Ceilings")

`m2ae evaluate --unlabelled` scores a PPG -> ECG reconstruction by zero-lag r and shape r (the
best r within half a beat either way) against the prepared ECG. This script scores *oracle*
reconstructions the same way, on the clean segments of a store (both quality flags 0), to bound
what a model can reach on those recordings:

  person, ECG timing    the person's own median ECG beat (from their *other* segments) placed at
                        the segment's true R peaks: perfect timing, the person's typical shape
  person, PPG timing    the same beat placed at the PPG's pulse upstrokes minus the person's median
                        delay: what a model that knows this person's beat and device delay could
                        draw from the PPG alone
  population, PPG timing  the median beat of --reference people (other subjects, other stores),
                        placed at the PPG's upstrokes minus the reference people's median delay:
                        what a model that has never seen this person or this device could draw
  population, blurred   the population beat averaged over the reference people's timing error
                        (true R peak minus upstroke-minus-delay): the expected ECG given the PPG's
                        beat times, which is what a model minimising squared error would draw
  PPG itself            the prepared PPG as the guess (the trivial floor)

Each row: median zero-lag r and median shape r over segments, and the share of segments whose
guess, run through the same R-peak detector as the truth, beats within 5 bpm of the true ECG;
then the shape r of each oracle per person.

These oracles are one family (a fixed beat drawn at estimated times), not a bound on every model:
a model could read some of the ECG's shape from the PPG's, or time beats better than the
upstroke picker here. They say where a model that learned the typical beat stands.

scripts/ppg_to_ecg_ceiling.py asks the same question on generated people (population beat at the
true R peaks with a drawn timing error, and the model's own reconstructions); this one adds the
PPG's own beat times, the person's beat and the heart rate, for real recordings.

usage: scripts/reconstruction_ceiling.py STORE --reference STORE [--json]
"""
import argparse
import json
import os
import sys

import h5py
import numpy as np
from scipy.signal import find_peaks

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from device_differences import RATE, band  # noqa: E402

BEFORE, AFTER = int(0.25 * RATE), int(0.45 * RATE)  # the beat window around an R peak


def prepare(x, lo, hi):
    """Preprocessing.prepare: band-pass (order 2, forward-backward), z-score."""
    y = band(x, lo, hi)
    s = y.std()
    return (y - y.mean()) / s if s > 0 else np.zeros_like(y)


def r_peaks(ecg):
    inverted = -ecg.min() > ecg.max()
    peaks, _ = find_peaks(-ecg if inverted else ecg, height=1.2, distance=int(0.27 * RATE))
    return peaks


def upstrokes(ppg):
    """Steepest rise of each pulse: peaks of the PPG's slope."""
    slope = np.gradient(band(ppg, 0.5, 8))
    peaks, _ = find_peaks(slope, height=0.5 * np.percentile(slope, 98), distance=int(0.27 * RATE))
    return peaks


def beats(ecg, peaks):
    return [ecg[p - BEFORE:p + AFTER] for p in peaks if p - BEFORE >= 0 and p + AFTER <= len(ecg)]


def delay_samples(ecg_peaks, ppg_up):
    """Median R peak -> next upstroke, in samples."""
    d = []
    for p in ecg_peaks:
        later = ppg_up[ppg_up > p]
        if len(later) and later[0] - p < int(0.9 * RATE):
            d.append(later[0] - p)
    return int(np.median(d)) if d else None


def render(template, at, n):
    """The template placed at each R time in `at` (overlaps averaged), z-scored."""
    out, weight = np.zeros(n), np.zeros(n)
    for p in at:
        lo, hi = p - BEFORE, p + AFTER
        a, b = max(lo, 0), min(hi, n)
        if a < b:
            out[a:b] += template[a - lo:b - lo]
            weight[a:b] += 1
    base = 0.5 * (template[0] + template[-1])
    out = np.where(weight > 0, out / np.maximum(weight, 1), base)
    s = out.std()
    return (out - out.mean()) / s if s > 0 else out


def pearson(x, y):
    x, y = x - x.mean(), y - y.mean()
    d = np.sqrt((x * x).sum() * (y * y).sum())
    return float((x * y).sum() / d) if d > 0 else None


def shape_r(truth, guess, max_lag):
    """Reconstructor.bestLag: the largest r over |lag| <= max_lag."""
    n = len(truth)
    best = None
    for lag in range(-min(max_lag, n // 2), min(max_lag, n // 2) + 1):
        lo, hi = max(0, -lag), min(n, n - lag)
        r = pearson(truth[lo:hi], guess[lo + lag:hi + lag])
        if r is not None and (best is None or r > best):
            best = r
    return best


def bpm(peaks):
    return 60 * RATE / np.median(np.diff(peaks)) if len(peaks) >= 2 else None


def load(path):
    """Clean segments per subject: (prepared ECG, prepared PPG) pairs."""
    with h5py.File(path, "r") as f:
        seg = f["segments"]
        ok = (seg["ecg_quality"][:] == 0) & (seg["ppg_quality"][:] == 0)
        subject = seg["subject"][:]
        ids = [s.decode() if isinstance(s, bytes) else str(s) for s in f["subjects/id"][:]]
        people = {}
        for i in np.where(ok)[0]:
            e = prepare(f["signals/ecg"][i], 0.5, 40)
            p = prepare(f["signals/ppg"][i], 0.5, 8)
            people.setdefault(ids[subject[i]], []).append((e, p))
    return people


def person_beat(segments):
    bs = [b for e, _ in segments for b in beats(e, r_peaks(e))]
    if not bs:
        return None
    t = np.median(bs, axis=0)
    # beats of an inverted recording are drawn as they are: the truth has the same polarity
    return t


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("store")
    ap.add_argument("--reference", required=True, help="a store of other people: the population beat and delay")
    ap.add_argument("--json", action="store_true")
    a = ap.parse_args()
    people = load(a.store)
    reference = load(a.reference)
    ref_beats, ref_delays = [], []
    for segs in reference.values():
        t = person_beat(segs)
        if t is not None:
            ref_beats.append(t / (np.abs(t).max() or 1))
        for e, p in segs:
            d = delay_samples(r_peaks(e), upstrokes(p))
            if d is not None:
                ref_delays.append(d)
    population = np.median(ref_beats, axis=0)
    population_delay = int(np.median(ref_delays))
    # The timing error of upstroke-minus-delay on the reference people, as a kernel over samples.
    width = int(0.2 * RATE)
    errors = []
    for segs in reference.values():
        for e, p in segs:
            truth = r_peaks(e)
            if len(truth) == 0:
                continue
            for u in upstrokes(p) - population_delay:
                d = truth[np.argmin(np.abs(truth - u))] - u
                if abs(d) <= width:
                    errors.append(d)
    kernel = np.bincount(np.asarray(errors) + width, minlength=2 * width + 1).astype(float)
    kernel /= kernel.sum()
    blurred = np.convolve(population, kernel, mode="same")

    rows = {k: {"zero": [], "shape": [], "hr": [], "person": []} for k in
            ("person, ECG timing", "person, PPG timing", "population, PPG timing", "population, blurred", "PPG itself")}
    for pid, segs in people.items():
        for i, (e, p) in enumerate(segs):
            truth_peaks = r_peaks(e)
            true_bpm = bpm(truth_peaks)
            if true_bpm is None:
                continue
            others = segs[:i] + segs[i + 1:]
            own = person_beat(others)
            up = upstrokes(p)
            own_delay = None
            if others:
                ds = [delay_samples(r_peaks(oe), upstrokes(op)) for oe, op in others]
                ds = [d for d in ds if d is not None]
                own_delay = int(np.median(ds)) if ds else None
            max_lag = int(round(30 / true_bpm * RATE))
            guesses = {"PPG itself": (p, up)}
            if own is not None:
                guesses["person, ECG timing"] = (render(own, truth_peaks, len(e)), truth_peaks)
                if own_delay is not None:
                    at = up - own_delay
                    guesses["person, PPG timing"] = (render(own, at, len(e)), at)
            at = up - population_delay
            guesses["population, PPG timing"] = (render(population, at, len(e)), at)
            guesses["population, blurred"] = (render(blurred, at, len(e)), at)
            for name, (g, at) in guesses.items():
                z = pearson(e, g)
                s = shape_r(e, g, max_lag)
                if z is None or s is None:
                    continue
                rows[name]["zero"].append(z)
                rows[name]["shape"].append(s)
                rows[name]["person"].append(pid)
                guess_bpm = bpm(r_peaks(g))
                rows[name]["hr"].append(guess_bpm is not None and abs(guess_bpm - true_bpm) <= 5)
    out = {name: {"segments": len(v["zero"]), "zero_lag_r": float(np.median(v["zero"])) if v["zero"] else None,
                  "shape_r": float(np.median(v["shape"])) if v["shape"] else None,
                  "hr_within_5": float(np.mean(v["hr"])) if v["hr"] else None,
                  "shape_r_by_person": {q: float(np.median([x for x, w in zip(v["shape"], v["person"]) if w == q]))
                                        for q in people if q in v["person"]}}
           for name, v in rows.items()}
    out["_"] = {"people": len(people), "population_delay_ms": 1000 * population_delay / RATE,
                "reference_people": len(reference), "timing_error_sd_ms": 1000 * float(np.std(errors)) / RATE}
    if a.json:
        print(json.dumps(out, indent=1))
        return
    print(f"{len(people)} people, population delay {1000 * population_delay / RATE:.0f} ms from {len(reference)} reference people, "
          f"timing error SD {out['_']['timing_error_sd_ms']:.0f} ms")
    names = [q for q in people]
    print(f"{'oracle':<26}{'segments':>9}{'zero-lag r':>12}{'shape r':>9}{'HR ±5':>7}  shape r by person: {' '.join(names)}")
    for name, v in out.items():
        if name == "_":
            continue
        by = " ".join(f"{v['shape_r_by_person'].get(q, float('nan')):.3f}" for q in names)
        print(f"{name:<26}{v['segments']:>9}{v['zero_lag_r']:>12.3f}{v['shape_r']:>9.3f}{v['hr_within_5']:>7.3f}  {by}")


if __name__ == "__main__":
    main()
