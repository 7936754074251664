#!/usr/bin/env python3
"""Builds a large bench store from a generated one by repeating it (docs/engine.md, "A million segments").

Generating and embedding 1,000,000 segments takes about five hours on this project's 2-core
machine; the workbench, `knn` and the store reader only need a store of that size with the
same layout. This writes COPIES copies of STORE side by side: subjects and records get a `~k`
suffix (so copy k is other people), signals are copied chunk by chunk without recompressing
(identical bytes, so the file size is COPIES times the original's signal bytes), labels and
metadata are repeated, and each model's fingerprints are repeated with a seeded perturbation
(Gaussian noise of SD --noise per entry, then scaled back to unit length), so no two rows are
equal and neighbour search has no exact ties.

    python3 scripts/replicate_store.py cohort-100000.h5 10 --out cohort-1000000.h5

Needs numpy and h5py. The output must not exist.
"""
import argparse
import os
import sys

import h5py
import numpy as np


def copy_attrs(src, dst):
    for k, v in src.attrs.items():
        dst.attrs[k] = v


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("store")
    p.add_argument("copies", type=int)
    p.add_argument("--out", required=True)
    p.add_argument("--noise", type=float, default=0.02)
    p.add_argument("--seed", type=int, default=1)
    a = p.parse_args()
    if a.copies < 1:
        sys.exit("copies must be at least 1")
    if os.path.exists(a.out):
        sys.exit(f"{a.out} already exists")
    rng = np.random.default_rng(a.seed)
    tmp = a.out + ".partial"
    with h5py.File(a.store, "r") as src, h5py.File(tmp, "w") as dst:
        copy_attrs(src, dst)
        dst.attrs["replicated"] = f"{a.copies} copies of {os.path.basename(a.store)} (scripts/replicate_store.py, noise {a.noise}, seed {a.seed})"
        n = src["segments/subject"].shape[0]
        subjects = src["subjects/id"].shape[0]

        def repeat(group, transform=None):
            g = dst.create_group(group)
            copy_attrs(src[group], g)
            for name, d in src[group].items():
                values = d[:]
                parts = [transform(name, values, k) if transform else values for k in range(a.copies)]
                out = g.create_dataset(name, data=np.concatenate(parts), dtype=d.dtype, chunks=d.chunks,
                                       compression=d.compression, compression_opts=d.compression_opts, shuffle=d.shuffle)
                copy_attrs(d, out)

        def suffixed(values, k):
            return np.array([(v.decode() if isinstance(v, bytes) else v) + f"~{k}" for v in values], dtype=object)

        repeat("subjects", lambda name, v, k: suffixed(v, k) if name == "id" else v)
        if "labels" in src:
            repeat("labels")
        repeat("segments", lambda name, v, k: v + k * subjects if name == "subject"
               else suffixed(v, k) if name == "record" else v)

        if "signals" in src:
            g = dst.create_group("signals")
            copy_attrs(src["signals"], g)
            for name, d in src["signals"].items():
                rows = d.chunks[0]
                if n % rows:
                    sys.exit(f"/signals/{name}: {n} rows are not whole chunks of {rows}; cannot copy chunks")
                out = g.create_dataset(name, shape=(n * a.copies,) + d.shape[1:], dtype=d.dtype, chunks=d.chunks,
                                       compression=d.compression, compression_opts=d.compression_opts, shuffle=d.shuffle)
                copy_attrs(d, out)
                for start in range(0, n, rows):
                    mask, chunk = d.id.read_direct_chunk((start,) + (0,) * (d.ndim - 1))
                    for k in range(a.copies):
                        out.id.write_direct_chunk((k * n + start,) + (0,) * (d.ndim - 1), chunk, mask)

        if "models" in src:
            models = dst.create_group("models")
            copy_attrs(src["models"], models)
            for mid, m in src["models"].items():
                gm = models.create_group(mid)
                copy_attrs(m, gm)

                def visit(name, obj):
                    if isinstance(obj, h5py.Group):
                        copy_attrs(obj, gm.require_group(name))
                        return
                    values = obj[:]
                    if obj.shape[:1] == (n,) and values.ndim == 2 and np.issubdtype(values.dtype, np.floating):
                        parts = [values]
                        for _ in range(1, a.copies):
                            x = values + rng.normal(0, a.noise, values.shape).astype(values.dtype)
                            norm = np.linalg.norm(x, axis=1, keepdims=True)
                            parts.append(x / np.where(norm > 0, norm, 1) * np.linalg.norm(values, axis=1, keepdims=True))
                        values = np.concatenate(parts)
                    elif obj.shape[:1] == (n,):
                        values = np.concatenate([values] * a.copies)
                    out = gm.create_dataset(name, data=values, dtype=obj.dtype, chunks=obj.chunks,
                                            compression=obj.compression, compression_opts=obj.compression_opts)
                    copy_attrs(obj, out)
                m.visititems(visit)
    os.replace(tmp, a.out)
    print(f"{a.out}: {n * a.copies} segments, {subjects * a.copies} subjects, {os.path.getsize(a.out) / 1e9:.2f} GB")


if __name__ == "__main__":
    main()
