#!/usr/bin/env python3
"""Cross-modal retrieval of a model's fingerprints in a store (docs/training.md, quality bars).

For every clean segment (both quality flags 0, both single-modality fingerprints finite), the
ECG-only fingerprint queries the PPG-only fingerprints of all clean segments by cosine
similarity; a hit is the query's own segment. Prints top-1, top-5, the median rank of the own
segment, the share of top-1 answers from the query's subject and chance for both.

usage: scripts/cross_modal_retrieval.py STORE [--model ID] [--json]
"""
import argparse
import json
import sys

import h5py
import numpy as np


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("store")
    p.add_argument("--model", help="model id (default: the store's only model)")
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
    if a.json:
        print(json.dumps(out))
    else:
        print(f"model {model}: ECG-only -> PPG-only among {n} clean segments: top-1 {100 * out['top1']:.1f} % "
              f"(chance {100 / n:.2f} %), top-5 {100 * out['top5']:.1f} %, median rank {out['median_rank']:.0f}; "
              f"top-1 from the same subject {100 * same_subject:.1f} % (chance {100 * chance_subject:.1f} %)")


if __name__ == "__main__":
    main()
