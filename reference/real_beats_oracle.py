#!/usr/bin/env python3
"""NeuroKit2's beats on every paired recording in shared/data/real, for the Signals tests.

  real_beats_oracle.py DATA_DIR OUT_DIR [NAME ...]

Reads each recording with the package its authors use (wfdb.rdrecord, numpy.loadtxt,
scipy.io.loadmat), cuts it into the store's back-to-back 10-s windows (a recording shorter than
10 s but at least 5 s long is one window of its whole length), resamples each modality to
125 Hz with scipy.signal.resample_poly (what Signals.Resampler reproduces) and runs NeuroKit2
on every window at 125 Hz: ecg_clean + ecg_peaks (method "neurokit") and ppg_clean + ppg_peaks
(method "elgendi"). NaN samples are bridged by linear interpolation for NeuroKit2 only.

Writes, per recording NAME:
  OUT_DIR/NAME.ecg.f32, OUT_DIR/NAME.ppg.f32   samples as read, at their own rate, float32 LE
  OUT_DIR/NAME.json   {"ecg_rate", "ppg_rate", "ecg_period", "ppg_period" (ADC span for
                       wrap-around, 0 when unknown), "window_seconds", "windows",
                       "ecg_peaks", "ppg_peaks" (per window: 125-Hz sample indices inside it)}
and OUT_DIR/index.json, the list of names in order.
Only the recordings named are written when names are given (e.g. "v102s", "ncku/125_").
"""
import glob
import json
import os
import sys
from fractions import Fraction

import numpy as np

RATE = 125.0
BITS = {"8": 8, "80": 8, "16": 16, "61": 16, "160": 16, "212": 12, "310": 10, "311": 10, "24": 24, "32": 32}


def _wfdb(path, ecg, ppg, unwrap_ppg=False):
    """One WFDB record's ECG and PPG channel by name, each at its own rate (multi-rate kept)."""
    import wfdb
    rec = wfdb.rdrecord(path, smooth_frames=False)
    out = []
    for name in (ecg, ppg):
        i = rec.sig_name.index(name)
        x = np.asarray(rec.e_p_signal[i], dtype=np.float64)
        period = 2.0 ** BITS.get(str(rec.fmt[i]), 16) / float(rec.adc_gain[i])
        out.append((x, float(rec.fs) * rec.samps_per_frame[i], period))
    return out


def recordings(data):
    """(name, [(samples, rate, wrap period) for ECG and PPG]) for every paired recording."""
    w = os.path.join(data, "wfdb")
    yield "a103l", _wfdb(os.path.join(w, "a103l"), "II", "PLETH")
    yield "v102s", _wfdb(os.path.join(w, "v102s"), "II", "PLETH")
    yield "041s01", _wfdb(os.path.join(w, "041s", "041s01"), "III", "PLETH")
    yield "041s02", _wfdb(os.path.join(w, "041s", "041s02"), "III", "PLETH")
    yield "p000878", _wfdb(os.path.join(w, "p000878", "3269321_0002"), "II", "PLETH")
    yield "TestICU", _wfdb(os.path.join(w, "TestICU"), "col 1", "col 5")
    nk = np.genfromtxt(os.path.join(data, "csv", "neurokit_bio_resting_5min_100hz.csv"), delimiter=",", names=True)
    yield "neurokit", [(nk["ECG"], 100.0, 0.0), (nk["PPG"], 100.0, 0.0)]
    tsv = np.loadtxt(os.path.join(data, "csv", "pyphysio_medical_2048hz.tsv"), delimiter="\t")
    yield "pyphysio", [(tsv[:, 0], 2048.0, 0.0), (tsv[:, 2], 2048.0, 0.0)]
    import scipy.io
    m = lambda f: scipy.io.loadmat(os.path.join(data, "mat", f), squeeze_me=True, struct_as_record=False)
    d = m("mimic_perform_1min_normal.mat")["data"]
    yield "mimic_perform", [(d.ekg.v, float(d.ekg.fs), 0.0), (d.ppg.v, float(d.ppg.fs), 0.0)]
    k = m("ecgkit_example_recording.mat")
    names = [s.strip() for s in k["header"].desc]
    fs = float(k["header"].freq)
    yield "ecgkit", [(k["signal"][:, names.index("I")], fs, 0.0), (k["signal"][:, names.index("PPG")], fs, 0.0)]
    e, p = m("mollie_example_ECG.mat")["ECG"], m("mollie_example_PPG.mat")["PPG"]
    yield "mollie", [(e.ts, float(e.fs), 0.0), (p.ts, float(p.fs), 0.0)]
    for f in sorted(glob.glob(os.path.join(data, "csv", "ncku", "*.csv"))):
        a = np.loadtxt(f, delimiter=",")
        yield "ncku/" + os.path.basename(f)[:-4], [(a[:, 3], 50.0, 0.0), (a[:, 2], 50.0, 0.0)]


