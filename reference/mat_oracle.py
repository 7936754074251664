#!/usr/bin/env python3
"""MATLAB oracle for the Importers tests (scipy.io.loadmat for v4/v5, h5py for v7.3).

  dump OUTDIR FILE...     read each FILE with scipy.io.loadmat and write every real numeric
                          2-D array (struct fields by path: `data.ekg.v`, struct-array
                          elements `s[2].x`) as float64 in MATLAB's column-major order to
                          OUTDIR/<i>.bin; print a JSON list, one per file, of
                          [{"path", "rows", "columns"}] in the order written.
  write DIR               write test files: v7.3 files (HDF5 with MATLAB's 512-byte header and
                          MATLAB_class attributes, written with h5py) and v5 files
                          (scipy.io.savemat) with the same content, plus files for the bad-input
                          cases. Writes the v7.3 files' expected arrays to DIR/<name>.bin as
                          `dump` would and prints {"v73": {name: [entries]}, "v5": [names]}.
  time FILE... --repeats N  median seconds of scipy.io.loadmat per file (benchmark peer; one
                          warm-up call first).
"""
import json
import os
import statistics
import sys
import time

import numpy as np
import scipy.io


def _walk(value, path, out):
    """Appends (path, 2-D float64 array) for every real numeric array inside `value`."""
    if isinstance(value, np.ndarray) and value.dtype.names:
        for idx in np.ndindex(value.shape):
            element = value[idx]
            prefix = path if value.size == 1 else f"{path}[{np.ravel_multi_index(idx, value.shape, order='F')}]"
            for field in value.dtype.names:
                _walk(element[field], f"{prefix}.{field}", out)
    elif isinstance(value, np.ndarray) and value.dtype == object:
        return  # cells
    elif isinstance(value, np.ndarray) and value.dtype.kind in "biuf" and value.ndim == 2:
        out.append((path, value.astype(np.float64)))


def dump(outdir, files):
    result = []
    for i, f in enumerate(files):
        data = scipy.io.loadmat(f)
        arrays = []
        for name, value in data.items():
            if not name.startswith("__"):
                _walk(value, name, arrays)
        result.append(_write_bin(os.path.join(outdir, f"{i}.bin"), arrays))
    print(json.dumps(result))


def _write_bin(path, arrays):
    entries = []
    with open(path, "wb") as f:
        for p, a in arrays:
            f.write(np.asarray(a, dtype="<f8").ravel(order="F").tobytes())
            entries.append({"path": p, "rows": int(a.shape[0]), "columns": int(a.shape[1])})
    return entries


# MARK: - v7.3 writing (the layout MATLAB's `save -v7.3` uses)

_CLASS = {np.float64: "double", np.float32: "single", np.int16: "int16", np.uint16: "uint16",
          np.int32: "int32", np.uint8: "uint8", np.int64: "int64"}


def _class(obj, name):
    """The MATLAB_class attribute as a null-terminated string (libmatio reads it into a
    null-terminated type of the attribute's size: h5py's default null-padded one of exactly the
    name's length would lose its last letter)."""
    import h5py
    t = h5py.h5t.C_S1.copy()
    t.set_size(len(name) + 1)
    t.set_strpad(h5py.h5t.STR_NULLTERM)
    obj.attrs.create("MATLAB_class", np.bytes_(name), dtype=h5py.Datatype(t))


def _h5_array(group, name, a):
    """A MATLAB array: HDF5 stores the column-major matrix as its transpose."""
    a = np.atleast_2d(a)
    d = group.create_dataset(name, data=a.T)
    _class(d, _CLASS[a.dtype.type])


def _h5_text(group, name, text):
    d = group.create_dataset(name, data=np.array([[ord(c)] for c in text], dtype=np.uint16))
    _class(d, "char")
    d.attrs["MATLAB_int_decode"] = np.int32(2)


def _h5_struct(group, name, fields):
    """A 1×1 struct: a group listing its field names in MATLAB_fields (variable-length arrays
    of single characters, as MATLAB writes them)."""
    import h5py
    g = group.create_group(name)
    _class(g, "struct")
    names = np.empty(len(fields), dtype=h5py.vlen_dtype(np.dtype("S1")))
    for i, f in enumerate(fields):
        names[i] = np.array(list(f), dtype="S1")
    g.attrs.create("MATLAB_fields", names)
    return g


def _write_v73(path, build):
    import h5py
    with h5py.File(path, "w", userblock_size=512) as f:
        build(f)
    text = b"MATLAB 7.3 MAT-file, Platform: GLNXA64, Created on: Sun Dec  6 12:00:00 2026 HDF5 schema 1.00 ."
    with open(path, "r+b") as f:
        f.write(text.ljust(116) + b"\0" * 8 + b"\x00\x02" + b"IM")


