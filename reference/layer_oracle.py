#!/usr/bin/env python3
"""PyTorch oracle for the Swift engine's layers (Sources/Engine/Layers).

Writes, for every layer, seeded random inputs, the forward outputs and the gradients of
every input and weight (for a random upstream gradient `dout`), computed by PyTorch autograd
in float64 from the float32 inputs, into one binary fixture file that
Tests/EngineTests reads:

    magic  b"M2AELAYR"   (8 bytes)
    version u32 = 1, tensor count u32
    per tensor: name length u16, name (utf-8), dtype u8 (0 float32, 1 int32),
                ndim u8, dims u32 × ndim, data (little-endian, row-major)

Tensor names are "<layer>/<what>", e.g. "layernorm/dinp". Usage:
    python3 reference/layer_oracle.py OUT.bin
    python3 reference/layer_oracle.py --bench BATCH REPEATS THREADS
The second form is the PyTorch peer of `m2ae-bench layers`: it times the same layers at the
same sizes in float32 on THREADS threads and prints one JSON object {case: median seconds}.
"""
import json
import struct
import sys
import time

import torch
import torch.nn.functional as F

MAGIC = b"M2AELAYR"
VERSION = 1


class Fixture:
    def __init__(self):
        self.tensors = []

    def add(self, name, t):
        t = t.detach()
        if t.dtype in (torch.int32, torch.int64):
            self.tensors.append((name, 1, t.to(torch.int32).contiguous()))
        else:
            self.tensors.append((name, 0, t.to(torch.float32).contiguous()))

    def write(self, path):
        with open(path, "wb") as f:
            f.write(MAGIC)
            f.write(struct.pack("<II", VERSION, len(self.tensors)))
            for name, dtype, t in self.tensors:
                raw = name.encode()
                f.write(struct.pack("<H", len(raw)))
                f.write(raw)
                f.write(struct.pack("<BB", dtype, t.dim()))
                f.write(struct.pack("<" + "I" * t.dim(), *t.shape))
                f.write(t.numpy().astype("<f4" if dtype == 0 else "<i4").tobytes())


def rand(*shape, scale=1.0):
    """float32 normal inputs (what Swift sees), returned as float64 leaves for autograd."""
    return (torch.randn(*shape, dtype=torch.float32) * scale).double().requires_grad_(True)


def backward(fx, prefix, out, named_inputs, dout=None):
    """Runs out.backward(dout) with a random dout and records dout and every gradient."""
    if dout is None:
        dout = torch.randn(out.shape, dtype=torch.float32).double()
    out.backward(dout)
    fx.add(f"{prefix}/dout", dout)
    for name, t in named_inputs.items():
        fx.add(f"{prefix}/d{name}", t.grad)


def record(fx, prefix, named):
    for name, t in named.items():
        fx.add(f"{prefix}/{name}", t)


def matmul(fx, prefix="matmul", N=7, C=12, OC=10):
    inp, w, b = rand(N, C), rand(OC, C, scale=0.3), rand(OC, scale=0.1)
    out = F.linear(inp, w, b)
    record(fx, prefix, {"inp": inp, "weight": w, "bias": b, "out": out})
    backward(fx, prefix, out, {"inp": inp, "weight": w, "bias": b})


def matmul_model(fx):
    """The small model's qkv projection on 101 tokens: full register tiles of every BLAS
    kernel (AVX-512, AVX2, AVX, SSE3) plus ragged edges."""
    matmul(fx, "matmul_model", N=101, C=128, OC=384)


def layernorm(fx):
    N, C = 9, 24
    inp = rand(N, C, scale=2.0)
    inp.data += 0.5
    w, b = (1 + 0.2 * torch.randn(C)).double().requires_grad_(True), rand(C, scale=0.2)
    out = F.layer_norm(inp, (C,), w, b, eps=1e-5)
    mean = inp.mean(-1)
    rstd = 1 / torch.sqrt(inp.var(-1, unbiased=False) + 1e-5)
    record(fx, "layernorm", {"inp": inp, "weight": w, "bias": b, "out": out, "mean": mean, "rstd": rstd})
    backward(fx, "layernorm", out, {"inp": inp, "weight": w, "bias": b})


