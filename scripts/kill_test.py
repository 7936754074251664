#!/usr/bin/env python3
"""Kill tests aimed at the commit windows of the commands that write files.

Each command is first run to completion to time it; then it is started RUNS times and killed
with SIGKILL after a random delay: half the kills anywhere in the run, half in its last 20 %,
where the partial file is finished and renamed over the target. After every kill:

- the target is either as it was before the run (byte for byte) or a complete new file that
  `m2ae info --json` (stores) or `m2ae reconstruct` (checkpoints) accepts, never a half-written one;
- the only new files beside it are the killed process's own temporary file (a `.tmp-PID-`
  sibling) and, for embed and train, their resume files;
- the next complete run removes that temporary file and succeeds.

Usage: scripts/kill_test.py [--runs 100] [--m2ae .build/release/m2ae] [--only synth,import,embed,train]
Prints a Markdown table (docs/reliability.md keeps the last one).
"""
import argparse, hashlib, json, os, random, shutil, signal, subprocess, sys, tempfile, time

def sha(path):
    if not os.path.exists(path):
        return None
    with open(path, "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()

def run(m2ae, args, cwd, check=True):
    r = subprocess.run([m2ae] + args, cwd=cwd, capture_output=True, text=True)
    if check and r.returncode != 0:
        raise SystemExit(f"m2ae {' '.join(args)} failed:\n{r.stderr}")
    return r

def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=100)
    ap.add_argument("--m2ae", default=".build/release/m2ae")
    ap.add_argument("--only", default="synth,import,embed,train")
    ap.add_argument("--seed", type=int, default=1)
    a = ap.parse_args()
    m2ae = os.path.abspath(a.m2ae)
    rng = random.Random(a.seed)
    work = tempfile.mkdtemp(prefix="m2ae-kill-")
    try:
        # Inputs shared by the commands: a small cohort, a CSV recording, a tiny checkpoint.
        run(m2ae, ["synth", "--subjects", "12", "--segments", "4", "--seed", "3", "--out", "base.h5"], work)
        with open(os.path.join(work, "rec.csv"), "w") as f:
            f.write("time,II,PLETH\n")
            import math
            for i in range(125 * 120):
                t = i / 125
                f.write(f"{t:.3f},{math.sin(2*math.pi*1.2*t) + 0.1*math.sin(t):.4f},{math.sin(2*math.pi*1.2*t - 1):.4f}\n")
        run(m2ae, ["train", "--store", "base.h5", "--config", "tiny", "--epochs", "1", "--batch-size", "8",
                   "--out", "tiny.safetensors"], work)

        commands = {
            "synth": (lambda: ["synth", "--subjects", "40", "--segments", "8", "--seed", "5", "--out", "t.h5"], "t.h5", None),
            "import": (lambda: ["import", "rec.csv", "rec.csv", "--out", "t.h5"], "t.h5", None),
            "embed": (lambda: ["embed", "t.h5", "--model", "tiny.safetensors", "--force"], "t.h5", "base.h5"),
            "train": (lambda: ["train", "--store", "base.h5", "--config", "tiny", "--epochs", "2", "--batch-size", "8",
                               "--out", "t.safetensors"], "t.safetensors", None),
        }
        rows = []
        for name in a.only.split(","):
            make_args, target, start_from = commands[name]
            tpath = os.path.join(work, target)
            def reset():
                for f in os.listdir(work):
                    if f.startswith("." + target) or f.startswith(target.split(".")[0] + ".") or f.startswith("." + target.split(".")[0] + "."):
                        p = os.path.join(work, f)
                        shutil.rmtree(p) if os.path.isdir(p) else os.remove(p)
                if start_from:
                    shutil.copy(os.path.join(work, start_from), tpath)
            reset()
            t0 = time.monotonic(); run(m2ae, make_args(), work); duration = time.monotonic() - t0
            before_files = set(os.listdir(work))
            outcomes = {"old": 0, "new": 0, "bad": 0, "leftover-removed": 0}
            for k in range(a.runs):
                reset()
                before = sha(tpath)
                listing = set(os.listdir(work))
                delay = rng.uniform(0, duration) if k % 2 == 0 else rng.uniform(0.8 * duration, 1.05 * duration)
                p = subprocess.Popen([m2ae] + make_args(), cwd=work, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
                time.sleep(delay)
                p.send_signal(signal.SIGKILL); p.wait()
                after = sha(tpath)
                if after == before:
                    outcomes["old"] += 1
                else:
                    ok = (run(m2ae, ["info", target, "--json"], work, check=False).returncode == 0) if target.endswith(".h5") \
                        else (run(m2ae, ["reconstruct", "base.h5", "--model", target, "--segment", "0", "--from", "ppg"], work, check=False).returncode == 0)
                    outcomes["new" if ok else "bad"] += 1
                extra = sorted(set(os.listdir(work)) - listing)
                unexpected = [f for f in extra if f".tmp-{p.pid}-" not in f and not f.endswith(".partial")
                              and ".state." not in f and not f.endswith(".loss.csv") and f != target]
                if unexpected:
                    outcomes["bad"] += 1
                    print(f"{name} run {k}: unexpected files {unexpected}", file=sys.stderr)
                temporaries = [f for f in extra if f".tmp-{p.pid}-" in f]
                run(m2ae, make_args(), work)
                if temporaries and not any(f in os.listdir(work) for f in temporaries):
                    outcomes["leftover-removed"] += 1
                elif any(f in os.listdir(work) for f in temporaries):
                    outcomes["bad"] += 1
                    print(f"{name} run {k}: temporary file {temporaries} survived the next run", file=sys.stderr)
            rows.append((name, a.runs, duration, outcomes))
        print("| command | kills | run (s) | target unchanged | complete new target | broken or left over | killed run's temporary file removed by the next run |")
        print("|---|---|---|---|---|---|---|")
        for name, runs, duration, o in rows:
            print(f"| {name} | {runs} | {duration:.2f} | {o['old']} | {o['new']} | {o['bad']} | {o['leftover-removed']} |")
        return 0 if all(o["bad"] == 0 for *_, o in rows) else 1
    finally:
        shutil.rmtree(work, ignore_errors=True)

if __name__ == "__main__":
    sys.exit(main())