def to125(x, rate):
    from scipy import signal
    f = Fraction(RATE / rate).limit_denominator(5000)
    return signal.resample_poly(x, f.numerator, f.denominator) if f != 1 else x


def bridged(x):
    x = np.asarray(x, dtype=np.float64).copy()
    bad = ~np.isfinite(x)
    if bad.all():
        return None
    if bad.any():
        i = np.arange(len(x))
        x[bad] = np.interp(i[bad], i[~bad], x[~bad])
    return x


def peaks(x, kind):
    import neurokit2 as nk
    import warnings
    if x is None or np.ptp(x) == 0:
        return []
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            if kind == "ecg":
                _, info = nk.ecg_peaks(nk.ecg_clean(x, sampling_rate=int(RATE)), sampling_rate=int(RATE))
                return [int(i) for i in info["ECG_R_Peaks"]]
            _, info = nk.ppg_peaks(nk.ppg_clean(x, sampling_rate=int(RATE)), sampling_rate=int(RATE))
            return [int(i) for i in info["PPG_Peaks"]]
    except Exception:
        return []


def main(argv):
    data, out = argv[1], argv[2]
    wanted = argv[3:]
    os.makedirs(out, exist_ok=True)
    names = []
    for name, ((ecg, ecg_rate, ecg_period), (ppg, ppg_rate, ppg_period)) in recordings(data):
        if wanted and not any(name.startswith(w) for w in wanted):
            continue
        duration = min(len(ecg) / ecg_rate, len(ppg) / ppg_rate)
        seconds = 10.0 if duration >= 10 else duration
        windows = int(duration // seconds + 1e-9) if duration >= 5 else 0
        ppg_for_nk = np.unwrap(ppg, period=ppg_period) if ppg_period and name == "v102s" else ppg
        e125 = to125(bridged(ecg), ecg_rate)
        p125 = to125(bridged(ppg_for_nk), ppg_rate)
        n = int(round(seconds * RATE))
        rec = {"ecg_rate": ecg_rate, "ppg_rate": ppg_rate, "ecg_period": ecg_period, "ppg_period": ppg_period,
               "window_seconds": seconds, "windows": windows,
               "ecg_peaks": [], "ppg_peaks": []}
        for k in range(windows):
            e = peaks(e125[k * n:(k + 1) * n], "ecg")
            p = peaks(p125[k * n:(k + 1) * n], "ppg")
            rec["ecg_peaks"].append(e)
            rec["ppg_peaks"].append(p)
        base = os.path.join(out, name.replace("/", "_"))
        np.asarray(ecg, dtype="<f4").tofile(base + ".ecg.f32")
        np.asarray(ppg, dtype="<f4").tofile(base + ".ppg.f32")
        with open(base + ".json", "w") as f:
            json.dump(rec, f)
        names.append(name)
    with open(os.path.join(out, "index.json"), "w") as f:
        json.dump(names, f)


if __name__ == "__main__":
    main(sys.argv)
