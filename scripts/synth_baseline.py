#!/usr/bin/env python3
"""Hand-crafted-feature baseline on an M2AE store: the seven-task table (docs/synth.md).

Reads the store with h5py slice by slice, computes simple per-segment features with
numpy/scipy (heart rate, HRV, QRS width, ECG wave amplitudes and intervals from an averaged
beat, pulse arrival time, PPG morphology), and fits scikit-learn linear probes with a
subject-level split (5-fold GroupKFold: no subject's segments straddle train and test).

usage: scripts/synth_baseline.py STORE [--json] [--folds 5] [--C 0.2]
"""
import argparse
import json
import sys

import h5py
import numpy as np
from scipy import signal as sps
from sklearn.impute import SimpleImputer
from sklearn.linear_model import LogisticRegression, Ridge
from sklearn.metrics import average_precision_score, f1_score, mean_absolute_error, roc_auc_score
from sklearn.model_selection import GroupKFold
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

RATE = 125.0
ECG_SOS = sps.butter(2, [0.5, 40], btype="band", fs=RATE, output="sos")
PPG_SOS = sps.butter(2, [0.5, 8], btype="band", fs=RATE, output="sos")
FEATURES = [
    "hr", "rr_cv", "rmssd_norm", "rr_range", "n_beats", "qrs_width", "r_amp", "s_amp", "q_amp",
    "p_amp", "p_energy", "st_level", "t_amp", "t_time", "beat_var",
    "pat", "pat_sd", "pulse_amp_cv", "rise_time", "half_width", "refl_delay", "pulse_rr_cv",
    "late_ratio", "apg_b", "apg_d", "nan_share",
]


def fill(x):
    """Linear interpolation over NaN samples (a segment with none finite becomes zeros)."""
    x = x.astype(np.float64)
    bad = ~np.isfinite(x)
    if bad.all():
        return np.zeros_like(x)
    if bad.any():
        idx = np.arange(len(x))
        x[bad] = np.interp(idx[bad], idx[~bad], x[~bad])
    return x


def ecg_features(ecg):
    x = sps.sosfiltfilt(ECG_SOS, fill(ecg))
    a = np.abs(x)
    peaks, _ = sps.find_peaks(a, height=0.5 * a.max() if a.max() > 0 else None, distance=int(0.3 * RATE))
    f = {}
    rr = np.diff(peaks) / RATE
    if len(rr) >= 2:
        f["hr"] = 60 / rr.mean()
        f["rr_cv"] = rr.std() / rr.mean()
        f["rmssd_norm"] = np.sqrt(np.mean(np.diff(rr) ** 2)) / rr.mean() if len(rr) > 2 else np.nan
        f["rr_range"] = (rr.max() - rr.min()) / rr.mean()
    f["n_beats"] = len(peaks)
    # Averaged beat from -0.3 s to +0.5 s around each R peak.
    lo, hi = int(0.3 * RATE), int(0.5 * RATE)
    beats = np.array([x[p - lo:p + hi] for p in peaks if p - lo >= 0 and p + hi <= len(x)])
    if len(beats) >= 2:
        tpl = np.median(beats, axis=0)
        base = np.median(tpl[lo - int(0.08 * RATE):lo - int(0.05 * RATE)])
        tpl = tpl - base
        r = tpl[lo]
        sign = 1 if r >= 0 else -1
        s = sign * tpl
        half = s[lo] / 2
        left = lo
        while left > 0 and s[left] > half:
            left -= 1
        right = lo
        while right < len(s) - 1 and s[right] > half:
            right += 1
        f["qrs_width"] = (right - left) / RATE
        f["r_amp"] = r
        f["s_amp"] = tpl[lo:lo + int(0.08 * RATE)].min()
        f["q_amp"] = tpl[lo - int(0.06 * RATE):lo].min()
        pw = tpl[lo - int(0.26 * RATE):lo - int(0.08 * RATE)]
        f["p_amp"] = pw.max()
        f["p_energy"] = np.sqrt(np.mean(pw ** 2))
        f["st_level"] = tpl[lo + int(0.08 * RATE):lo + int(0.14 * RATE)].mean()
        tw = tpl[lo + int(0.15 * RATE):]
        k = np.argmax(np.abs(tw))
        f["t_amp"] = tw[k]
        f["t_time"] = (k + int(0.15 * RATE)) / RATE
        f["beat_var"] = np.median(np.std(beats - np.median(beats, axis=0), axis=1)) / (abs(r) + 1e-6)
    return f, peaks


