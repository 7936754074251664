"""PyTorch reference of the M2AE model (docs/model.md, "Design").

The same architecture, parameter names and safetensors checkpoints as the Swift engine
(`Sources/Model`): the test oracle, the benchmark peer, and a trainer for users with GPUs.

Shapes: B segments, T = 50 patches of P = 25 samples per modality, d encoder width,
f fingerprint width, dd decoder width. Inputs are z-scored (Signals.Preprocessing.prepare).
Visibility masks are (B, T) booleans per modality; an absent modality is all False.
"""
from __future__ import annotations

import json
import math
from dataclasses import asdict, dataclass

import torch
import torch.nn as nn
import torch.nn.functional as F

FORMAT = "m2ae"
FORMAT_VERSION = "1"


# ---------------------------------------------------------------------------------------------
# Config

@dataclass
class M2AEConfig:
    """Hyper-parameters; JSON keys match the Swift `M2AEConfig` (snake_case)."""
    name: str
    d_model: int
    encoder_layers: int
    encoder_heads: int
    shared_layers: int
    fingerprint_dim: int
    decoder_dim: int
    decoder_layers: int
    decoder_heads: int
    patch_size: int = 25
    num_patches: int = 50
    mlp_ratio: int = 4

    def json(self) -> str:
        return json.dumps(asdict(self), sort_keys=True, separators=(",", ":"))

    @staticmethod
    def preset(name: str) -> "M2AEConfig":
        if name == "small":
            return M2AEConfig("small", 128, 3, 4, 2, 128, 64, 1, 2)
        if name == "tiny":
            return M2AEConfig("tiny", 32, 1, 2, 1, 16, 16, 1, 1)
        raise ValueError(f"unknown config preset {name!r} (small, tiny)")


# ---------------------------------------------------------------------------------------------
# Layers