def write(directory):
    os.makedirs(directory, exist_ok=True)
    rng = np.random.default_rng(5)
    n = 3000
    ekg = np.sin(np.arange(n) / 9.0) + rng.normal(0, 0.05, n)
    ppg = np.cos(np.arange(n) / 23.0) + rng.normal(0, 0.05, n)
    sig = rng.normal(0, 1, (4, 2 * n)).astype(np.float32)      # channels × samples
    counts = rng.integers(-30000, 30000, (n, 1)).astype(np.int16)
    expected = {}

    # v7.3: a MIMIC-PERform-like struct, a channels × samples matrix with a top-level rate,
    # an integer vector, a scalar struct holding a rate.
    def perform(f):
        data = _h5_struct(f, "data", ["ekg", "ppg"])
        e = _h5_struct(data, "ekg", ["v", "fs", "units"])
        _h5_array(e, "v", ekg.reshape(n, 1))
        _h5_array(e, "fs", np.array([[125]], dtype=np.uint16))
        _h5_text(e, "units", "mV")
        p = _h5_struct(data, "ppg", ["v", "fs"])
        _h5_array(p, "v", ppg.reshape(n, 1))
        _h5_array(p, "fs", np.array([[125.0]]))
    _write_v73(os.path.join(directory, "perform73.mat"), perform)
    expected["perform73"] = [("data.ekg.fs", np.array([[125.0]])), ("data.ekg.v", ekg.reshape(n, 1)),
                             ("data.ppg.fs", np.array([[125.0]])), ("data.ppg.v", ppg.reshape(n, 1))]

    def matrix(f):
        _h5_array(f, "sig", sig)
        _h5_array(f, "fs", np.array([[250.0]]))
        _h5_array(f, "counts", counts)
    _write_v73(os.path.join(directory, "matrix73.mat"), matrix)
    expected["matrix73"] = [("counts", counts.astype(np.float64)), ("fs", np.array([[250.0]])),
                            ("sig", sig.astype(np.float64))]
    entries = {name: _write_bin(os.path.join(directory, name + ".bin"), arrays) for name, arrays in expected.items()}

    # the same content as v5 (compressed), read back by scipy in the test through `dump`
    scipy.io.savemat(os.path.join(directory, "perform5.mat"),
                     {"data": {"ekg": {"v": ekg.reshape(n, 1), "fs": np.uint16(125), "units": "mV"},
                               "ppg": {"v": ppg.reshape(n, 1), "fs": 125.0}}}, do_compression=True)
    scipy.io.savemat(os.path.join(directory, "matrix5.mat"), {"sig": sig, "fs": 250.0, "counts": counts})
    # bad input: no rate anywhere, rates 0 / 1e-7 / 1e9, a 100 × 200 matrix, a struct array
    scipy.io.savemat(os.path.join(directory, "norate.mat"), {"x": ekg, "y": ppg})
    for label, fs in [("rate0", 0.0), ("rate1e-7", 1e-7), ("rate1e9", 1e9)]:
        scipy.io.savemat(os.path.join(directory, label + ".mat"), {"ECG": {"ts": ekg.reshape(n, 1), "fs": fs}})
    scipy.io.savemat(os.path.join(directory, "square.mat"), {"img": rng.normal(0, 1, (100, 200)), "fs": 100.0})
    recs = np.zeros((1, 2), dtype=[("ekg", object), ("fs", object)])
    recs[0, 0] = (ekg.reshape(n, 1), 125.0)
    recs[0, 1] = (ppg.reshape(n, 1), 250.0)
    scipy.io.savemat(os.path.join(directory, "structarray.mat"), {"rec": recs})
    print(json.dumps({"v73": entries, "v5": ["perform5", "matrix5", "structarray"]}))


def timing(files, repeats):
    out = {}
    for f in files:
        scipy.io.loadmat(f)  # warm-up (imports, file cache)
        times = []
        for _ in range(repeats):
            t = time.perf_counter()
            scipy.io.loadmat(f)
            times.append(time.perf_counter() - t)
        out[f] = statistics.median(times)
    print(json.dumps(out))


if __name__ == "__main__":
    cmd = sys.argv[1] if len(sys.argv) > 1 else ""
    if cmd == "dump":
        dump(sys.argv[2], sys.argv[3:])
    elif cmd == "write":
        write(sys.argv[2])
    elif cmd == "time":
        args = sys.argv[2:]
        repeats = 5
        if "--repeats" in args:
            i = args.index("--repeats"); repeats = int(args[i + 1]); args = args[:i] + args[i + 2:]
        timing(args, repeats)
    else:
        sys.exit(__doc__)
