"""PyTorch reference trainer for M2AE (docs/training.md): the same objective, schedule and
checkpoint format as `m2ae train`, for users whose data outgrows one CPU.

    python reference/train.py fit --store cohort.h5 --config small --epochs 20 --out m2ae.safetensors
    torchrun --nproc-per-node 4 reference/train.py fit --store big.h5 --out m2ae.safetensors

Under torchrun every process takes its shard of each global batch (--batch-size is the global
batch) and the step is the one a single process would take on the whole batch: masks are drawn
for the global batch, the reconstruction means count the hidden samples of all shards, the
contrastive loss sees every shard's fingerprints, and gradients are summed over the processes.

It is also the oracle of the Swift trainer's tests: `steps` replays a fixture (initial weights,
batches and masks written by the Swift test) and prints the loss parts of every step.

Objective (docs/model.md, "Training objective"):
  * masks: a set S of floor(r*T) positions is drawn per batch; per segment, with probability
    p_drop one whole modality is dropped (chosen 50/50) and the other is fully visible;
    otherwise ECG is hidden at S and PPG at the complement;
  * reconstruction: mean squared error over the hidden patches of each modality (all samples
    of all hidden patches in the batch), averaged over the two decoders;
  * contrastive: for the segments in which both modalities have visible tokens, the ECG-only
    fingerprint is the bottleneck over that segment's visible ECG encoder tokens alone (mean,
    L2-normalised), the PPG-only one likewise; symmetric InfoNCE at temperature tau between
    them (cross-entropy of the (G, G) similarity matrix / tau, rows and columns);
  * total = reconstruction + lambda * contrastive.
  * AdamW (beta 0.9/0.95, eps 1e-8), weight decay only on the weight matrices of Linear layers,
    learning rate: linear warm-up then cosine to lr_min; global-norm clipping at 1.0.
"""
from __future__ import annotations

import argparse
import json
import math
import os
import sys
import time

import numpy as np
import torch
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from m2ae import M2AE, M2AEConfig, load_checkpoint, save_checkpoint  # noqa: E402


# ---------------------------------------------------------------------------------------------
# Hyper-parameters

DEFAULTS = dict(mask_ratio=0.5, p_drop=0.3, tau=0.1, lam=0.5, lr=1e-3, lr_min=1e-5,
                warmup_steps=200, weight_decay=0.05, beta1=0.9, beta2=0.95, eps=1e-8, clip=1.0)


def lr_at(step: int, total: int, h: dict) -> float:
    """Linear warm-up over warmup_steps, then cosine from lr to lr_min at step `total`."""
    if step < h["warmup_steps"]:
        return h["lr"] * (step + 1) / h["warmup_steps"]
    span = max(1, total - h["warmup_steps"])
    progress = min(1.0, (step - h["warmup_steps"]) / span)
    return h["lr_min"] + 0.5 * (h["lr"] - h["lr_min"]) * (1.0 + math.cos(math.pi * progress))


# ---------------------------------------------------------------------------------------------
# Masks

def training_masks(B: int, T: int, h: dict, gen: torch.Generator):
    """Returns ecg_vis, ppg_vis (B, T) bool under complementary masking with modality drop.
    One hidden set S is drawn per batch (so the masked views' position sets cannot identify a
    segment's pair in the contrastive loss; docs/training.md)."""
    k = math.floor(h["mask_ratio"] * T)
    ecg_vis = torch.ones(B, T, dtype=torch.bool)
    ppg_vis = torch.ones(B, T, dtype=torch.bool)
    hidden = torch.randperm(T, generator=gen)[:k]
    for b in range(B):
        u = torch.rand(2, generator=gen)
        if u[0] < h["p_drop"]:
            (ecg_vis if u[1] < 0.5 else ppg_vis)[b] = False
        else:
            ecg_vis[b, hidden] = False
            ppg_vis[b] = ~ecg_vis[b]
    return ecg_vis, ppg_vis


# ---------------------------------------------------------------------------------------------
# Objective

