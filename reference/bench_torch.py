"""PyTorch side of `m2ae-bench engine` (docs/model.md): the same checkpoint, the same inputs,
the same thread count; all three fingerprint modes of every segment (`M2AE.fingerprints_all`,
the computation `M2AEModel.fingerprintsAllModes` does in Swift).

Rows: torch eager, torch.compile (when it works on this machine), ONNX Runtime (the exported
graph, an extra row). Prints one JSON object per line:
  {"backend": str, "batch": int, "median_s": float | null, "error": str | null}
Usage: python3 reference/bench_torch.py --checkpoint M.safetensors --inputs I.safetensors
       --batches 1,16,256 --threads 2 --repeats 5
"""
import argparse
import json
import signal
import os
import statistics
import sys
import tempfile
import time

import torch
from safetensors.torch import load_file

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from m2ae import load_checkpoint  # noqa: E402


class AllModes(torch.nn.Module):
    """fingerprints_all as a module with tensor outputs (for compile and ONNX export)."""

    def __init__(self, model):
        super().__init__()
        self.model = model

    def forward(self, ecg, ppg):
        return self.model.fingerprints_all(ecg, ppg)


CLOCK = time.perf_counter


def median_time(fn, repeats):
    fn()  # warm-up (compilation, allocator)
    times = []
    for _ in range(repeats):
        t0 = CLOCK()
        fn()
        times.append(CLOCK() - t0)
    return statistics.median(times)


class CompileTimeout(Exception):
    pass


def _timeout(signum, frame):
    raise CompileTimeout("torch.compile did not finish within --compile-timeout seconds")


def emit(backend, batch, seconds=None, error=None):
    print(json.dumps({"backend": backend, "batch": batch, "median_s": seconds, "error": error}), flush=True)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--checkpoint", required=True)
    ap.add_argument("--inputs", required=True)
    ap.add_argument("--batches", default="1,16,256")
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--repeats", type=int, default=5)
    ap.add_argument("--compile-timeout", type=int, default=300, help="seconds allowed for torch.compile")
    ap.add_argument("--clock", choices=["wall", "cpu"], default="wall",
                    help="wall: elapsed time; cpu: CPU time of the whole process (all threads)")
    ap.add_argument("--backends", default="eager,compile,onnxruntime")
    a = ap.parse_args()
    global CLOCK
    CLOCK = time.process_time if a.clock == "cpu" else time.perf_counter
    torch.set_num_threads(a.threads)
    model = AllModes(load_checkpoint(a.checkpoint).eval())
    data = load_file(a.inputs)
    batches = [int(b) for b in a.batches.split(",")]
    backends = a.backends.split(",")

    with torch.inference_mode():
        if "eager" in backends:
            for B in batches:
                e, p = data["ecg"][:B].contiguous(), data["ppg"][:B].contiguous()
                emit("torch eager", B, median_time(lambda: model(e, p), a.repeats))

    if "onnxruntime" in backends:
        try:
            import onnxruntime as ort
            so = ort.SessionOptions()
            so.intra_op_num_threads = a.threads
            so.inter_op_num_threads = 1
            with tempfile.TemporaryDirectory() as tmp:
                path = os.path.join(tmp, "m2ae.onnx")
                e, p = data["ecg"][:2], data["ppg"][:2]
                torch.onnx.export(model, (e, p), path, input_names=["ecg", "ppg"],
                                  output_names=["both", "ecg_only", "ppg_only"],
                                  dynamic_axes={"ecg": {0: "B"}, "ppg": {0: "B"}})
                sess = ort.InferenceSession(path, so, providers=["CPUExecutionProvider"])
                for B in batches:
                    feed = {"ecg": data["ecg"][:B].numpy(), "ppg": data["ppg"][:B].numpy()}
                    emit("onnxruntime", B, median_time(lambda: sess.run(None, feed), a.repeats))
        except Exception as err:  # noqa: BLE001
            emit("onnxruntime", 0, None, f"{type(err).__name__}: {str(err).splitlines()[0][:200]}")

    if "compile" in backends:
        # Inductor compiles C++ on first call: give it a time budget, then report a row.
        signal.signal(signal.SIGALRM, _timeout)
        signal.alarm(a.compile_timeout)
        try:
            with torch.inference_mode():
                compiled = torch.compile(model, dynamic=False)
                for B in batches:
                    e, p = data["ecg"][:B].contiguous(), data["ppg"][:B].contiguous()
                    emit("torch.compile", B, median_time(lambda: compiled(e, p), a.repeats))
        except Exception as err:  # noqa: BLE001 (report any backend failure as a row)
            emit("torch.compile", 0, None, f"{type(err).__name__}: {str(err).splitlines()[0][:200] if str(err) else ''}")
        finally:
            signal.alarm(0)


if __name__ == "__main__":
    main()
