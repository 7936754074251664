"""Gradient oracle for the Swift trainer (Tests/TrainingTests/GradientParityTests.swift).

Writes into --out:
  model.safetensors   random weights (model_oracle.randomise: every term O(1), nothing trivially 0/1)
  case.safetensors    one batch, its masks, the loss parts and every parameter's gradient:
    ecg, ppg (B, 1250)          z-scored synthetic segments
    ecg_vis, ppg_vis (B, 50)    0/1 visibility: both fully visible, ECG only, PPG only, half ECG
                                only, half PPG only, then complementary masks and random drops
    loss, recon, recon_ecg, recon_ppg, contrastive, retrieval_top1   (1,) each
    grad.<name>                 d loss / d <name> by autograd, for every parameter
Usage: python3 reference/train_oracle.py --config tiny --seed 3 --batch 12 --out DIR
"""
import argparse
import os
import sys

import torch
from safetensors.torch import save_file

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from m2ae import M2AE, M2AEConfig, save_checkpoint  # noqa: E402
from model_oracle import randomise, segments  # noqa: E402
from train import DEFAULTS, objective, training_masks  # noqa: E402


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--config", default="tiny")
    ap.add_argument("--seed", type=int, default=3)
    ap.add_argument("--batch", type=int, default=12)
    ap.add_argument("--out", required=True)
    a = ap.parse_args()
    torch.set_num_threads(1)
    g = torch.Generator().manual_seed(a.seed)
    cfg = M2AEConfig.preset(a.config)
    model = M2AE(cfg)
    randomise(model, g)
    os.makedirs(a.out, exist_ok=True)
    save_checkpoint(model, os.path.join(a.out, "model.safetensors"))

    B, T = max(a.batch, 8), cfg.num_patches
    h = dict(DEFAULTS)
    ecg, ppg = segments(B, g), segments(B, g)
    ecg_vis, ppg_vis = training_masks(B, T, h, g)
    ecg_vis[0], ppg_vis[0] = True, True            # both fully visible (joint sequence of 2T)
    ecg_vis[1], ppg_vis[1] = True, False           # ECG only
    ecg_vis[2], ppg_vis[2] = False, True           # PPG only
    ecg_vis[3, :T // 2], ppg_vis[3] = False, False  # half the ECG only
    ecg_vis[4], ppg_vis[4, T // 2:] = False, False  # half the PPG only
    ecg_vis[3, T // 2:] = True
    ppg_vis[4, :T // 2] = True
    parts = objective(model, ecg, ppg, ecg_vis, ppg_vis, h)
    parts["loss"].backward()
    case = {"ecg": ecg, "ppg": ppg, "ecg_vis": ecg_vis.float(), "ppg_vis": ppg_vis.float()}
    for k, v in parts.items():
        case[k] = v.detach().reshape(1)
    for name, p in model.named_parameters():
        case["grad." + name] = p.grad
    save_file({k: v.contiguous().float() for k, v in case.items()}, os.path.join(a.out, "case.safetensors"))


if __name__ == "__main__":
    main()