class _GatherRows(torch.autograd.Function):
    """all_gather of equal-sized row blocks whose backward hands each process the sum, over all
    processes, of the gradient that reached its block (gloo has no reduce_scatter)."""

    @staticmethod
    def forward(ctx, x):
        world, rank = torch.distributed.get_world_size(), torch.distributed.get_rank()
        blocks = [torch.empty_like(x) for _ in range(world)]
        torch.distributed.all_gather(blocks, x.contiguous())
        ctx.rows, ctx.rank = x.shape[0], rank
        return torch.cat(blocks)

    @staticmethod
    def backward(ctx, g):
        g = g.contiguous().clone()
        torch.distributed.all_reduce(g)
        return g[ctx.rank * ctx.rows:(ctx.rank + 1) * ctx.rows]


def gather_rows(x, world: int):
    """Every process's rows of x (G_r, D), rank 0's first, with gradients flowing back."""
    if world == 1:
        return x
    counts = [torch.zeros(1, dtype=torch.long, device=x.device) for _ in range(world)]
    torch.distributed.all_gather(counts, torch.tensor([x.shape[0]], device=x.device))
    counts = [int(c) for c in counts]
    pad = max(counts) - x.shape[0]
    full = _GatherRows.apply(torch.cat([x, x.new_zeros(pad, x.shape[1])]) if pad else x)
    width = max(counts)
    return torch.cat([full[r * width:r * width + counts[r]] for r in range(world)])


def global_sum(values, world: int):
    """The sum of a detached tensor over the processes (the tensor itself for one process)."""
    if world == 1:
        return values
    values = values.detach().clone()
    torch.distributed.all_reduce(values)
    return values


def objective(model: M2AE, ecg, ppg, ecg_vis, ppg_vis, h: dict, world: int = 1) -> dict:
    """Loss parts for one batch. ecg, ppg (B, T*P) z-scored; ecg_vis, ppg_vis (B, T) bool.

    With world > 1 the batch is this process's shard of the global batch and every part is
    its share: the shares of all processes sum to the part of the global batch, so summing the
    gradients of the shares' losses gives the gradient of the global loss."""
    c = model.config
    P, T = c.patch_size, c.num_patches
    out = model(ecg, ppg, ecg_vis, ppg_vis)
    parts = {}
    recon = []
    for name, x, vis in (("ecg", ecg, ecg_vis), ("ppg", ppg, ppg_vis)):
        hidden = (~vis).repeat_interleave(P, dim=1)  # (B, T*P)
        n = int(global_sum(hidden.sum(), world))
        if n == 0:
            loss = x.new_zeros(())
        else:
            loss = ((out[f"{name}_recon"] - x) ** 2 * hidden).sum() / n
        parts[f"recon_{name}"] = loss
        recon.append(loss)
    parts["recon"] = (recon[0] + recon[1]) / 2

    # Contrastive: ECG-only and PPG-only fingerprints from each segment's visible tokens.
    ne, np_ = ecg_vis.sum(1), ppg_vis.sum(1)
    both = ((ne > 0) & (np_ > 0)).nonzero().squeeze(1)
    if int(global_sum(torch.tensor(both.numel(), device=ecg.device), world)) >= 2:
        starts_e = torch.cumsum(ne, 0) - ne
        starts_p = torch.cumsum(np_, 0) - np_
        # a shard without such segments still joins the gather (and its backward)
        ze = [torch.zeros(0, c.fingerprint_dim, device=ecg.device, requires_grad=True)]
        zp = [torch.zeros(0, c.fingerprint_dim, device=ecg.device, requires_grad=True)]
        for b in both.tolist():
            te = out["ecg_tokens"][starts_e[b]:starts_e[b] + ne[b]].unsqueeze(0)
            tp = out["ppg_tokens"][starts_p[b]:starts_p[b] + np_[b]].unsqueeze(0)
            ze.append(F.normalize(model.bottleneck(te).mean(1), dim=-1, eps=0.0))
            zp.append(F.normalize(model.bottleneck(tp).mean(1), dim=-1, eps=0.0))
        ze, zp = gather_rows(torch.cat(ze), world), gather_rows(torch.cat(zp), world)
        logits = ze @ zp.t() / h["tau"]
        target = torch.arange(logits.shape[0], device=logits.device)
        parts["contrastive"] = (F.cross_entropy(logits, target) + F.cross_entropy(logits.t(), target)) / 2 / world
        parts["retrieval_top1"] = (logits.argmax(1) == target).float().mean() / world
    else:
        parts["contrastive"] = ecg.new_zeros(())
        parts["retrieval_top1"] = ecg.new_zeros(())
    parts["loss"] = parts["recon"] + h["lam"] * parts["contrastive"]
    return parts


