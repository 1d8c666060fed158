"""LLaMA-2 as CogACT uses it: a causal decoder whose final-RMSNorm state at the last position
is the cognition feature. Names follow Hugging Face transformers (``embed_tokens``,
``layers.{i}.self_attn.{q,k,v,o}_proj``, ``layers.{i}.mlp.{gate,up,down}_proj``,
``layers.{i}.{input,post_attention}_layernorm``, ``norm``); there is no ``lm_head``.
"""
from __future__ import annotations

import torch
from torch import nn
from torch.nn import functional as F


class RMSNorm(nn.Module):
    """``x · rsqrt(mean(x²) + ε) · w``."""

    def __init__(self, width: int, eps: float):
        super().__init__()
        self.weight = nn.Parameter(torch.ones(width))
        self.eps = eps

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return x * torch.rsqrt(x.pow(2).mean(-1, keepdim=True) + self.eps) * self.weight


def rotary_tables(positions: torch.Tensor, head_dim: int, theta: float) -> tuple[torch.Tensor, torch.Tensor]:
    """Cosines and sines ``[L, head_dim]`` of the rotate-half RoPE layout, in fp32."""
    inverse = 1.0 / theta ** (torch.arange(0, head_dim, 2, dtype=torch.float32) / head_dim)
    angles = positions.to(torch.float32)[:, None] * inverse[None, :]
    angles = torch.cat([angles, angles], dim=-1)
    return angles.cos(), angles.sin()


def rotate(x: torch.Tensor, cos: torch.Tensor, sin: torch.Tensor) -> torch.Tensor:
    """``x·cos + rotate_half(x)·sin`` with ``rotate_half(x) = [−x₂, x₁]``."""
    first, second = x.chunk(2, dim=-1)
    return x * cos + torch.cat([-second, first], dim=-1) * sin


