"""The CogACT policy network assembled from a config dict in the config.json schema
(docs/checkpoint-format.md). ``state_dict()`` keys are exactly the engine's tensor names, so a
model directory is a rename-free dump and a model directory loads with ``load_state_dict``.
"""
from __future__ import annotations

import torch
from torch import nn

from dit import ActionModel
from llama import LLMBackbone
from vision import Projector, VisionBackbone


class CogACT(nn.Module):
    """Vision towers → projector → LLaMA (cognition feature) → DiT ε-prediction head."""

    def __init__(self, config: dict):
        super().__init__()
        self.config = config
        vision, hidden = config["vision"], config["llm"]["hidden"]
        self.vision_backbone = VisionBackbone(vision)
        self.projector = Projector(vision["dino"]["width"] + vision["siglip"]["width"], hidden)
        self.llm_backbone = LLMBackbone(config["llm"])
        self.action_model = ActionModel(config["action"], hidden)

    @property
    def dit(self) -> nn.Module:
        return self.action_model.net

    def encode_image(self, dino_pixels: torch.Tensor, siglip_pixels: torch.Tensor) -> torch.Tensor:
        """Projected patches ``[B, patches, hidden]`` of ``[B, 3, S, S]`` normalised pixels."""
        return self.projector(self.vision_backbone(dino_pixels, siglip_pixels))

    def llm_input(self, projected: torch.Tensor, input_ids: torch.Tensor) -> torch.Tensor:
        """``[emb(BOS), projected patches, emb(ids[1:])]`` for ``[B, n]`` ids (BOS first)."""
        embeddings = self.llm_backbone.llm.model.embed_tokens(input_ids)
        return torch.cat([embeddings[:, :1], projected, embeddings[:, 1:]], dim=1)

    def llm_states(self, projected: torch.Tensor, input_ids: torch.Tensor) -> list[torch.Tensor]:
        """The input embeddings, each layer's output and the final norm (see ``LlamaModel``)."""
        return self.llm_backbone.llm.model(self.llm_input(projected, input_ids))

    def cognition(self, projected: torch.Tensor, input_ids: torch.Tensor,
                  lengths: torch.Tensor | None = None) -> torch.Tensor:
        """The cognition feature ``[B, hidden]``: final-norm state at the last cognition suffix id,
        the last position, or with ``lengths`` (real id counts of right-padded rows) position
        ``patches + lengths − 1``; attention is causal, so the padding after it changes nothing."""
        final = self.llm_states(projected, input_ids)[-1]
        if lengths is None:
            return final[:, -1]
        return final[torch.arange(len(final)), projected.shape[1] + lengths - 1]


def initialize(model: CogACT, layer_scale: float = 0.1, std: float = 0.02) -> CogACT:
    """Gives the parameters that torch leaves at zero or one a start for training from scratch:
    positions, CLS/register tokens and the null condition ``N(0, std)``, LayerScale ``γ = layer_scale``.
    Linear, convolution and embedding layers keep torch's default initialisation (seed torch first)."""
    with torch.no_grad():
        for name, parameter in model.named_parameters():
            if name.endswith(("pos_embed", "cls_token", "reg_token", "positional_embedding", "uncondition")):
                parameter.normal_(0, std)
            elif name.endswith(".gamma"):
                parameter.fill_(layer_scale)
    return model