def make_optimizer(model: M2AE, h: dict) -> torch.optim.AdamW:
    """AdamW with weight decay on Linear weight matrices only."""
    decay, no_decay = [], []
    for name, p in model.named_parameters():
        is_linear_weight = name.endswith(".weight") and p.dim() == 2  # LayerNorm weights are 1-D
        (decay if is_linear_weight else no_decay).append(p)
    return torch.optim.AdamW([{"params": decay, "weight_decay": h["weight_decay"]},
                              {"params": no_decay, "weight_decay": 0.0}],
                             lr=h["lr"], betas=(h["beta1"], h["beta2"]), eps=h["eps"])


def train_step(model, opt, batch, step, total, h, world: int = 1) -> dict:
    """One optimiser step; with world > 1 (a torchrun job, each process holding its shard of
    the global batch) the shares' gradients are summed over the processes, so every process
    takes the step of the global batch. Returns the global batch's loss parts."""
    ecg, ppg, ecg_vis, ppg_vis = batch
    for g in opt.param_groups:
        g["lr"] = lr_at(step, total, h)
    opt.zero_grad(set_to_none=False)
    parts = objective(model, ecg, ppg, ecg_vis, ppg_vis, h, world)
    parts["loss"].backward()
    if world > 1:
        for p in model.parameters():
            if p.grad is None:  # a part unused by this shard still joins the reduction
                p.grad = torch.zeros_like(p)
            torch.distributed.all_reduce(p.grad)
        names = list(parts)
        totals = global_sum(torch.stack([parts[k].detach().float().reshape(()) for k in names]), world)
        parts = dict(zip(names, totals))
    norm = torch.nn.utils.clip_grad_norm_(model.parameters(), h["clip"])
    opt.step()
    result = {k: float(v.detach()) for k, v in parts.items()}
    result["grad_norm"] = float(norm)
    result["lr"] = opt.param_groups[0]["lr"]
    return result


# ---------------------------------------------------------------------------------------------
# Data: the HDF5 store, preprocessed exactly like Signals.Preprocessing.prepare

def preprocess(x: np.ndarray, modality: str, rate: float = 125.0) -> np.ndarray:
    """x (n, 1250) -> band-passed (zero-phase Butterworth, order 2) and z-scored per row."""
    from scipy.signal import butter, sosfiltfilt
    low, high = (0.5, 40.0) if modality == "ecg" else (0.5, 8.0)
    sos = butter(2, [low, high], btype="bandpass", fs=rate, output="sos")
    x = np.array(x, dtype=np.float64)
    for row in x:  # fill NaN by linear interpolation (edges: nearest), zero if all NaN
        bad = np.isnan(row)
        if bad.all():
            row[:] = 0
        elif bad.any():
            idx = np.arange(len(row))
            row[bad] = np.interp(idx[bad], idx[~bad], row[~bad])
    y = sosfiltfilt(sos, x, axis=1)
    mu, sd = y.mean(1, keepdims=True), y.std(1, keepdims=True)
    return np.where(sd > 1e-8, (y - mu) / np.maximum(sd, 1e-8), 0.0).astype(np.float32)