def gelu(fx):
    inp = rand(257, scale=2.5)
    out = F.gelu(inp, approximate="tanh")
    record(fx, "gelu", {"inp": inp, "out": out})
    backward(fx, "gelu", out, {"inp": inp})


def residual(fx):
    a, b = rand(40), rand(40)
    out = a + b
    record(fx, "residual", {"inp1": a, "inp2": b, "out": out})
    backward(fx, "residual", out, {"inp1": a, "inp2": b})


def softmax(fx):
    R, L = 6, 11
    inp = rand(R, L, scale=3.0)
    out = torch.softmax(inp, -1)
    record(fx, "softmax", {"inp": inp, "out": out})
    backward(fx, "softmax", out, {"inp": inp})


def attention(fx, prefix="attention", lengths=(5, 0, 9, 1), C=8, NH=2):
    hs = C // NH
    offsets = torch.tensor([0] + list(torch.tensor(lengths).cumsum(0)), dtype=torch.int32)
    N = int(offsets[-1])
    qkv = rand(N, 3 * C)
    outs, probs = [], []
    for b in range(len(lengths)):
        s, e = int(offsets[b]), int(offsets[b + 1])
        if e == s:
            continue
        L = e - s
        # (L, 3, NH, hs) -> q, k, v each (NH, L, hs): the timm ViT layout
        x = qkv[s:e].view(L, 3, NH, hs).permute(1, 2, 0, 3)
        q, k, v = x[0], x[1], x[2]
        p = torch.softmax(q @ k.transpose(-2, -1) / hs ** 0.5, -1)  # (NH, L, L)
        probs.append(p.reshape(-1))
        outs.append((p @ v).transpose(0, 1).reshape(L, C))
    out = torch.cat(outs)
    record(fx, prefix, {"qkv": qkv, "offsets": offsets, "out": out, "prob": torch.cat(probs)})
    fx.add(f"{prefix}/sizes", torch.tensor([len(lengths), C, NH], dtype=torch.int32))
    backward(fx, prefix, out, {"qkv": qkv})


def attention_tiled(fx):
    """Head size 32 (the model's): the engine's register-tiled forward path, ragged lengths."""
    attention(fx, "attention_tiled", lengths=(17, 0, 50, 1, 8), C=64, NH=2)


def position_embedding(fx):
    N, T, C = 10, 6, 8
    inp, wpe = rand(N, C), rand(T, C)
    positions = torch.tensor([0, 3, 5, 3, 1, 2, 0, 4, 5, 3], dtype=torch.int64)
    out = inp + wpe[positions]
    record(fx, "posemb", {"inp": inp, "wpe": wpe, "positions": positions, "out": out})
    backward(fx, "posemb", out, {"inp": inp, "wpe": wpe})


def modality_embedding(fx):
    N, C = 10, 8
    inp, vec = rand(N, C), rand(C)
    out = inp + vec
    record(fx, "modemb", {"inp": inp, "vec": vec, "out": out})
    backward(fx, "modemb", out, {"inp": inp, "vec": vec})


def gather(fx):
    N, C = 10, 5
    inp = rand(N, C)
    index = torch.tensor([7, 2, 2, 9, 0, 4], dtype=torch.int64)  # repeats accumulate
    out = inp[index]
    record(fx, "gather", {"inp": inp, "index": index, "out": out})
    backward(fx, "gather", out, {"inp": inp})


