"""Training samples from a directory of episode bags (tools/sim/episode_bag.py format).

A sample is step k of an episode: frame k (image_size² × 3 uint8), the instruction's input_ids as the
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
from typing import NamedTuple

import numpy as np
import sentencepiece as spm
import torch
from torch.utils.data import Dataset

from auxiliary import standardisation, state_targets
from export import instruction_corpus, suffix_ids, train_tokenizer
from normalization import action_statistics, normalize

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "sim"))
from episode_bag import read_episode_frames, read_episode_observations  # noqa: E402

MASK = [True] * 6 + [False]
UNNORM_KEY = "metaworld"
PAD_ID = 0  # right padding after the last real id; causal attention keeps it out of the cognition


class Episode(NamedTuple):
    """One bag: its instruction, frames ``[steps, S, S, 3]`` uint8, actions ``[steps, 7]`` and the
    simulator observations ``[steps, 39]`` (None when the bag has no ``/sim/observation`` topic)."""
    instruction: str
    frames: np.ndarray
    actions: np.ndarray
    observations: np.ndarray | None


def read_bags(directory: Path) -> list[Episode]:
    """Every ``*.mcap`` episode under ``directory``, in sorted path order."""
    paths = sorted(Path(directory).rglob("*.mcap"))
    if not paths:
        raise ValueError(f"no .mcap episode bags under {directory}")
    return [Episode(*read_episode_frames(path)[1:], read_episode_observations(path)) for path in paths]


def dataset_statistics(episodes: list[Episode]) -> dict:
    """dataset_statistics.json content: ``{UNNORM_KEY: {"action": …}}`` over all actions."""
    actions = np.concatenate([episode[2] for episode in episodes])
    return {UNNORM_KEY: {"action": action_statistics(actions, MASK)}}


def write_tokenizer(episodes: list[Episode], config: dict, path: Path) -> None:
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
    """Every step of every episode; item = (frame uint8 [S, S, 3], input_ids [n] long, chunk [horizon, 7]
    float32, standardised state [9] float32 or None). States (auxiliary.py) are given when every
    episode has observations."""

    def __init__(self, episodes: list[Episode], config: dict, tokenizer: Path, statistics: dict):
        self.horizon = config["action"]["horizon"]
        stats = statistics[UNNORM_KEY]["action"]
        ids = {text: prompt_ids(tokenizer, config, text) for text in {episode.instruction for episode in episodes}}
        states = [None] * len(episodes)
        if all(episode.observations is not None for episode in episodes):
            targets = [state_targets(episode.observations) for episode in episodes]
            mean, std = standardisation(targets)
            states = [torch.from_numpy((target - mean) / std) for target in targets]
        self.has_states = states[0] is not None
        self.episodes = [(torch.tensor(ids[episode.instruction]), episode.frames, normalize(episode.actions, stats), state)
                         for episode, state in zip(episodes, states)]
        self.index = [(e, k) for e, (_, frames, _, _) in enumerate(self.episodes) for k in range(len(frames))]

    def __len__(self) -> int:
        return len(self.index)

    def __getitem__(self, item: int) -> tuple[np.ndarray, torch.Tensor, torch.Tensor, torch.Tensor | None]:
        episode, step = self.index[item]
        ids, frames, actions, states = self.episodes[episode]
        state = states[step] if states is not None else None
        return frames[step], ids, torch.from_numpy(action_chunk(actions, step, self.horizon)), state


def collate(samples: list) -> tuple[list[np.ndarray], torch.Tensor, torch.Tensor, torch.Tensor, torch.Tensor | None]:
    """(frames, input_ids right-padded with PAD_ID [B, n_max], id counts [B], chunks [B, horizon, 7],
    states [B, 9] or None)."""
    frames, ids, chunks, states = zip(*samples)
    lengths = torch.tensor([len(row) for row in ids])
    padded = torch.full((len(ids), int(lengths.max())), PAD_ID, dtype=torch.long)
    for row, values in enumerate(ids):
        padded[row, :len(values)] = values
    stacked = torch.stack(states) if all(state is not None for state in states) else None
    return list(frames), padded, lengths, torch.stack(chunks), stacked
