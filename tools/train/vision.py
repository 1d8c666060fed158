"""The two vision towers of CogACT (timm ViT layout, cut at ``feature_layer``) and the fused
GELU MLP projector.

Parameter names follow timm so that ``state_dict()`` matches the engine's tensor names:
``patch_embed.proj``, ``pos_embed``, ``cls_token`` / ``reg_token`` (DINOv2 only),
``blocks.{i}.{norm1,attn.qkv,attn.proj,ls1.gamma,norm2,mlp.fc1,mlp.fc2,ls2.gamma}``.
Only blocks ``0..feature_layer`` exist; there is no final norm and no attention-pool head.
"""
from __future__ import annotations

import torch
from torch import nn
from torch.nn import functional as F


class LayerScale(nn.Module):
    """DINOv2's per-channel residual scale ``γ ⊙ x``."""

    def __init__(self, width: int):
        super().__init__()
        self.gamma = nn.Parameter(torch.ones(width))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return x * self.gamma


class SelfAttention(nn.Module):
    """Bidirectional multi-head self-attention with a fused ``qkv`` projection (rows q, k, v;
    head-major within each) and an output ``proj``, as timm's ``Attention`` (also the DiT's)."""

    def __init__(self, width: int, heads: int):
        super().__init__()
        self.heads = heads
        self.qkv = nn.Linear(width, 3 * width)
        self.proj = nn.Linear(width, width)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        batch, tokens, width = x.shape
        q, k, v = self.qkv(x).view(batch, tokens, 3, self.heads, width // self.heads).permute(2, 0, 3, 1, 4)
        out = F.scaled_dot_product_attention(q, k, v)
        return self.proj(out.transpose(1, 2).reshape(batch, tokens, width))


class Mlp(nn.Module):
    """``fc2(act(fc1(x)))``; ``approximate`` selects the erf (ViT) or tanh (DiT) GELU."""

    def __init__(self, width: int, hidden: int, approximate: str):
        super().__init__()
        self.fc1 = nn.Linear(width, hidden)
        self.fc2 = nn.Linear(hidden, width)
        self.approximate = approximate

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.fc2(F.gelu(self.fc1(x), approximate=self.approximate))


class ViTBlock(nn.Module):
    """Pre-LN block ``x += γ₁ ⊙ attn(LN₁ x); x += γ₂ ⊙ mlp(LN₂ x)``; γ only with LayerScale."""

    def __init__(self, width: int, heads: int, mlp_dim: int, eps: float, layer_scale: bool):
        super().__init__()
        self.norm1 = nn.LayerNorm(width, eps=eps)
        self.attn = SelfAttention(width, heads)
        self.ls1 = LayerScale(width) if layer_scale else nn.Identity()
        self.norm2 = nn.LayerNorm(width, eps=eps)
        self.mlp = Mlp(width, mlp_dim, approximate="none")
        self.ls2 = LayerScale(width) if layer_scale else nn.Identity()

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = x + self.ls1(self.attn(self.norm1(x)))
        return x + self.ls2(self.mlp(self.norm2(x)))


class PatchEmbed(nn.Module):
    """Non-overlapping ``patch × patch`` convolution, patches in row-major order."""

    def __init__(self, width: int, patch: int):
        super().__init__()
        self.proj = nn.Conv2d(3, width, kernel_size=patch, stride=patch)

    def forward(self, pixels: torch.Tensor) -> torch.Tensor:
        return self.proj(pixels).flatten(2).transpose(1, 2)


class ViT(nn.Module):
    """A ViT tower returning the patch tokens after block ``feature_layer`` (no final norm).

    With ``register_tokens`` in the tower config (DINOv2) a CLS token and the registers are
    prepended *after* the positions are added to the patches, and dropped from the output.
    """

    def __init__(self, tower: dict, image_size: int, patch_size: int):
        super().__init__()
        width, patches = tower["width"], (image_size // patch_size) ** 2
        self.registers = tower.get("register_tokens")
        self.patch_embed = PatchEmbed(width, patch_size)
        self.pos_embed = nn.Parameter(torch.zeros(1, patches, width))
        if self.registers is not None:
            self.cls_token = nn.Parameter(torch.zeros(1, 1, width))
            self.reg_token = nn.Parameter(torch.zeros(1, self.registers, width))
        self.blocks = nn.ModuleList(
            ViTBlock(width, tower["heads"], tower["mlp_dim"], tower["layer_norm_eps"], self.registers is not None)
            for _ in range(tower["feature_layer"] + 1))

    @property
    def prefix_tokens(self) -> int:
        return 0 if self.registers is None else 1 + self.registers

    def forward(self, pixels: torch.Tensor) -> torch.Tensor:
        """``[B, 3, S, S]`` normalised pixels → ``[B, patches, width]``."""
        x = self.patch_embed(pixels) + self.pos_embed
        if self.registers is not None:
            batch = x.shape[0]
            x = torch.cat([self.cls_token.expand(batch, -1, -1), self.reg_token.expand(batch, -1, -1), x], dim=1)
        for block in self.blocks:
            x = block(x)
        return x[:, self.prefix_tokens:]


class VisionBackbone(nn.Module):
    """DINOv2 and SigLIP towers; features concatenated on channels, DINO first."""

    def __init__(self, vision: dict):
        super().__init__()
        self.dino_featurizer = ViT(vision["dino"], vision["image_size"], vision["patch_size"])
        self.siglip_featurizer = ViT(vision["siglip"], vision["image_size"], vision["patch_size"])

    def forward(self, dino_pixels: torch.Tensor, siglip_pixels: torch.Tensor) -> torch.Tensor:
        return torch.cat([self.dino_featurizer(dino_pixels), self.siglip_featurizer(siglip_pixels)], dim=2)


class Projector(nn.Module):
    """Prismatic's FusedMLPProjector: ``fused → 4·fused → GELU → hidden → GELU → hidden``."""

    def __init__(self, fused_width: int, hidden: int):
        super().__init__()
        self.projector = nn.Sequential(nn.Linear(fused_width, 4 * fused_width), nn.GELU(),
                                       nn.Linear(4 * fused_width, hidden), nn.GELU(), nn.Linear(hidden, hidden))

    def forward(self, features: torch.Tensor) -> torch.Tensor:
        return self.projector(features)