MODEL_DELAY = 0.30  # Signals.DeviceDelay.modelDelay


def model_input_ppg(ppg: np.ndarray, delays: np.ndarray, rate: float = 125.0) -> np.ndarray:
    """Prepared PPG rows (n, S) moved to the model's delay with each row's measured device delay
    (seconds, NaN = not measured: unchanged), edges mirrored: Signals.DeviceDelay.modelInput."""
    out = ppg.copy()
    n = ppg.shape[1]
    for k, d in enumerate(delays):
        if not np.isfinite(d):
            continue
        x = (d - MODEL_DELAY) * rate
        shift = int(np.sign(x) * np.floor(abs(x) + 0.5))  # half away from zero, as Swift's rounded()
        if shift == 0:
            continue
        j = np.arange(n) + shift
        while ((j < 0) | (j >= n)).any():
            j = np.where(j < 0, -j, np.where(j >= n, 2 * (n - 1) - j, j))
        out[k] = ppg[k, j]
    return out


class StoreData:
    """Streams batches from an m2ae store (h5py hyperslabs), split by subject; the PPG of a
    record with a measured device delay is moved to the model's delay, as m2ae train does."""

    def __init__(self, path: str, val_fraction: float, seed: int):
        import h5py
        self.f = h5py.File(path, "r")
        subj = self.f["segments/subject"][:]
        good = (self.f["segments/ecg_quality"][:] == 0) & (self.f["segments/ppg_quality"][:] == 0)
        subjects = np.unique(subj)
        if len(subjects) < 4:
            raise SystemExit(f"{path}: {len(subjects)} subjects are too few to split into train and validation")
        rng = np.random.default_rng(seed)
        perm = rng.permutation(subjects)
        n_val = max(1, int(round(val_fraction * len(subjects))))
        val = set(perm[:n_val].tolist())
        is_val = np.isin(subj, list(val))
        self.train_idx = np.nonzero(~is_val & good)[0]
        self.val_idx = np.nonzero(is_val & good)[0]
        n = len(subj)
        self.delays = self.f["segments/ppg_delay"][:] if "segments/ppg_delay" in self.f else np.full(n, np.nan)

    def batch(self, idx: np.ndarray):
        """Rows idx in the given order (h5py reads them sorted)."""
        order = np.argsort(idx, kind="stable")
        back = np.empty_like(order)
        back[order] = np.arange(len(order))
        ecg = preprocess(self.f["signals/ecg"][idx[order]], "ecg")[back]
        ppg = model_input_ppg(preprocess(self.f["signals/ppg"][idx[order]], "ppg"), self.delays[idx[order]])[back]
        return torch.from_numpy(np.ascontiguousarray(ecg)), torch.from_numpy(np.ascontiguousarray(ppg))


# ---------------------------------------------------------------------------------------------
# Trainer state beside the checkpoint (the Swift trainer's format, docs/training.md)

BLOCK = ["ln1.weight", "ln1.bias", "attn.qkv.weight", "attn.qkv.bias", "attn.proj.weight", "attn.proj.bias",
         "ln2.weight", "ln2.bias", "mlp.fc1.weight", "mlp.fc1.bias", "mlp.fc2.weight", "mlp.fc2.bias"]


def swift_order(c: M2AEConfig) -> list:
    """Parameter names in the Swift slab order (Sources/Model/ParameterLayout.swift)."""
    names = []
    for m in ("ecg", "ppg"):
        names += [f"{m}.patch_embed.weight", f"{m}.patch_embed.bias", f"{m}.pos_embed", f"{m}.modality_embed"]
        names += [f"{m}.encoder.{l}.{b}" for l in range(c.encoder_layers) for b in BLOCK]
    names += [f"bottleneck.blocks.{l}.{b}" for l in range(c.shared_layers) for b in BLOCK]
    names += ["bottleneck.norm.weight", "bottleneck.norm.bias", "bottleneck.proj.weight", "bottleneck.proj.bias"]
    for m in ("ecg", "ppg"):
        d = f"{m}_decoder"
        names += [f"{d}.embed.weight", f"{d}.embed.bias", f"{d}.mask_token", f"{d}.pos_embed"]
        names += [f"{d}.blocks.{l}.{b}" for l in range(c.decoder_layers) for b in BLOCK]
        names += [f"{d}.norm.weight", f"{d}.norm.bias", f"{d}.head.weight", f"{d}.head.bias"]
    return names


