#!/usr/bin/env python3
"""Opens a Swift-written m2ae store with h5py and checks it against the documented layout.

Usage: check_store_h5py.py STORE EXPECT.json

EXPECT.json (written by the Swift test) holds what the store must contain:
  {"segments": N, "subjects": S, "attributes": {...},
   "samples": {"<i>": {"ecg": [..1250..], "ppg": [..1250..]}},
   "meta": {"<i>": {"subject": int, "record": str, "start": float, "ecg_rate": float,
                    "ppg_rate": float, "ecg_quality": int, "ppg_quality": int, "ppg_delay": float|null}},
   "subject_rows": {"<j>": {"id": str, "age": float|null, "sex": int, ...}},
   "matrices": {"<path>": {"shape": [r, c], "rows": {"<i>": [..c..]}}}}
Floats equal bit for bit (null means NaN / missing). Prints "store OK: ..." and exits 0, or
prints every mismatch and exits 1.
"""
import json
import math
import sys

import h5py
import numpy as np

errors = []


def check(cond, what):
    if not cond:
        errors.append(what)


def same_float(a, b):
    if b is None:
        return math.isnan(a)
    return float(a) == float(b)


def text(v):
    return v.decode("utf-8") if isinstance(v, bytes) else str(v)


def main(path, expect_path):
    with open(expect_path) as f:
        expect = json.load(f)
    n, s = expect["segments"], expect["subjects"]
    with h5py.File(path, "r") as h:
        check(text(h.attrs.get("format", "")) == "m2ae-store", f"format attribute is {h.attrs.get('format')!r}")
        check(int(h.attrs.get("schema_version", -1)) == 1, "schema_version is not 1")
        check(h.attrs["schema_version"].dtype == np.int32, f"schema_version dtype {h.attrs['schema_version'].dtype}")
        for k, v in expect["attributes"].items():
            check(text(h.attrs.get(k, "")) == v, f"root attribute {k}: {h.attrs.get(k)!r} != {v!r}")

        for m in ("ecg", "ppg"):
            d = h[f"/signals/{m}"]
            check(d.shape == (n, 1250), f"/signals/{m} shape {d.shape}")
            check(d.dtype == np.dtype("<f4"), f"/signals/{m} dtype {d.dtype}")
            check(d.chunks is not None and d.chunks[1] == 1250, f"/signals/{m} chunks {d.chunks}")
            check(d.compression == "gzip" and d.shuffle, f"/signals/{m} filters {d.compression} shuffle={d.shuffle}")
            check(d.maxshape == (None, 1250), f"/signals/{m} maxshape {d.maxshape}")
        dtypes = {"subject": "<i4", "start": "<f8", "ecg_rate": "<f8", "ppg_rate": "<f8",
                  "ecg_quality": "|u1", "ppg_quality": "|u1", "ppg_delay": "<f8"}
        for col, dt in dtypes.items():
            d = h[f"/segments/{col}"]
            check(d.shape == (n,), f"/segments/{col} shape {d.shape}")
            check(d.dtype == np.dtype(dt), f"/segments/{col} dtype {d.dtype} != {dt}")
        rec = h["/segments/record"]
        check(rec.shape == (n,), f"/segments/record shape {rec.shape}")
        check(h5py.check_string_dtype(rec.dtype) is not None, f"/segments/record dtype {rec.dtype}")

        for i, want in expect["samples"].items():
            i = int(i)
            for m in ("ecg", "ppg"):
                got = h[f"/signals/{m}"][i]
                ok = all(same_float(a, b) for a, b in zip(got, want[m])) and len(want[m]) == 1250
                check(ok, f"/signals/{m}[{i}] differs (first {got[:3]} vs {want[m][:3]})")
        for i, want in expect["meta"].items():
            i = int(i)
            for col, v in want.items():
                got = h[f"/segments/{col}"][i]
                if col == "record":
                    check(text(got) == v, f"/segments/record[{i}] {got!r} != {v!r}")
                else:
                    check(same_float(got, v), f"/segments/{col}[{i}] {got} != {v}")

        codes = {"sex": "|i1", "hypertension": "|i1", "ecg_class": "|i1", "ppg_class": "|i1", "mortality": "|i1"}
        floats = {"age": "<f4", "sbp": "<f4", "dbp": "<f4"}
        for col, dt in {**codes, **floats}.items():
            d = h[f"/subjects/{col}"]
            check(d.shape == (s,), f"/subjects/{col} shape {d.shape}")
            check(d.dtype == np.dtype(dt), f"/subjects/{col} dtype {d.dtype} != {dt}")
        check(h["/subjects/id"].shape == (s,), "/subjects/id shape")
        for j, want in expect["subject_rows"].items():
            j = int(j)
            for col, v in want.items():
                got = h[f"/subjects/{col}"][j]
                if col == "id":
                    check(text(got) == v, f"/subjects/id[{j}] {text(got)!r} != {v!r}")
                else:
                    check(same_float(got, v), f"/subjects/{col}[{j}] {got} != {v}")

        for p, want in expect.get("matrices", {}).items():
            d = h[p]
            check(list(d.shape) == want["shape"], f"{p} shape {d.shape} != {want['shape']}")
            check(d.dtype == np.dtype("<f4"), f"{p} dtype {d.dtype}")
            for i, row in want["rows"].items():
                got = d[int(i)]
                check(all(same_float(a, b) for a, b in zip(got, row)), f"{p}[{i}] {got} != {row}")
        for p, attrs in expect.get("group_attributes", {}).items():
            for k, v in attrs.items():
                check(text(h[p].attrs.get(k, "")) == v, f"{p} attribute {k}: {h[p].attrs.get(k)!r} != {v!r}")

    if errors:
        print("\n".join(errors), file=sys.stderr)
        sys.exit(1)
    print(f"store OK: {n} segments, {s} subjects, h5py {h5py.__version__}, HDF5 {h5py.version.hdf5_version}")


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    main(sys.argv[1], sys.argv[2])
