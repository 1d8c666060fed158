"""Training samples from a directory of episode bags (tools/sim/episode_bag.py format).

A sample is step k of an episode: frame k (224×224×3 uint8), the instruction's input_ids as the
engine builds them (BOS + SentencePiece tokens of the lower-cased prompt + cognition suffix ids)
and the normalised action chunk of steps k..k+horizon−1. Near the episode end the chunk is
padded by repeating the last action: the expert's last action is the best guess of what follows
(the hand holding its final command), and it keeps every step of the episode a training sample
instead of dropping the last horizon−1 frames.

Statistics are OpenVLA/CogACT's: q01/q99 over every action of every bag, with the mask
``[True] * 6 + [False]`` (all dimensions normalised except the gripper, which is kept as
recorded). MetaWorld's rotation dimensions are constant zero, so q01 == q99 and they normalise to 0.
"""
from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import sentencepiece as spm
import torch
from torch.utils.data import Dataset

from export import instruction_corpus, suffix_ids, train_tokenizer
from normalization import action_statistics, normalize

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "sim"))
from episode_bag import read_episode_frames  # noqa: E402

MASK = [True] * 6 + [False]
UNNORM_KEY = "metaworld"
PAD_ID = 0  # right padding after the last real id; causal attention keeps it out of the cognition


def read_bags(directory: Path) -> list[tuple[str, np.ndarray, np.ndarray]]:
    """(instruction, frames, actions) of every ``*.mcap`` under ``directory``, in sorted path order."""
    paths = sorted(Path(directory).rglob("*.mcap"))
    if not paths:
        raise ValueError(f"no .mcap episode bags under {directory}")
    return [read_episode_frames(path)[1:] for path in paths]


def dataset_statistics(episodes: list[tuple[str, np.ndarray, np.ndarray]]) -> dict:
    """dataset_statistics.json content: ``{UNNORM_KEY: {"action": …}}`` over all actions."""
    actions = np.concatenate([episode[2] for episode in episodes])
    return {UNNORM_KEY: {"action": action_statistics(actions, MASK)}}


def write_tokenizer(episodes: list[tuple[str, np.ndarray, np.ndarray]], config: dict, path: Path) -> None:
    """Trains the SentencePiece model on the episodes' instructions with export.py's settings."""
    instructions = sorted({episode[0] for episode in episodes})
    train_tokenizer(instruction_corpus(instructions, config["prompt"]), str(path),
                    vocab_size=config["llm"]["vocab"], hard_vocab_limit=False)


def prompt_ids(tokenizer: Path, config: dict, instruction: str) -> list[int]:
    """The engine's input_ids: BOS + tokens of the prompt around the lower-cased instruction + suffix ids."""
    sp = spm.SentencePieceProcessor(model_file=str(tokenizer))
    prompt = config["prompt"].format(instruction=instruction.lower())
    return [sp.bos_id()] + sp.encode(prompt) + suffix_ids(tokenizer, config["llm"]["vocab"])


def action_chunk(actions: np.ndarray, step: int, horizon: int) -> np.ndarray:
    """``actions[step : step + horizon]``, padded by repeating the last action."""
    indices = np.minimum(np.arange(step, step + horizon), len(actions) - 1)
    return actions[indices]


class EpisodeDataset(Dataset):
    """Every step of every episode; item = (frame uint8 [S, S, 3], input_ids [n] long, chunk [horizon, 7] float32)."""

    def __init__(self, episodes: list[tuple[str, np.ndarray, np.ndarray]], config: dict, tokenizer: Path,
                 statistics: dict):
        self.horizon = config["action"]["horizon"]
        stats = statistics[UNNORM_KEY]["action"]
        ids = {text: prompt_ids(tokenizer, config, text) for text in {episode[0] for episode in episodes}}
        self.episodes = [(torch.tensor(ids[text]), frames, normalize(actions, stats)) for text, frames, actions in episodes]
        self.index = [(e, k) for e, (_, frames, _) in enumerate(self.episodes) for k in range(len(frames))]

    def __len__(self) -> int:
        return len(self.index)

    def __getitem__(self, item: int) -> tuple[np.ndarray, torch.Tensor, torch.Tensor]:
        episode, step = self.index[item]
        ids, frames, actions = self.episodes[episode]
        return frames[step], ids, torch.from_numpy(action_chunk(actions, step, self.horizon))


def collate(samples: list) -> tuple[list[np.ndarray], torch.Tensor, torch.Tensor, torch.Tensor]:
    """(frames, input_ids right-padded with PAD_ID [B, n_max], id counts [B], chunks [B, horizon, 7])."""
    frames, ids, chunks = zip(*samples)
    lengths = torch.tensor([len(row) for row in ids])
    padded = torch.full((len(ids), int(lengths.max())), PAD_ID, dtype=torch.long)
    for row, values in enumerate(ids):
        padded[row, :len(values)] = values
    return list(frames), padded, lengths, torch.stack(chunks)
