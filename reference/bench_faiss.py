#!/usr/bin/env python3
"""Peer for `m2ae-bench knn`: faiss-cpu IndexFlatIP exact top-k on the same float32 data.

Usage: bench_faiss.py BASE.f32 QUERIES.f32 DIM K REPEATS OUT.ids
  BASE/QUERIES: raw little-endian float32, row-major, already L2-normalised.
Prints JSON {"seconds": [...], "median": s, "threads": n}; writes the last run's ids
(int64, (nq, k)) to OUT.ids for the agreement check.
"""
import json
import sys
import time

import faiss
import numpy as np

base_path, query_path, dim, k, repeats, out_path = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5]), sys.argv[6]
base = np.fromfile(base_path, dtype=np.float32).reshape(-1, dim)
queries = np.fromfile(query_path, dtype=np.float32).reshape(-1, dim)
index = faiss.IndexFlatIP(dim)
index.add(base)
times = []
for _ in range(repeats):
    t = time.perf_counter()
    _, ids = index.search(queries, k)
    times.append(time.perf_counter() - t)
ids.astype(np.int64).tofile(out_path)
print(json.dumps({"seconds": times, "median": float(np.median(times)), "threads": faiss.omp_get_max_threads()}))
