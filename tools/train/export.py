"""Writes a model directory that vla-node loads: config.json, model.safetensors (F32, the
engine's tensor names straight from ``state_dict()``), dataset_statistics.json and a
SentencePiece tokenizer.model (copied, or trained on the instructions).

    python tools/train/export.py --config CONFIG.json --statistics STATS.json \\
        (--tokenizer tokenizer.model | --instructions INSTRUCTIONS.txt) [--weights STATE.pt | --seed N] --out DIR

``--weights`` is a ``torch.save(model.state_dict())`` file; without it the model is freshly
initialised from ``--seed``. The cognition suffix ids in config.json are the tokenizer's
``"▁"`` piece and EOS (LLaMA-2: 29871, 2).
"""
from __future__ import annotations

import argparse
import json
import shutil
import sys
from pathlib import Path

import sentencepiece as spm
import torch
from safetensors.numpy import save_file

from cogact_model import CogACT, initialize

TOOLS = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(TOOLS / "convert"))
sys.path.insert(0, str(TOOLS / "demo"))
from cogact_layout import LayoutError, check_shapes  # noqa: E402  (tools/convert: the engine's name and shape table)
from train_tokenizer import train as train_tokenizer  # noqa: E402  (tools/demo: LLaMA-2-style BPE settings)


class ExportError(Exception):
    """The inputs do not make a loadable model directory; the message says which and why."""


def build_model(config: dict, seed: int) -> CogACT:
    """A freshly initialised model, deterministic for ``seed``."""
    torch.manual_seed(seed)
    return initialize(CogACT(config))


def instruction_corpus(instructions: list[str], prompt: str) -> list[str]:
    """Each instruction inside the prompt (lower-cased, as at inference) and on its own."""
    return [text for instruction in instructions for text in (prompt.format(instruction=instruction.lower()), instruction)]


def suffix_ids(tokenizer: Path, vocab: int) -> list[int]:
    """``[id("▁"), EOS]`` of ``tokenizer``, checking that its pieces fit the embedding table."""
    sp = spm.SentencePieceProcessor(model_file=str(tokenizer))
    if sp.get_piece_size() > vocab:
        raise ExportError(f"{tokenizer} has {sp.get_piece_size()} pieces but llm.vocab is {vocab}")
    space = sp.piece_to_id("▁")
    if space == sp.unk_id():
        raise ExportError(f"{tokenizer} has no '▁' piece for the cognition suffix")
    return [space, sp.eos_id()]


def export(model: CogACT, statistics: dict, out: Path, tokenizer: Path | None = None,
           instructions: list[str] | None = None) -> dict:
    """Writes the model directory ``out`` and returns the config.json written. Exactly one of
    ``tokenizer`` (copied) and ``instructions`` (a tokenizer is trained on them) is given."""
    if (tokenizer is None) == (instructions is None):
        raise ExportError("give either a tokenizer to copy or instructions to train one on")
    config = json.loads(json.dumps(model.config))
    tensors = {name: value.detach().to(torch.float32).contiguous().numpy() for name, value in model.state_dict().items()}
    check_shapes({name: array.shape for name, array in tensors.items()}, config)
    out.mkdir(parents=True, exist_ok=True)
    if tokenizer is not None:
        shutil.copyfile(tokenizer, out / "tokenizer.model")
    else:
        train_tokenizer(instruction_corpus(instructions, config["prompt"]), str(out / "tokenizer.model"),
                        vocab_size=config["llm"]["vocab"], hard_vocab_limit=False)
    ids = suffix_ids(out / "tokenizer.model", config["llm"]["vocab"])
    if tokenizer is not None and config.get("cognition_suffix_ids", ids) != ids:
        raise ExportError(f"config cognition_suffix_ids {config['cognition_suffix_ids']} differ from {tokenizer}'s {ids}")
    config["cognition_suffix_ids"] = ids
    save_file(tensors, str(out / "model.safetensors"), metadata={"format": "pt", "producer": "tools/train/export.py"})
    (out / "config.json").write_text(json.dumps(config, indent=2) + "\n")
    (out / "dataset_statistics.json").write_text(json.dumps(statistics, indent=2) + "\n")
    return config


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--config", type=Path, required=True, help="config.json (docs/checkpoint-format.md schema)")
    parser.add_argument("--statistics", type=Path, required=True, help="dataset_statistics.json to write")
    source = parser.add_mutually_exclusive_group(required=True)
    source.add_argument("--tokenizer", type=Path, help="SentencePiece model to copy")
    source.add_argument("--instructions", type=Path, help="text file, one instruction a line, to train a tokenizer on")
    weights = parser.add_mutually_exclusive_group()
    weights.add_argument("--weights", type=Path, help="torch.save(model.state_dict()) file")
    weights.add_argument("--seed", type=int, default=0, help="seed of a fresh initialisation (default 0)")
    parser.add_argument("--out", type=Path, required=True, help="model directory to write")
    args = parser.parse_args(argv)

    config = json.loads(args.config.read_text())
    model = build_model(config, args.seed)
    if args.weights is not None:
        model.load_state_dict(torch.load(args.weights, map_location="cpu", weights_only=True))
    instructions = None
    if args.instructions is not None:
        instructions = [line.strip() for line in args.instructions.read_text().splitlines() if line.strip()]
    try:
        export(model, json.loads(args.statistics.read_text()), args.out, args.tokenizer, instructions)
    except (ExportError, LayoutError) as error:
        sys.exit(f"export: {error}")
    print("wrote", args.out)


if __name__ == "__main__":
    torch.set_num_threads(2)
    main()
