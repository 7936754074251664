#!/usr/bin/env python3
"""Benchmark: `m2ae evaluate --task` on a large generated cohort with ten user tasks.

Builds (once, in --work) a generated store of --segments segments, embeds it with --model,
writes ten subject-level labels with `m2ae label` (binary, categorical and numeric, one of
them a coin toss), then times `m2ae evaluate` on those tasks (wall time and peak resident
memory of the process), and fits the same probes with scikit-learn on the same features and
the same held-out subjects: LogisticRegression (class_weight="balanced") or Ridge at the
regularisation m2ae chose, scored on the test subjects, and scikit-learn's own
cross-validated search over the same grid on the same rows, timed. Prints a table.

The m2ae column applies the heads m2ae saved in the probes file to the test subjects' rows
(numpy, the formula of ProbeHead.predict) and scores them with scikit-learn's metrics, so both
columns are scored by the same code; m2ae evaluate's own number is shown beside it where its
report has the row. The evaluate report and its wall time and peak memory are kept in --work
(evaluate.json, evaluate-run.json); --reuse reads them instead of running evaluate again (the
probe fits take most of an hour on 100,000 segments). --search limits scikit-learn's timed grid
searches to some representations (the AUROC comparison always covers all of them).

    python3 scripts/bench_user_tasks.py --segments 100000 --work /tmp/bench-tasks

Needs numpy, h5py and scikit-learn; m2ae from `swift build -c release`.
"""
import argparse
import csv
import json
import os
import resource
import subprocess
import sys
import time

import numpy as np

LOGISTIC_GRID = [0.001, 0.01, 0.1, 1, 10, 100]
RIDGE_GRID = [0.1, 1, 10, 100, 1000, 10_000]
CV_ROWS = 20_000
MODES = {"ECG+PPG": "ecg+ppg", "ECG": "ecg", "PPG": "ppg"}


def run(cmd, **kw):
    r = subprocess.run(cmd, capture_output=True, text=True, **kw)
    if r.returncode != 0:
        sys.exit(f"{' '.join(cmd)} exited {r.returncode}: {r.stderr.strip()[-400:]}")
    return r