def ppg_features(ppg, peaks):
    y = sps.sosfiltfilt(PPG_SOS, fill(ppg))
    dy = np.gradient(y)
    f = {}
    pats, feet = [], []
    for p in peaks:
        lo, hi = p + int(0.08 * RATE), p + int(0.6 * RATE)
        if hi >= len(y):
            continue
        k = lo + int(np.argmax(dy[lo:hi]))
        pats.append((k - p) / RATE)
        feet.append(k)
    if len(pats) >= 2:
        f["pat"] = np.median(pats)
        f["pat_sd"] = np.std(pats)
    pk, _ = sps.find_peaks(y, distance=int(0.3 * RATE), prominence=0.3 * (np.percentile(y, 95) - np.percentile(y, 5)))
    if len(pk) >= 3:
        amps = y[pk] - np.percentile(y, 5)
        f["pulse_amp_cv"] = amps.std() / (abs(amps.mean()) + 1e-9)
        prr = np.diff(pk) / RATE
        f["pulse_rr_cv"] = prr.std() / prr.mean()
    length = int(0.72 * RATE)
    pulses = [y[k - 8:k + length] for k in feet if k - 8 >= 0 and k + length <= len(y)]
    if len(pulses) >= 2:
        t = np.median(np.array(pulses), axis=0)
        t = t - t[:8].min()
        peak = int(np.argmax(t[:8 + 40]))
        if t[peak] > 0:
            t = t / t[peak]
            foot = int(np.argmin(t[:peak + 1]))
            f["rise_time"] = (peak - foot) / RATE
            above = np.where(t > 0.5)[0]
            f["half_width"] = (above[-1] - above[0]) / RATE if len(above) else np.nan
            f["late_ratio"] = t[min(peak + int(0.15 * RATE), len(t) - 1)]
            d2 = np.convolve(np.diff(t, 2), np.ones(5) / 5, mode="same")
            mins = sps.argrelmin(d2, order=4)[0]
            mins = mins[d2[mins] < 0.1 * d2.min()]
            f["refl_delay"] = (mins[1] - mins[0]) / RATE if len(mins) >= 2 else np.nan
            a = d2[:peak].max() if peak > 0 else np.nan
            f["apg_b"] = d2[foot:peak + 1].min() / a if peak > foot and a > 0 else np.nan
            f["apg_d"] = d2[peak:peak + int(0.25 * RATE)].min() / a if a > 0 else np.nan
    return f


def features(ecg, ppg):
    fe, peaks = ecg_features(ecg)
    fp = ppg_features(ppg, peaks)
    fe.update(fp)
    fe["nan_share"] = float(np.mean(~np.isfinite(ecg)) + np.mean(~np.isfinite(ppg)))
    return [fe.get(k, np.nan) for k in FEATURES]


def load(path, batch=512):
    with h5py.File(path, "r") as h:
        if h.attrs.get("format") not in ("m2ae-store", b"m2ae-store"):
            sys.exit(f"{path}: not an m2ae store (root attribute 'format' missing)")
        n = h["signals/ecg"].shape[0]
        subject = h["segments/subject"][:]
        rows = []
        for s in range(0, n, batch):
            e, p = h["signals/ecg"][s:s + batch], h["signals/ppg"][s:s + batch]
            rows.extend(features(e[i], p[i]) for i in range(len(e)))
        labels = {k: h["subjects/" + k][:] for k in
                  ["age", "sex", "hypertension", "ecg_class", "ppg_class", "mortality"]}
    return np.array(rows, dtype=np.float64), subject, labels