def scatter_and_fill(fx):
    """The decoder's input: visible rows scattered to their slots, the mask token elsewhere."""
    N, C = 10, 5
    visible = rand(6, C)
    token = rand(C)
    vindex = torch.tensor([8, 1, 3, 0, 6, 5], dtype=torch.int64)
    hindex = torch.tensor([2, 4, 7, 9], dtype=torch.int64)
    out = torch.zeros(N, C, dtype=torch.float64)
    out = out.index_copy(0, vindex, visible).index_copy(0, hindex, token.expand(len(hindex), C))
    record(fx, "scatterfill", {"inp": visible, "token": token, "vindex": vindex, "hindex": hindex, "out": out})
    backward(fx, "scatterfill", out, {"inp": visible, "token": token})


def mean_pool(fx):
    C = 6
    offsets = torch.tensor([0, 4, 4, 11, 12], dtype=torch.int32)
    inp = rand(int(offsets[-1]), C)
    rows = []
    for b in range(len(offsets) - 1):
        s, e = int(offsets[b]), int(offsets[b + 1])
        rows.append(inp[s:e].mean(0) if e > s else torch.zeros(C, dtype=torch.float64))
    out = torch.stack(rows)
    record(fx, "meanpool", {"inp": inp, "offsets": offsets, "out": out})
    backward(fx, "meanpool", out, {"inp": inp})


def l2_norm(fx):
    B, C = 5, 7
    inp = rand(B, C)
    out = F.normalize(inp, dim=-1)
    record(fx, "l2norm", {"inp": inp, "out": out, "norm": inp.norm(dim=-1)})
    backward(fx, "l2norm", out, {"inp": inp})


def mse(fx):
    N, P = 12, 5
    pred, target = rand(N, P), rand(N, P).detach()
    index = torch.tensor([1, 3, 4, 7, 8, 10, 11], dtype=torch.int64)
    loss = F.mse_loss(pred[index], target[index])
    record(fx, "mse", {"pred": pred, "target": target, "index": index, "loss": loss.reshape(1)})
    dloss = torch.tensor(0.75, dtype=torch.float64)
    backward(fx, "mse", loss, {"pred": pred}, dout=dloss)


def infonce(fx):
    B, Fdim, tau = 6, 8, 0.1
    a = F.normalize(torch.randn(B, Fdim, dtype=torch.float32), dim=-1).double().requires_grad_(True)
    b = F.normalize(torch.randn(B, Fdim, dtype=torch.float32), dim=-1)
    b = (0.6 * b + 0.4 * a.detach().float()).double().requires_grad_(True)  # some true pairing
    logits = a @ b.T / tau
    target = torch.arange(B)
    loss = (F.cross_entropy(logits, target) + F.cross_entropy(logits.T, target)) / 2
    probs = torch.stack([torch.softmax(logits, -1), torch.softmax(logits.T, -1)])
    record(fx, "infonce", {"a": a, "b": b, "loss": loss.reshape(1), "probs": probs})
    fx.add("infonce/tau", torch.tensor([tau]))
    backward(fx, "infonce", loss, {"a": a, "b": b}, dout=torch.tensor(0.5, dtype=torch.float64))


def adamw(fx):
    """Five AdamW steps on a matrix (decayed) and a vector (not decayed), the gradient of the
    last step clipped to a global norm of 1.0 first; float32, as training runs."""
    torch.manual_seed(7)
    wmat = torch.randn(4, 6, dtype=torch.float32).requires_grad_(True)
    wvec = torch.randn(5, dtype=torch.float32).requires_grad_(True)
    fx.add("adamw/params0", torch.cat([wmat.detach().reshape(-1), wvec.detach()]))
    fx.add("adamw/mask", torch.cat([torch.ones(24), torch.zeros(5)]))
    opt = torch.optim.AdamW([{"params": [wmat], "weight_decay": 0.05},
                             {"params": [wvec], "weight_decay": 0.0}],
                            lr=3e-2, betas=(0.9, 0.95), eps=1e-8)
    grads = []
    norms = []
    for step in range(5):
        g = torch.randn(29, dtype=torch.float32) * (3.0 if step == 4 else 0.5)
        wmat.grad = g[:24].reshape(4, 6).clone()
        wvec.grad = g[24:].clone()
        grads.append(g)
        norms.append(torch.nn.utils.clip_grad_norm_([wmat, wvec], 1.0))
        opt.step()
    fx.add("adamw/grads", torch.stack(grads))
    fx.add("adamw/norms", torch.stack(norms))
    fx.add("adamw/params", torch.cat([wmat.detach().reshape(-1), wvec.detach()]))
    fx.add("adamw/settings", torch.tensor([3e-2, 0.9, 0.95, 1e-8, 0.05, 1.0]))