def timed_child(cmd):
    """Runs cmd; returns (stdout, wall seconds, peak RSS in MB of the child)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    start = time.perf_counter()
    r = run(cmd)
    wall = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    # ru_maxrss of children is the largest of any child so far: run the measured command first.
    return r.stdout, wall, max(peak, before) / 1024


def make_labels(store, path, seed):
    import h5py
    with h5py.File(store, "r") as f:
        s = f["subjects"]
        ids = [x.decode() if isinstance(x, bytes) else x for x in s["id"][:]]
        age = s["age"][:].astype(float)
        sex = s["sex"][:]
        sbp = s["sbp"][:].astype(float)
        htn = s["hypertension"][:]
        ecg = s["ecg_class"][:]
        ppg = s["ppg_class"][:]
        died = s["mortality"][:]
    rng = np.random.default_rng(seed)
    rhythm = ["NSR", "AF", "PVC", "MI", "BBB"]
    pulse = ["normal", "AF", "ectopic"]
    bands = np.digitize(age, [40, 55, 70])
    with open(path, "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["subject", "htn", "sex", "old", "age_band", "rhythm", "pulse", "died", "coin", "age_years", "sbp"])
        for i, sid in enumerate(ids):
            def cat(v, names):
                return names[v] if v >= 0 else ""
            w.writerow([sid, ["no", "yes"][htn[i]] if htn[i] >= 0 else "", ["F", "M"][sex[i]] if sex[i] >= 0 else "",
                        "yes" if age[i] >= 60 else "no", ["<40", "40-55", "55-70", "70+"][bands[i]],
                        cat(ecg[i], rhythm), cat(ppg[i], pulse), ["no", "yes"][died[i]] if died[i] >= 0 else "",
                        ["heads", "tails"][rng.integers(2)], f"{age[i]:.1f}", f"{sbp[i]:.1f}"])
    return ["htn", "sex", "old", "age_band", "rhythm", "pulse", "died", "coin", "age_years", "sbp"]


def score(y, prob, classes):
    """AUROC of class probabilities: binary, or macro one-vs-rest over the classes."""
    from sklearn.metrics import roc_auc_score
    if prob.shape[1] == 2:
        return roc_auc_score(y == classes[1], prob[:, 1])
    return roc_auc_score(y, prob, multi_class="ovr", average="macro", labels=classes)


def head_metric(head, x, y, numeric):
    """Applies a saved m2ae probe head (x - mean) / scale -> W x + b -> link, and scores it."""
    from sklearn.metrics import mean_absolute_error
    z = ((x - np.array(head["mean"])) / np.array(head["scale"])) @ np.array(head["weights"]).reshape(-1, head["dim"]).T
    z = z + np.array(head["bias"])
    if numeric:
        return mean_absolute_error(y, z[:, 0])
    if head["kind"] == "logistic":
        p1 = 1 / (1 + np.exp(-z[:, 0]))
        return score(y, np.stack([1 - p1, p1], axis=1), head["labels"])
    z = np.exp(z - z.max(axis=1, keepdims=True))
    return score(y, z / z.sum(axis=1, keepdims=True), head["labels"])


def load_features(m2ae, store, model, mode, work):
    out = os.path.join(work, f"fp-{mode}.csv")
    if not os.path.exists(out):
        run([m2ae, "export", store, "--model", model, "--mode", mode, "--format", "csv", "--out", out])
    with open(out) as f:
        header = f.readline().strip().split(",")
    subj_col = header.index("subject")
    first = header.index("start") + 1
    subjects = np.loadtxt(out, delimiter=",", skiprows=1, usecols=[subj_col], dtype=str)
    x = np.loadtxt(out, delimiter=",", skiprows=1, usecols=range(first, len(header)), dtype=np.float32)
    return subjects, x


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--segments", type=int, default=100_000)
    p.add_argument("--per-subject", type=int, default=50)
    p.add_argument("--work", default="/tmp/m2ae-bench-tasks")
    p.add_argument("--m2ae", default=".build/release/m2ae")
    p.add_argument("--model", default="sample-data/m2ae-small.safetensors")
    p.add_argument("--bootstrap", type=int, default=200)
    p.add_argument("--reuse", action="store_true", help="read evaluate.json and evaluate-run.json from --work")
    p.add_argument("--search", default="ECG+PPG,ECG,PPG", help="representations whose grid search is timed")
    args = p.parse_args()
    searched = set(args.search.split(","))
    from sklearn.linear_model import LogisticRegression, Ridge
    from sklearn.metrics import mean_absolute_error
    from sklearn.model_selection import GroupKFold
    from sklearn.preprocessing import StandardScaler

    os.makedirs(args.work, exist_ok=True)
    store = os.path.join(args.work, f"cohort-{args.segments}.h5")
    model = os.path.join(args.work, "model.safetensors")
    if not os.path.exists(model):
        with open(args.model, "rb") as src, open(model, "wb") as dst:
            dst.write(src.read())
    if not os.path.exists(store):
        subjects = args.segments // args.per_subject
        t = time.perf_counter()
        run([args.m2ae, "synth", "--subjects", str(subjects), "--segments", str(args.per_subject), "--seed", "7", "--out", store])
        print(f"synth: {time.perf_counter() - t:.0f} s", file=sys.stderr)
        t = time.perf_counter()
        run([args.m2ae, "embed", store, "--model", model])
        print(f"embed: {time.perf_counter() - t:.0f} s", file=sys.stderr)
        tasks = make_labels(store, os.path.join(args.work, "labels.csv"), seed=3)
        run([args.m2ae, "label", store, os.path.join(args.work, "labels.csv"), "--by", "subject",
             "--kind", "age_years=numeric", "--kind", "sbp=numeric"])
    else:
        tasks = ["htn", "sex", "old", "age_band", "rhythm", "pulse", "died", "coin", "age_years", "sbp"]

    report_path = os.path.join(args.work, "evaluate.json")
    run_path = os.path.join(args.work, "evaluate-run.json")
    if args.reuse and os.path.exists(report_path) and os.path.exists(run_path):
        report = json.load(open(report_path))
        timing = json.load(open(run_path))
        wall, peak = timing["wall"], timing["peak"]
    else:
        cmd = [args.m2ae, "evaluate", "--train", store, "--model", model, "--no-random-baseline", "--no-handcrafted",
               "--bootstrap", str(args.bootstrap), "--json"]
        for t in tasks:
            cmd += ["--task", t]
        out, wall, peak = timed_child(cmd)
        report = json.loads(out)
        with open(report_path, "w") as f:
            f.write(out)
        with open(run_path, "w") as f:
            json.dump({"wall": wall, "peak": peak, "tasks": tasks}, f)
    probes = json.load(open(model + ".probes.json"))
    test_ids = set(report["split"]["testSubjectIDs"])
    labels = {}
    with open(os.path.join(args.work, "labels.csv")) as f:
        for row in csv.DictReader(f):
            labels[row["subject"]] = row

    print(f"m2ae evaluate, {len(tasks)} tasks x 3 representations, {report['split']['trainSegments']} train / "
          f"{report['split']['testSegments']} test segments: {wall:.1f} s wall, peak RSS {peak:.0f} MB")
    print()
    print("| task | representation | metric | m2ae head | (m2ae evaluate) | scikit-learn at m2ae's C/alpha | abs diff | sklearn grid search (s) |")
    print("|---|---|---|---|---|---|---|---|")
    sk_total = 0.0
    worst = 0.0
    heads = {h["name"]: h for h in probes.get("labelHeads", [])} if isinstance(probes.get("labelHeads"), list) else probes.get("labelHeads", {})
    for rep, mode in MODES.items():
        subjects, x = load_features(args.m2ae, store, model, mode, args.work)
        test = np.array([s in test_ids for s in subjects])
        for task in tasks:
            raw = np.array([labels[s][task] for s in subjects])
            have = raw != ""
            numeric = task in ("age_years", "sbp")
            y = raw.astype(float) if numeric else raw
            tr, te = have & ~test, have & test
            head = heads[task][mode] if mode in heads.get(task, {}) else None
            reg = head["regularisation"] if head else None
            metric = "MAE" if numeric else ("AUROC" if len(set(y[tr])) == 2 else "macro AUROC")
            row = next((r for r in report["rows"] if r.get("label") == task and r["representation"] == rep and r["metric"] == metric), None)
            reported = f"{row['estimate']['value']:.4f}" if row and "estimate" in row else "–"
            scaler = StandardScaler().fit(x[tr])
            xtr, xte = scaler.transform(x[tr]), scaler.transform(x[te])
            ours = head_metric(head, x[te], y[te], numeric) if head else float("nan")
            if numeric:
                sk = Ridge(alpha=reg).fit(xtr, y[tr])
                theirs = mean_absolute_error(y[te], sk.predict(xte))
            else:
                sk = LogisticRegression(C=reg, class_weight="balanced", max_iter=2000).fit(xtr, y[tr])
                theirs = score(y[te], sk.predict_proba(xte), list(sk.classes_))
            if rep not in searched:
                if not numeric:
                    worst = max(worst, abs(ours - theirs)) if np.isfinite(ours) else np.inf
                print(f"| {task} | {rep} | {metric} | {ours:.4f} | {reported} | {theirs:.4f} (at {reg}) | {abs(ours - theirs):.4f} | not timed |")
                continue
            # scikit-learn's own search over the same grid: 5 subject folds on whole subjects up
            # to 20,000 rows, then a refit on every training row.
            start = time.perf_counter()
            tr_idx = np.flatnonzero(tr)
            order = np.random.default_rng(11).permutation(np.unique(subjects[tr_idx]))
            counts = {s: c for s, c in zip(*np.unique(subjects[tr_idx], return_counts=True))}
            chosen, n = [], 0
            for s in order:
                if n >= CV_ROWS and len(chosen) >= 2:
                    break
                chosen.append(s); n += counts[s]
            sample = tr_idx[np.isin(subjects[tr_idx], chosen)]
            xs = StandardScaler().fit_transform(x[sample])
            best, best_loss = None, np.inf
            for c in (RIDGE_GRID if numeric else LOGISTIC_GRID):
                loss = 0.0
                for a, b in GroupKFold(n_splits=5).split(xs, groups=subjects[sample]):
                    if numeric:
                        m = Ridge(alpha=c).fit(xs[a], y[sample][a])
                        loss += np.abs(m.predict(xs[b]) - y[sample][b]).sum()
                    else:
                        m = LogisticRegression(C=c, class_weight="balanced", max_iter=2000).fit(xs[a], y[sample][a])
                        pr = np.clip(m.predict_proba(xs[b]), 1e-15, 1)
                        idx = np.searchsorted(m.classes_, y[sample][b])
                        loss -= np.log(pr[np.arange(len(b)), np.minimum(idx, pr.shape[1] - 1)]).sum()
                if loss < best_loss:
                    best, best_loss = c, loss
            (Ridge(alpha=best) if numeric else LogisticRegression(C=best, class_weight="balanced", max_iter=2000)).fit(xtr, y[tr])
            seconds = time.perf_counter() - start
            sk_total += seconds
            if not numeric:
                worst = max(worst, abs(ours - theirs)) if np.isfinite(ours) else np.inf
            print(f"| {task} | {rep} | {metric} | {ours:.4f} | {reported} | {theirs:.4f} (at {reg}) | {abs(ours - theirs):.4f} | {seconds:.1f} |")
    print()
    print(f"largest AUROC difference: {worst:.4f} (target 0.005); scikit-learn grid searches: {sk_total:.1f} s "
          f"against m2ae evaluate's {wall:.1f} s for the whole run (fits, bootstrap, retrieval)")
    print(f"load: {os.getloadavg()}")


if __name__ == "__main__":
    main()