class LlamaAttention(nn.Module):
    """Causal attention with RoPE on q and k, no biases, grouped kv heads when ``kv_heads < heads``."""

    def __init__(self, llm: dict):
        super().__init__()
        hidden, self.heads, self.kv_heads = llm["hidden"], llm["heads"], llm["kv_heads"]
        self.head_dim = hidden // self.heads
        self.q_proj = nn.Linear(hidden, hidden, bias=False)
        self.k_proj = nn.Linear(hidden, self.kv_heads * self.head_dim, bias=False)
        self.v_proj = nn.Linear(hidden, self.kv_heads * self.head_dim, bias=False)
        self.o_proj = nn.Linear(hidden, hidden, bias=False)

    def queries(self, x: torch.Tensor, cos: torch.Tensor, sin: torch.Tensor) -> torch.Tensor:
        """RoPE-rotated queries ``[B, heads, L, head_dim]`` of ``[B, L, hidden]`` rows at ``cos``/``sin``'s positions."""
        batch, length, _ = x.shape
        return rotate(self.q_proj(x).view(batch, length, self.heads, self.head_dim).transpose(1, 2), cos, sin)

    def keys_values(self, x: torch.Tensor, cos: torch.Tensor, sin: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        """RoPE-rotated keys and the values, ``[B, heads, L, head_dim]`` each (kv heads repeated per group)."""
        batch, length, _ = x.shape
        k = self.k_proj(x).view(batch, length, self.kv_heads, self.head_dim).transpose(1, 2)
        v = self.v_proj(x).view(batch, length, self.kv_heads, self.head_dim).transpose(1, 2)
        group = self.heads // self.kv_heads
        return rotate(k, cos, sin).repeat_interleave(group, dim=1), v.repeat_interleave(group, dim=1)

    def output(self, attended: torch.Tensor) -> torch.Tensor:
        """``o_proj`` of ``[B, heads, L, head_dim]`` attention outputs → ``[B, L, hidden]``."""
        batch, _, length, _ = attended.shape
        return self.o_proj(attended.transpose(1, 2).reshape(batch, length, self.heads * self.head_dim))

    def forward(self, x: torch.Tensor, cos: torch.Tensor, sin: torch.Tensor) -> torch.Tensor:
        k, v = self.keys_values(x, cos, sin)
        return self.output(F.scaled_dot_product_attention(self.queries(x, cos, sin), k, v, is_causal=True))


class LlamaMLP(nn.Module):
    """SwiGLU: ``down(silu(gate(x)) · up(x))``."""

    def __init__(self, hidden: int, intermediate: int):
        super().__init__()
        self.gate_proj = nn.Linear(hidden, intermediate, bias=False)
        self.up_proj = nn.Linear(hidden, intermediate, bias=False)
        self.down_proj = nn.Linear(intermediate, hidden, bias=False)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.down_proj(F.silu(self.gate_proj(x)) * self.up_proj(x))


class LlamaLayer(nn.Module):
    """``h += attn(norm₁ h); h += mlp(norm₂ h)``."""

    def __init__(self, llm: dict):
        super().__init__()
        self.self_attn = LlamaAttention(llm)
        self.mlp = LlamaMLP(llm["hidden"], llm["intermediate"])
        self.input_layernorm = RMSNorm(llm["hidden"], llm["rms_norm_eps"])
        self.post_attention_layernorm = RMSNorm(llm["hidden"], llm["rms_norm_eps"])

    def forward(self, h: torch.Tensor, cos: torch.Tensor, sin: torch.Tensor) -> torch.Tensor:
        h = h + self.self_attn(self.input_layernorm(h), cos, sin)
        return h + self.mlp(self.post_attention_layernorm(h))


class LlamaModel(nn.Module):
    """Token embeddings, decoder layers and the final norm (``llm_backbone.llm.model``)."""

    def __init__(self, llm: dict):
        super().__init__()
        self.theta = llm["rope_theta"]
        self.embed_tokens = nn.Embedding(llm["vocab"], llm["hidden"])
        self.layers = nn.ModuleList(LlamaLayer(llm) for _ in range(llm["layers"]))
        self.norm = RMSNorm(llm["hidden"], llm["rms_norm_eps"])

    def forward(self, embeddings: torch.Tensor) -> list[torch.Tensor]:
        """The layer states of a causal prefill over ``[B, L, hidden]`` input embeddings at
        positions ``0..L−1``: the input, each layer's output, then the final norm of the last."""
        head_dim = embeddings.shape[-1] // self.layers[0].self_attn.heads
        cos, sin = rotary_tables(torch.arange(embeddings.shape[1]), head_dim, self.theta)
        states = [embeddings]
        for layer in self.layers:
            states.append(layer(states[-1], cos, sin))
        states.append(self.norm(states[-1]))
        return states


class CognitionPrefill(nn.Module):
    """The cognition feature ``[B, hidden]`` of a prefill, computed the way the engine does: every
    layer but the last over all rows; the last one computes keys and values for all rows but the
    query, attention output and MLP only for the last row; then the final norm of that row. Equal
    to ``LlamaModel(embeddings)[-1][:, -1]`` with a last layer of 1/L the work (tools/bench/torch_peer.py)."""

    def __init__(self, llama: LlamaModel):
        super().__init__()
        self.llama = llama

    def forward(self, embeddings: torch.Tensor) -> torch.Tensor:
        llama = self.llama
        attention = llama.layers[-1].self_attn
        cos, sin = rotary_tables(torch.arange(embeddings.shape[1]), attention.head_dim, llama.theta)
        h = embeddings
        for layer in llama.layers[:-1]:
            h = layer(h, cos, sin)
        last = llama.layers[-1]
        x = last.input_layernorm(h)
        k, v = attention.keys_values(x, cos, sin)
        attended = F.scaled_dot_product_attention(attention.queries(x[:, -1:], cos[-1:], sin[-1:]), k, v)  # sees every key
        row = h[:, -1:] + attention.output(attended)
        row = row + last.mlp(last.post_attention_layernorm(row))
        return llama.norm(row)[:, -1]


class CausalLM(nn.Module):
    """Holder giving the ``llm.model.`` name prefix of Hugging Face's LlamaForCausalLM."""

    def __init__(self, llm: dict):
        super().__init__()
        self.model = LlamaModel(llm)


class LLMBackbone(nn.Module):
    """Holder giving Prismatic's ``llm_backbone.llm.`` prefix."""

    def __init__(self, llm: dict):
        super().__init__()
        self.llm = CausalLM(llm)