def model_id(model: M2AE) -> str:
    """M2AEModel.id: 12 hex digits of FNV-1a 64 over the config JSON and every tensor's
    name, shape and float32 bytes, in the Swift slab order."""
    h, prime, mask = 0xCBF29CE484222325, 0x100000001B3, (1 << 64) - 1
    state = model.state_dict()

    def mix(data: bytes):
        nonlocal h
        for b in data:
            h = ((h ^ b) * prime) & mask
    mix(model.config.json().encode())
    for name in swift_order(model.config):
        t = state[name]
        mix(f"{name}[{', '.join(str(s) for s in t.shape)}]".encode())
        mix(t.detach().contiguous().float().numpy().astype("<f4").tobytes())
    return f"{h:016x}"[:12]


def state_path(out: str) -> str:
    return (out[:-len(".safetensors")] if out.endswith(".safetensors") else out) + ".state.safetensors"


def save_state(model: M2AE, opt, state: dict, path: str) -> None:
    """AdamW moments as m.<name>/v.<name> plus the state JSON (camelCase keys, as Swift)."""
    from safetensors.torch import save_file
    tensors = {}
    for name, p in model.named_parameters():
        st = opt.state.get(p, {})
        tensors["m." + name] = st.get("exp_avg", torch.zeros_like(p)).detach().cpu().contiguous().float()
        tensors["v." + name] = st.get("exp_avg_sq", torch.zeros_like(p)).detach().cpu().contiguous().float()
    save_file(tensors, path, metadata={"format": "m2ae-train-state", "format_version": "1",
                                       "config": model.config.json(), "state": json.dumps(state)})


def load_state(model: M2AE, opt, path: str) -> dict:
    from safetensors import safe_open
    with safe_open(path, framework="pt") as f:
        meta = f.metadata() or {}
        if meta.get("format") != "m2ae-train-state":
            raise SystemExit(f"{path}: not an m2ae trainer state file")
        state = json.loads(meta["state"])
        for name, p in model.named_parameters():
            opt.state[p] = {"step": torch.tensor(float(state["step"])), "exp_avg": f.get_tensor("m." + name).to(p.device),
                            "exp_avg_sq": f.get_tensor("v." + name).to(p.device)}
    if state.get("modelID") != model_id(model):
        raise SystemExit(f"{path}: the state belongs to other weights")
    return state


def camel(h: dict) -> dict:
    """DEFAULTS keys -> the Swift Hyperparameters' keys."""
    names = dict(mask_ratio="maskRatio", p_drop="pDrop", tau="tau", lam="lambda", lr="lr", lr_min="lrMin",
                 warmup_steps="warmupSteps", weight_decay="weightDecay", beta1="beta1", beta2="beta2", eps="eps", clip="clip")
    return {names[k]: v for k, v in h.items()}


# ---------------------------------------------------------------------------------------------
# Commands

