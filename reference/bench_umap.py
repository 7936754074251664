#!/usr/bin/env python3
"""Peer for `m2ae-bench umap`: umap-learn on the same float32 points, and scikit-learn's
trustworthiness@10 (cosine input space) of both embeddings.

Usage: bench_umap.py POINTS.f32 DIM SWIFT_EMBEDDING.f32 REPEATS SAMPLE
  POINTS: raw float32 (n, DIM); SWIFT_EMBEDDING: raw float32 (n, 2) made by the Swift UMAP.
  SAMPLE: points (evenly strided) on which trustworthiness is computed.
Prints JSON {"seconds": [...], "median": s, "trust_umap_learn": t, "trust_swift": t}.
"""
import json
import sys
import time

import numpy as np
import umap
from sklearn.manifold import trustworthiness

points_path, dim, swift_path, repeats, sample = sys.argv[1], int(sys.argv[2]), sys.argv[3], int(sys.argv[4]), int(sys.argv[5])
x = np.fromfile(points_path, dtype=np.float32).reshape(-1, dim)
swift = np.fromfile(swift_path, dtype=np.float32).reshape(-1, 2)
times, emb = [], None
for r in range(repeats):
    t = time.perf_counter()
    emb = umap.UMAP(n_neighbors=15, min_dist=0.1, metric="cosine", init="pca", random_state=42 + r).fit_transform(x)
    times.append(time.perf_counter() - t)
idx = np.linspace(0, len(x) - 1, min(sample, len(x))).astype(int)
print(json.dumps({
    "seconds": times, "median": float(np.median(times)),
    "trust_umap_learn": float(trustworthiness(x[idx], emb[idx], n_neighbors=10, metric="cosine")),
    "trust_swift": float(trustworthiness(x[idx], swift[idx], n_neighbors=10, metric="cosine")),
}))