def oof(model, X, y, groups, folds, proba=True):
    """Out-of-fold predictions with a subject-level split."""
    out = np.zeros((len(y), len(np.unique(y))) if proba else len(y))
    for tr, te in GroupKFold(n_splits=folds).split(X, y, groups):
        m = model().fit(X[tr], y[tr])
        out[te] = m.predict_proba(X[te]) if proba else m.predict(X[te])
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("store")
    ap.add_argument("--folds", type=int, default=5)
    ap.add_argument("--json", action="store_true", help="print the table as JSON")
    ap.add_argument("--C", type=float, default=0.2, help="inverse L2 strength of the logistic probes")
    args = ap.parse_args()
    X, subj, L = load(args.store)
    X = np.nan_to_num(X, nan=np.nan, posinf=np.nan, neginf=np.nan)

    def logistic():
        return make_pipeline(SimpleImputer(strategy="median"), StandardScaler(),
                             LogisticRegression(max_iter=3000, C=args.C))

    def ridge():
        return make_pipeline(SimpleImputer(strategy="median"), StandardScaler(), Ridge(alpha=1.0))

    rows = []
    seg = lambda k: L[k][subj]
    rows.append({"task": "cross-modal reconstruction", "metric": "n/a (features do not reconstruct)", "value": None, "chance": None})
    for name, key, k in [("CVD 5-class (ECG)", "ecg_class", 5), ("CVD 3-class (PPG)", "ppg_class", 3)]:
        y = seg(key).astype(int)
        P = oof(logistic, X, y, subj, args.folds)
        auc = roc_auc_score(y, P, multi_class="ovr", average="macro")
        f1 = f1_score(y, P.argmax(1), average="macro")
        rows.append({"task": name, "metric": "macro AUROC / macro F1", "value": [auc, f1], "chance": [0.5, 1 / k]})
    for name, key in [("hypertension", "hypertension"), ("mortality", "mortality")]:
        y = seg(key).astype(int)
        P = oof(logistic, X, y, subj, args.folds)[:, 1]
        rows.append({"task": name, "metric": "AUROC / AUPRC", "value": [roc_auc_score(y, P), average_precision_score(y, P)],
                     "chance": [0.5, float(y.mean())]})
    y = seg("age").astype(float)
    pred = oof(ridge, X, y, subj, args.folds, proba=False)
    rows.append({"task": "age", "metric": "MAE years / Pearson r",
                 "value": [mean_absolute_error(y, pred), float(np.corrcoef(y, pred)[0, 1])],
                 "chance": [mean_absolute_error(y, np.full_like(y, np.median(y))), 0.0]})
    y = seg("sex").astype(int)
    P = oof(logistic, X, y, subj, args.folds)[:, 1]
    rows.append({"task": "sex", "metric": "AUROC", "value": [roc_auc_score(y, P)], "chance": [0.5]})
    # Re-identification: each subject's last segment queries all others' segments (standardised features).
    Z = StandardScaler().fit_transform(SimpleImputer(strategy="median").fit_transform(X))
    last = {s: i for i, s in enumerate(subj)}
    queries = np.array(sorted(last.values()))
    gallery = np.setdiff1d(np.arange(len(subj)), queries)
    d = ((Z[queries, None, :] - Z[None, gallery, :]) ** 2).sum(-1)
    top1 = float(np.mean(subj[gallery[d.argmin(1)]] == subj[queries]))
    rows.append({"task": "re-identification", "metric": "top-1 accuracy", "value": [top1], "chance": [1 / len(last)]})

    if args.json:
        print(json.dumps({"store": args.store, "segments": int(len(subj)), "subjects": int(len(last)),
                          "features": FEATURES, "folds": args.folds, "rows": rows}, indent=2))
        return
    print(f"hand-crafted-feature baseline: {args.store}, {len(subj)} segments, {len(last)} subjects, "
          f"{len(FEATURES)} features, {args.folds}-fold subject-level split")
    print(f"{'task':28s}{'metric':36s}{'value':>18s}{'chance':>18s}")
    for r in rows:
        fmt = lambda v: "—" if v is None else " / ".join(f"{x:.3f}" for x in v)
        print(f"{r['task']:28s}{r['metric']:36s}{fmt(r['value']):>18s}{fmt(r['chance']):>18s}")


if __name__ == "__main__":
    main()