def cmd_fit(a):
    h = dict(DEFAULTS, lr=a.lr, p_drop=a.p_drop)
    if a.resume and a.init_from:
        raise SystemExit("--from starts a new run; --resume continues the one at --out: give one of them")
    distributed = "WORLD_SIZE" in os.environ and int(os.environ["WORLD_SIZE"]) > 1
    rank, world = 0, 1
    if distributed:
        torch.distributed.init_process_group("nccl" if torch.cuda.is_available() else "gloo")
        rank, world = torch.distributed.get_rank(), torch.distributed.get_world_size()
    device = torch.device(f"cuda:{int(os.environ.get('LOCAL_RANK', 0))}" if torch.cuda.is_available() else "cpu")
    torch.manual_seed(a.seed)
    start = a.out if a.resume else a.init_from   # fine-tuning starts from --from's weights
    model = load_checkpoint(start) if start else M2AE(M2AEConfig.preset(a.config))
    if start and model.config.name != a.config:
        raise SystemExit(f"{start}: the checkpoint is config '{model.config.name}', this run asks for '{a.config}'")
    model.to(device)
    opt = make_optimizer(model, h)
    data = StoreData(a.store, a.val_fraction, a.seed)
    if a.batch_size % world:
        raise SystemExit(f"--batch-size {a.batch_size} is the global batch: it must split evenly over {world} processes")
    per_rank = a.batch_size // world
    steps_per_epoch = len(data.train_idx) // a.batch_size
    if a.max_steps:
        steps_per_epoch = min(steps_per_epoch, a.max_steps)
    total = steps_per_epoch * a.epochs
    step, first_epoch = 0, 0
    if a.resume:
        st = load_state(model, opt, state_path(a.out))
        step, first_epoch = st["step"], st["epoch"]
    gen = torch.Generator().manual_seed(a.seed)   # the same on every process: masks of the global batch
    losses = []
    for epoch in range(first_epoch, a.epochs):
        order = np.random.default_rng(a.seed + epoch).permutation(data.train_idx)
        t0 = time.time()
        for s in range(steps_per_epoch):
            shard = slice(rank * per_rank, (rank + 1) * per_rank)
            ecg, ppg = data.batch(order[s * a.batch_size:(s + 1) * a.batch_size][shard])
            ev, pv = training_masks(a.batch_size, model.config.num_patches, h, gen)
            batch = (ecg.to(device), ppg.to(device), ev[shard].to(device), pv[shard].to(device))
            parts = train_step(model, opt, batch, step, total, h, world)
            losses.append(parts)
            if not math.isfinite(parts["loss"]):
                raise SystemExit(f"training stopped: the loss was not finite at step {step + 1}; "
                                 f"the last good checkpoint is intact at {a.out}")
            step += 1
            if rank == 0 and s % 50 == 0:
                print(f"epoch {epoch + 1} step {s}/{steps_per_epoch} loss {parts['loss']:.4f} "
                      f"recon {parts['recon']:.4f} contrastive {parts['contrastive']:.4f}", flush=True)
        if rank == 0:
            model.cpu()
            state = dict(step=step, epoch=epoch + 1, batchInEpoch=0, epochs=a.epochs, stepsPerEpoch=steps_per_epoch,
                         batchSize=a.batch_size, seed=a.seed, source="store " + os.path.basename(a.store),
                         hyperparameters=camel(h), modelID=model_id(model))
            tmp, tmp_state = a.out + ".tmp", state_path(a.out) + ".tmp"
            save_checkpoint(model, tmp)
            save_state(model, opt, state, tmp_state)
            os.replace(tmp, a.out)
            os.replace(tmp_state, state_path(a.out))
            model.to(device)
            print(f"epoch {epoch + 1}: {time.time() - t0:.1f} s, checkpoint {a.out}", flush=True)
    if a.losses and rank == 0:
        with open(a.losses, "w") as f:
            json.dump(losses, f)
    if distributed:
        torch.distributed.destroy_process_group()


