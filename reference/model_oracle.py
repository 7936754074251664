"""Parity oracle for the Swift M2AE forward pass (Tests/ModelTests/ParityTests.swift).

Writes into --out:
  model.safetensors   random weights (every tensor, LayerNorms included, randomised so that no
                      term is trivially zero or one), config JSON in __metadata__
  case.safetensors    inputs and PyTorch outputs:
    ecg, ppg (B, 1250)            z-scored synthetic segments
    ecg_vis, ppg_vis (B, 50)      visibility masks as 0/1 floats, covering: both fully visible,
                                  ECG only, PPG only, complementary masks, partial single modality
    fingerprint (B, f)            general forward
    ecg_recon, ppg_recon (B, 1250)
    ecg_tokens (Ne, d), ppg_tokens (Np, d), bottleneck (Nb, f)   packed intermediates
    fp_both, fp_ecg, fp_ppg (B, f) the all-visible fast path (three fingerprint modes)
Usage: python3 reference/model_oracle.py --config tiny --seed 1 --batch 9 --out DIR
"""
import argparse
import math
import os
import sys

import torch
from safetensors.torch import save_file

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from m2ae import M2AE, M2AEConfig, complementary_masks, save_checkpoint  # noqa: E402


def randomise(model: M2AE, g: torch.Generator) -> None:
    """Weights ~ N(0, 1/fan_in) (activations stay O(1) through every layer); LayerNorm gains
    1 + N(0, 0.2); biases, embeddings and the mask token N(0, 0.2)."""
    with torch.no_grad():
        for name, p in model.named_parameters():
            if p.dim() == 2 and not name.endswith("pos_embed"):
                p.copy_(torch.randn(p.shape, generator=g) / math.sqrt(p.shape[1]))
            elif (".ln" in name or name.endswith("norm.weight")) and name.endswith("weight"):
                p.copy_(1 + 0.2 * torch.randn(p.shape, generator=g))
            else:
                p.copy_(0.2 * torch.randn(p.shape, generator=g))


def segments(B: int, g: torch.Generator) -> torch.Tensor:
    """(B, 1250) z-scored sums of random sines plus noise."""
    t = torch.arange(1250, dtype=torch.float32) / 125.0
    x = torch.zeros(B, 1250)
    for _ in range(3):
        f = 0.5 + 8 * torch.rand(B, 1, generator=g)
        ph = 6.28 * torch.rand(B, 1, generator=g)
        x += torch.rand(B, 1, generator=g) * torch.sin(6.2832 * f * t + ph)
    x += 0.3 * torch.randn(B, 1250, generator=g)
    return (x - x.mean(1, keepdim=True)) / x.std(1, keepdim=True, unbiased=False)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--config", default="tiny")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--batch", type=int, default=9)
    ap.add_argument("--out", required=True)
    a = ap.parse_args()
    torch.set_num_threads(1)
    g = torch.Generator().manual_seed(a.seed)
    cfg = M2AEConfig.preset(a.config)
    model = M2AE(cfg).eval()
    randomise(model, g)
    os.makedirs(a.out, exist_ok=True)
    save_checkpoint(model, os.path.join(a.out, "model.safetensors"))

    B, T = max(a.batch, 6), cfg.num_patches
    ecg, ppg = segments(B, g), segments(B, g)
    ecg_vis, ppg_vis = complementary_masks(B, T, 0.5, g)
    ecg_vis[0], ppg_vis[0] = True, True            # ECG+PPG, everything visible
    ecg_vis[1], ppg_vis[1] = True, False           # ECG only (PPG -> reconstructed from ECG)
    ecg_vis[2], ppg_vis[2] = False, True           # PPG only (ECG from PPG)
    ppg_vis[3] = False                             # half the ECG only
    ecg_vis[4] = False                             # half the PPG only
    with torch.no_grad():
        out = model(ecg, ppg, ecg_vis, ppg_vis)
        fb, fe, fp = model.fingerprints_all(ecg, ppg)
    case = {"ecg": ecg, "ppg": ppg, "ecg_vis": ecg_vis.float(), "ppg_vis": ppg_vis.float(),
            "fp_both": fb, "fp_ecg": fe, "fp_ppg": fp}
    case.update(out)
    save_file({k: v.contiguous().float() for k, v in case.items()}, os.path.join(a.out, "case.safetensors"))


if __name__ == "__main__":
    main()