def bench(batch, repeats, threads):
    """Median thread-CPU seconds of each layer case, float32 (names match m2ae-bench layers)."""
    torch.set_num_threads(threads)
    torch.manual_seed(0)
    results = {}

    def timed(name, fn):
        fn()  # warm-up
        times = []
        for _ in range(repeats):
            t = time.thread_time() if threads == 1 else time.perf_counter()
            fn()
            times.append((time.thread_time() if threads == 1 else time.perf_counter()) - t)
        times.sort()
        results[name] = times[len(times) // 2]

    for label, L, C, NH in (("encoder", 25, 128, 4), ("bottleneck", 50, 128, 4), ("decoder", 100, 64, 2)):
        hs = C // NH
        q, k, v = (torch.randn(batch, NH, L, hs, requires_grad=True) for _ in range(3))
        dout = torch.randn(batch, NH, L, hs)
        holder = {}

        def fwd():
            holder["out"] = F.scaled_dot_product_attention(q, k, v)

        def bwd():
            q.grad = k.grad = v.grad = None
            holder["out"].backward(dout, retain_graph=True)

        timed(f"attention {label} fwd", fwd)
        fwd()
        timed(f"attention {label} bwd", bwd)

    N, C = batch * 50, 128
    x = torch.randn(N, C, requires_grad=True)
    ln = torch.nn.LayerNorm(C)
    dy = torch.randn(N, C)
    holder = {}
    timed("layernorm fwd", lambda: holder.__setitem__("y", ln(x)))
    holder["y"] = ln(x)
    timed("layernorm bwd", lambda: holder["y"].backward(dy, retain_graph=True))
    h = torch.randn(N, 4 * C, requires_grad=True)
    dh = torch.randn(N, 4 * C)
    timed("gelu fwd", lambda: holder.__setitem__("g", F.gelu(h, approximate="tanh")))
    holder["g"] = F.gelu(h, approximate="tanh")
    timed("gelu bwd", lambda: holder["g"].backward(dh, retain_graph=True))
    lin = torch.nn.Linear(C, 4 * C)
    timed("matmul fwd", lambda: holder.__setitem__("m", lin(x)))
    holder["m"] = lin(x)
    timed("matmul bwd", lambda: holder["m"].backward(dh, retain_graph=True))
    params = torch.randn(1_000_000, requires_grad=True)
    params.grad = torch.randn(1_000_000)
    opt = torch.optim.AdamW([params], lr=1e-3, betas=(0.9, 0.95), weight_decay=0.05, foreach=False)
    timed("adamw 1M", opt.step)
    print(json.dumps(results))


def main():
    if len(sys.argv) == 5 and sys.argv[1] == "--bench":
        bench(int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]))
        return
    if len(sys.argv) != 2:
        sys.exit("usage: layer_oracle.py OUT.bin | --bench BATCH REPEATS THREADS")
    torch.manual_seed(0)
    fx = Fixture()
    for case in (matmul, layernorm, gelu, residual, softmax, attention, position_embedding,
                 modality_embedding, gather, scatter_and_fill, mean_pool, l2_norm, mse, infonce, adamw,
                 attention_tiled, matmul_model):
        case(fx)
    fx.write(sys.argv[1])


if __name__ == "__main__":
    main()
