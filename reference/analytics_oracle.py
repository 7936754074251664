#!/usr/bin/env python3
"""Oracle for the Analytics module's parity tests: scikit-learn / scipy on the same inputs.

Usage: analytics_oracle.py COMMAND INPUT.json  ->  prints one JSON object on stdout.
       analytics_oracle.py batch INPUT.json  where INPUT maps names to {"command", "input"}
       ->  prints {name: answer} (one Python start for a whole test run).

Commands (input fields -> output fields):
  metrics          labels, scores, probabilities (n*classes), classes, predictions,
                   targets, values  ->  auroc, macro_auroc, average_precision, accuracy,
                   f1, macro_f1, mae, pearson
  trustworthiness  input (n*dim), dim, embedding (n*2), k  ->  trustworthiness
                   (input space on cosine distance, embedding Euclidean)
  pca              input (n*dim), dim, components  ->  components (c*dim), explained_variance
  logistic         input (n*dim), dim, labels, C  ->  probabilities (n*outputs); features
                   standardised (population std), class_weight="balanced"
  ridge            input (n*dim), dim, targets, alpha  ->  predictions
"""
import json
import sys

import numpy as np
from scipy.stats import pearsonr
from sklearn import metrics
from sklearn.decomposition import PCA
from sklearn.linear_model import LogisticRegression, Ridge
from sklearn.manifold import trustworthiness
from sklearn.preprocessing import StandardScaler


def matrix(values, dim):
    return np.asarray(values, dtype=np.float64).reshape(-1, dim)


def run_metrics(a):
    y, s = np.asarray(a["labels"]), np.asarray(a["scores"])
    k = a["classes"]
    multi = np.asarray(a["multi_labels"])
    probs = matrix(a["probabilities"], k)
    pred, multi_pred = np.asarray(a["predictions"]), np.asarray(a["multi_predictions"])
    t, v = np.asarray(a["targets"]), np.asarray(a["values"])
    return {
        "auroc": metrics.roc_auc_score(y, s),
        "macro_auroc": metrics.roc_auc_score(multi, probs, multi_class="ovr", average="macro"),
        "average_precision": metrics.average_precision_score(y, s),
        "accuracy": metrics.accuracy_score(multi, multi_pred),
        "f1": metrics.f1_score(y, pred, zero_division=0),
        "macro_f1": metrics.f1_score(multi, multi_pred, average="macro", zero_division=0),
        "mae": metrics.mean_absolute_error(t, v),
        "pearson": float(pearsonr(t, v)[0]),
    }


def run_trustworthiness(a):
    x, y = matrix(a["input"], a["dim"]), matrix(a["embedding"], 2)
    return {"trustworthiness": trustworthiness(x, y, n_neighbors=a["k"], metric="cosine")}


def run_pca(a):
    p = PCA(n_components=a["components"], svd_solver="full").fit(matrix(a["input"], a["dim"]))
    return {"components": p.components_.ravel().tolist(), "explained_variance": p.explained_variance_.tolist()}


def run_logistic(a):
    x = StandardScaler().fit_transform(matrix(a["input"], a["dim"]))
    m = LogisticRegression(C=a["C"], class_weight="balanced", tol=1e-10, max_iter=10000).fit(x, a["labels"])
    return {"probabilities": m.predict_proba(x).ravel().tolist()}


def run_ridge(a):
    x = StandardScaler().fit_transform(matrix(a["input"], a["dim"]))
    m = Ridge(alpha=a["alpha"]).fit(x, a["targets"])
    return {"predictions": m.predict(x).tolist()}


def run_knn_cosine(a):
    """Familiarity's distance: mean cosine distance to the k nearest reference rows, and the
    threshold as numpy's linear-interpolation quantile of the held-out distances."""
    from sklearn.neighbors import NearestNeighbors
    nn = NearestNeighbors(n_neighbors=a["k"], metric="cosine", algorithm="brute").fit(matrix(a["reference"], a["dim"]))
    held = nn.kneighbors(matrix(a["held_out"], a["dim"]))[0].mean(axis=1)
    query = nn.kneighbors(matrix(a["queries"], a["dim"]))[0].mean(axis=1)
    return {"held_out": held.tolist(), "queries": query.tolist(), "threshold": float(np.quantile(held, a["quantile"]))}


COMMANDS = {"metrics": run_metrics, "trustworthiness": run_trustworthiness, "pca": run_pca,
            "logistic": run_logistic, "ridge": run_ridge, "knn_cosine": run_knn_cosine}

def answer(command, args):
    return {k: float(v) if isinstance(v, (np.floating, float)) else v for k, v in COMMANDS[command](args).items()}


if __name__ == "__main__":
    if len(sys.argv) != 3 or sys.argv[1] not in list(COMMANDS) + ["batch"]:
        sys.exit(f"usage: analytics_oracle.py {{{'|'.join(COMMANDS)}|batch}} INPUT.json")
    with open(sys.argv[2]) as f:
        args = json.load(f)
    if sys.argv[1] == "batch":
        print(json.dumps({name: answer(case["command"], case["input"]) for name, case in args.items()}))
    else:
        print(json.dumps(answer(sys.argv[1], args)))