def cmd_steps(a):
    """Replays a fixture: initial checkpoint + batches/masks -> loss parts per step (JSON).

    The fixture is a safetensors file (written by the Swift test) holding ecg, ppg
    (steps, B, T*P) and ecg_vis, ppg_vis (steps, B, T) as 0/1 floats; its metadata holds
    "hyperparameters" (JSON, DEFAULTS keys) and "total_steps"."""
    from safetensors import safe_open
    torch.set_num_threads(1)
    model = load_checkpoint(a.init)
    with safe_open(a.batches, framework="pt") as f:
        meta = f.metadata() or {}
        fx = {k: f.get_tensor(k) for k in f.keys()}
    h = dict(DEFAULTS)
    h.update(json.loads(meta.get("hyperparameters", "{}")))
    h["warmup_steps"] = int(h["warmup_steps"])
    opt = make_optimizer(model, h)
    steps = fx["ecg"].shape[0]
    total = int(meta.get("total_steps", steps))
    results = []
    for s in range(steps):
        batch = (fx["ecg"][s], fx["ppg"][s], fx["ecg_vis"][s] > 0.5, fx["ppg_vis"][s] > 0.5)
        results.append(train_step(model, opt, batch, s, total, h))
    if a.out_checkpoint:
        save_checkpoint(model, a.out_checkpoint)
    json.dump(results, sys.stdout)


def cmd_bench(a):
    """Times full training steps (forward, objective, backward, clip, AdamW) on CPU: random
    z-scored sines, masks from training_masks, the given threads. Prints JSON with the wall
    and process-CPU seconds of every timed step (after one warm-up step)."""
    torch.set_num_threads(a.threads)
    torch.manual_seed(a.seed)
    model = M2AE(M2AEConfig.preset(a.config))
    h = dict(DEFAULTS)
    opt = make_optimizer(model, h)
    from model_oracle import segments
    g = torch.Generator().manual_seed(a.seed)
    ecg, ppg = segments(a.batch_size, g), segments(a.batch_size, g)
    wall, cpu = [], []
    for r in range(a.repeats + 1):
        ev, pv = training_masks(a.batch_size, model.config.num_patches, h, g)
        t0, c0 = time.perf_counter(), time.process_time()
        train_step(model, opt, (ecg, ppg, ev, pv), r, a.repeats + 1, h)
        if r > 0:
            wall.append(time.perf_counter() - t0)
            cpu.append(time.process_time() - c0)
    json.dump({"wall": wall, "cpu": cpu, "threads": torch.get_num_threads(), "torch": torch.__version__}, sys.stdout)


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = p.add_subparsers(dest="cmd", required=True)
    f = sub.add_parser("fit", help="train on an m2ae store")
    f.add_argument("--store", required=True)
    f.add_argument("--config", default="small", choices=["small", "tiny"])
    f.add_argument("--epochs", type=int, default=20)
    f.add_argument("--batch-size", type=int, default=64,
                   help="segments per optimiser step, over all processes of a torchrun job")
    f.add_argument("--max-steps", type=int, default=0, help="stop each epoch after this many steps (0: the whole epoch)")
    f.add_argument("--losses", metavar="JSON", help="write the loss parts of every step (a list of objects) here")
    f.add_argument("--lr", type=float, default=DEFAULTS["lr"])
    f.add_argument("--p-drop", type=float, default=DEFAULTS["p_drop"],
                   help="probability that one whole modality is dropped from a segment")
    f.add_argument("--from", dest="init_from", metavar="CKPT",
                   help="fine-tune: start from this checkpoint's weights (fresh optimiser and schedule)")
    f.add_argument("--val-fraction", type=float, default=0.1)
    f.add_argument("--seed", type=int, default=0)
    f.add_argument("--resume", action="store_true", help="continue the run saved at --out (model + state)")
    f.add_argument("--out", required=True)
    s = sub.add_parser("steps", help="replay a fixture and print the loss parts per step")
    s.add_argument("--init", required=True)
    s.add_argument("--batches", required=True)
    s.add_argument("--out-checkpoint")
    b = sub.add_parser("bench", help="time training steps on CPU (JSON seconds per step)")
    b.add_argument("--config", default="small", choices=["small", "tiny"])
    b.add_argument("--batch-size", type=int, default=64)
    b.add_argument("--threads", type=int, default=1)
    b.add_argument("--repeats", type=int, default=5)
    b.add_argument("--seed", type=int, default=0)
    a = p.parse_args()
    {"fit": cmd_fit, "steps": cmd_steps, "bench": cmd_bench}[a.cmd](a)


if __name__ == "__main__":
    main()