class Attention(nn.Module):
    """Multi-head self-attention; qkv is one Linear(C, 3C) laid out [q | k | v], head h at h*hs."""

    def __init__(self, C: int, NH: int):
        super().__init__()
        self.NH = NH
        self.qkv = nn.Linear(C, 3 * C)
        self.proj = nn.Linear(C, C)

    def forward(self, x: torch.Tensor) -> torch.Tensor:  # x (B, L, C)
        B, L, C = x.shape
        q, k, v = self.qkv(x).split(C, dim=2)
        q, k, v = (t.view(B, L, self.NH, C // self.NH).transpose(1, 2) for t in (q, k, v))
        y = F.scaled_dot_product_attention(q, k, v)  # scale 1/sqrt(hs), no dropout, no mask
        return self.proj(y.transpose(1, 2).reshape(B, L, C))


class MLP(nn.Module):
    def __init__(self, C: int, H: int):
        super().__init__()
        self.fc1 = nn.Linear(C, H)
        self.fc2 = nn.Linear(H, C)

    def forward(self, x):
        return self.fc2(F.gelu(self.fc1(x), approximate="tanh"))


class Block(nn.Module):
    """Pre-norm transformer block: x + attn(ln1(x)), then x + mlp(ln2(x))."""

    def __init__(self, C: int, NH: int, ratio: int):
        super().__init__()
        self.ln1 = nn.LayerNorm(C, eps=1e-5)
        self.attn = Attention(C, NH)
        self.ln2 = nn.LayerNorm(C, eps=1e-5)
        self.mlp = MLP(C, ratio * C)

    def forward(self, x):
        x = x + self.attn(self.ln1(x))
        return x + self.mlp(self.ln2(x))


class ModalityEncoder(nn.Module):
    """Patch embedding (Linear(P, d) + position + modality embedding) and L_e blocks."""

    def __init__(self, c: M2AEConfig):
        super().__init__()
        self.patch_embed = nn.Linear(c.patch_size, c.d_model)
        self.pos_embed = nn.Parameter(torch.zeros(c.num_patches, c.d_model))
        self.modality_embed = nn.Parameter(torch.zeros(c.d_model))
        self.encoder = nn.ModuleList(Block(c.d_model, c.encoder_heads, c.mlp_ratio) for _ in range(c.encoder_layers))
        self.P, self.T = c.patch_size, c.num_patches

    def embed(self, x):  # x (B, T*P) -> (B, T, d), every patch
        return self.patch_embed(x.view(x.shape[0], self.T, self.P)) + self.pos_embed + self.modality_embed

    def forward(self, tokens):  # (B, n, d) visible embedded tokens
        for blk in self.encoder:
            tokens = blk(tokens)
        return tokens


class Bottleneck(nn.Module):
    """L_s shared blocks, LayerNorm, Linear(d, f)."""

    def __init__(self, c: M2AEConfig):
        super().__init__()
        self.blocks = nn.ModuleList(Block(c.d_model, c.encoder_heads, c.mlp_ratio) for _ in range(c.shared_layers))
        self.norm = nn.LayerNorm(c.d_model, eps=1e-5)
        self.proj = nn.Linear(c.d_model, c.fingerprint_dim)

    def forward(self, x):  # (B, n, d) -> (B, n, f)
        for blk in self.blocks:
            x = blk(x)
        return self.proj(self.norm(x))


class Decoder(nn.Module):
    """Linear(f, dd) on the bottleneck tokens; the T tokens of its modality (embedded bottleneck
    token where visible, mask token where hidden) + position embedding appended; L_d blocks;
    LayerNorm; Linear(dd, P) on the last T tokens."""

    def __init__(self, c: M2AEConfig):
        super().__init__()
        self.embed = nn.Linear(c.fingerprint_dim, c.decoder_dim)
        self.mask_token = nn.Parameter(torch.zeros(c.decoder_dim))
        self.pos_embed = nn.Parameter(torch.zeros(c.num_patches, c.decoder_dim))
        self.blocks = nn.ModuleList(Block(c.decoder_dim, c.decoder_heads, c.mlp_ratio) for _ in range(c.decoder_layers))
        self.norm = nn.LayerNorm(c.decoder_dim, eps=1e-5)
        self.head = nn.Linear(c.decoder_dim, c.patch_size)
        self.T = c.num_patches

    def forward(self, z, vis_idx, start):
        """z (G, n, f) bottleneck tokens; vis_idx (G, k) visible positions of this modality,
        whose bottleneck tokens are z[:, start:start+k]. Returns (G, T, P)."""
        G = z.shape[0]
        ctx = self.embed(z)
        tokens = self.mask_token.expand(G, self.T, -1).clone()
        k = vis_idx.shape[1]
        if k > 0:
            tokens.scatter_(1, vis_idx.unsqueeze(-1).expand(-1, -1, ctx.shape[2]), ctx[:, start:start + k])
        x = torch.cat([ctx, tokens + self.pos_embed], dim=1)
        for blk in self.blocks:
            x = blk(x)
        return self.head(self.norm(x[:, -self.T:]))


def sine_cosine(rows: int, width: int) -> torch.Tensor:
    """(rows, width) position table: row t = [sin(t*w_i) for i < width//2, cos(t*w_i) ...],
    w_i = 10000^(-2i/width); an odd width leaves the last column 0."""
    half = width // 2
    t = torch.arange(rows, dtype=torch.float64)[:, None]
    w = 10000.0 ** (-2.0 * torch.arange(half, dtype=torch.float64) / width)
    table = torch.zeros(rows, width, dtype=torch.float64)
    table[:, :half] = torch.sin(t * w)
    table[:, half:2 * half] = torch.cos(t * w)
    return table.float()


# ---------------------------------------------------------------------------------------------
# Model

class M2AE(nn.Module):
    def __init__(self, c: M2AEConfig):
        super().__init__()
        self.config = c
        self.ecg = ModalityEncoder(c)
        self.ppg = ModalityEncoder(c)
        self.bottleneck = Bottleneck(c)
        self.ecg_decoder = Decoder(c)
        self.ppg_decoder = Decoder(c)
        self.init_weights()

    def init_weights(self, generator: torch.Generator | None = None):
        """Training init (the Swift `M2AEModel.random` recipe, MAE's): Linear weight matrices
        Xavier-uniform, position embeddings the 1-D sine-cosine table (still trainable),
        modality embeddings and mask tokens N(0, 0.02), zero biases, unit LayerNorms."""
        for name, p in self.named_parameters():
            with torch.no_grad():
                if name.endswith("pos_embed"):
                    p.copy_(sine_cosine(*p.shape))
                elif p.dim() == 2:
                    nn.init.xavier_uniform_(p, generator=generator)
                elif name.endswith("bias"):
                    p.zero_()
                elif ".ln" in name or name.endswith("norm.weight"):
                    p.fill_(1.0)
                else:
                    p.normal_(0.0, 0.02, generator=generator)

    # -- inference fast path: every token visible ------------------------------------------------
    def fingerprints_all(self, ecg, ppg):
        """All three fingerprint modes of segments with both modalities present.
        ecg, ppg (B, T*P) -> (both, ecg_only, ppg_only), each (B, f), L2-normalised.
        The modality encoders are shared by the three modes (they see only their own tokens)."""
        te = self.ecg(self.ecg.embed(ecg))
        tp = self.ppg(self.ppg.embed(ppg))
        both = self.bottleneck(torch.cat([te, tp], dim=1))
        only_e = self.bottleneck(te)
        only_p = self.bottleneck(tp)
        return tuple(F.normalize(z.mean(1), dim=-1, eps=0.0) for z in (both, only_e, only_p))

    # -- general forward: any visibility masks ----------------------------------------------------
    def forward(self, ecg, ppg, ecg_vis, ppg_vis):
        """ecg, ppg (B, T*P); ecg_vis, ppg_vis (B, T) bool. Returns a dict:
        fingerprint (B, f); ecg_recon, ppg_recon (B, T*P) predictions of every patch;
        ecg_tokens (Ne, d), ppg_tokens (Np, d) encoder outputs and bottleneck (Nb, f), packed in
        segment order, each segment's visible tokens in position order (ECG before PPG)."""
        B = ecg.shape[0]
        c = self.config
        ne, np_ = ecg_vis.sum(1), ppg_vis.sum(1)
        if bool(((ne + np_) == 0).any()):
            raise ValueError("a segment has no visible token")
        out = {
            "fingerprint": ecg.new_zeros(B, c.fingerprint_dim),
            "ecg_recon": ecg.new_zeros(B, c.num_patches * c.patch_size),
            "ppg_recon": ecg.new_zeros(B, c.num_patches * c.patch_size),
        }
        packed = {"ecg_tokens": [None] * B, "ppg_tokens": [None] * B, "bottleneck": [None] * B}
        ee, ep = self.ecg.embed(torch.nan_to_num(ecg)), self.ppg.embed(torch.nan_to_num(ppg))
        keys = sorted({(int(a), int(b)) for a, b in zip(ne, np_)})
        for ke, kp in keys:
            idx = torch.nonzero((ne == ke) & (np_ == kp)).squeeze(1)
            vis_e = _positions(ecg_vis[idx], ke)
            vis_p = _positions(ppg_vis[idx], kp)
            te = self.ecg(_gather(ee[idx], vis_e))
            tp = self.ppg(_gather(ep[idx], vis_p))
            z = self.bottleneck(torch.cat([te, tp], dim=1))
            out["fingerprint"][idx] = F.normalize(z.mean(1), dim=-1, eps=0.0)
            out["ecg_recon"][idx] = self.ecg_decoder(z, vis_e, 0).flatten(1)
            out["ppg_recon"][idx] = self.ppg_decoder(z, vis_p, ke).flatten(1)
            for j, b in enumerate(idx.tolist()):
                packed["ecg_tokens"][b] = te[j]
                packed["ppg_tokens"][b] = tp[j]
                packed["bottleneck"][b] = z[j]
        for k, rows in packed.items():
            out[k] = torch.cat(rows, dim=0)
        return out


def _positions(vis, k):
    """(G, T) bool -> (G, k) long: the visible positions of each row, ascending."""
    G, T = vis.shape
    order = torch.argsort((~vis).to(torch.int8) * T + torch.arange(T), dim=1)
    return order[:, :k]


def _gather(tokens, idx):
    """tokens (G, T, d), idx (G, k) -> (G, k, d)."""
    return torch.gather(tokens, 1, idx.unsqueeze(-1).expand(-1, -1, tokens.shape[2]))


# ---------------------------------------------------------------------------------------------
# Checkpoints (safetensors, config JSON in __metadata__)

def save_checkpoint(model: M2AE, path: str) -> None:
    from safetensors.torch import save_file
    tensors = {k: v.detach().contiguous().float() for k, v in model.state_dict().items()}
    save_file(tensors, path, metadata={"format": FORMAT, "format_version": FORMAT_VERSION,
                                       "config": model.config.json()})


def load_checkpoint(path: str) -> M2AE:
    from safetensors import safe_open
    with safe_open(path, framework="pt") as f:
        meta = f.metadata() or {}
        if meta.get("format") != FORMAT:
            raise ValueError(f"{path}: not an m2ae checkpoint (metadata format={meta.get('format')!r})")
        cfg = json.loads(meta["config"])
        model = M2AE(M2AEConfig(**cfg))
        state = {k: f.get_tensor(k) for k in f.keys()}
    model.load_state_dict(state, strict=True)
    return model


def complementary_masks(B: int, T: int, ratio: float, generator: torch.Generator):
    """Training masks: ECG hidden at a random set of floor(ratio*T) positions, PPG at the rest."""
    k = math.floor(ratio * T)
    hidden = torch.zeros(B, T, dtype=torch.bool)
    for b in range(B):
        hidden[b, torch.randperm(T, generator=generator)[:k]] = True
    return ~hidden, hidden
