#!/usr/bin/env python3
"""EDF oracle for the Importers tests: pyedflib (a wrapper of EDFlib, the C library Debian
ships as libedf) writes fixture files and reads them back.

  fixtures DIR   write edf_plus.edf (EDF+C: ECG 256 Hz, Pleth 128 Hz, annotations),
                 plain.edf (EDF, 3 signals) and bio.bdf (BDF+C, 24-bit) to DIR; for each, write
                 every signal's float64 physical values from pyedflib's readSignal to
                 DIR/<file>.bin and print a JSON map file -> [{"label", "units", "fs", "count"}].
"""
import json
import os
import sys

import numpy as np
import pyedflib


def _write(path, filetype, signals, annotate):
    n = len(signals)
    w = pyedflib.EdfWriter(path, n, file_type=filetype)
    headers = []
    for label, fs, units, pmin, pmax, dmin, dmax, _ in signals:
        headers.append({"label": label, "dimension": units, "sample_frequency": fs,
                        "physical_min": pmin, "physical_max": pmax,
                        "digital_min": dmin, "digital_max": dmax, "transducer": "", "prefilter": ""})
    w.setSignalHeaders(headers)
    w.setPatientName("fixture")
    if annotate:
        w.writeAnnotation(1.5, -1, "event")
    w.writeSamples([s[-1] for s in signals])
    w.close()


def fixtures(directory):
    os.makedirs(directory, exist_ok=True)
    rng = np.random.default_rng(11)
    t = lambda fs, sec: np.arange(int(fs * sec)) / fs
    ecg = np.sin(2 * np.pi * 1.2 * t(256, 12)) + 0.05 * rng.standard_normal(256 * 12)
    ppg = 50 + 20 * np.sin(2 * np.pi * 1.2 * t(128, 12) - 1)
    resp = rng.uniform(-3, 3, 100 * 12)
    files = {
        "edf_plus.edf": (pyedflib.FILETYPE_EDFPLUS, [("ECG II", 256, "mV", -2.5, 2.5, -32768, 32767, ecg),
                                                     ("Pleth", 128, "NU", 0, 100, -2048, 2047, ppg)], True),
        "plain.edf": (pyedflib.FILETYPE_EDF, [("EKG", 256, "uV", -2500, 2500, -32000, 32000, ecg * 1000),
                                              ("PPG", 128, "", -10, 110, 0, 4095, ppg),
                                              ("Resp", 100, "a.u.", -3.2, 3.2, -32768, 32767, resp)], False),
        "bio.bdf": (pyedflib.FILETYPE_BDFPLUS, [("ECG", 256, "mV", -3, 3, -8388608, 8388607, ecg),
                                                ("PLETH", 128, "NU", 0, 100, -8388608, 8388607, ppg)], True),
    }
    index = {}
    for name, (ft, sigs, annotate) in files.items():
        path = os.path.join(directory, name)
        _write(path, ft, sigs, annotate)
        r = pyedflib.EdfReader(path)
        chans = []
        with open(path + ".bin", "wb") as f:
            for i in range(r.signals_in_file):
                v = np.asarray(r.readSignal(i), dtype="<f8")
                f.write(v.tobytes())
                chans.append({"label": r.getLabel(i), "units": r.getPhysicalDimension(i),
                              "fs": float(r.getSampleFrequency(i)), "count": int(v.size)})
        r.close()
        index[name] = chans
    print(json.dumps(index))


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "fixtures":
        fixtures(sys.argv[2])
    else:
        sys.exit(__doc__)
