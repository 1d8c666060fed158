#!/usr/bin/env python3
"""Converts a released CogACT checkpoint (``CogACT-{Small,Base,Large}.pt``) into a vla-node
model directory (docs/checkpoint-format.md): safetensors weights named ``<module>.<key>``,
config.json, dataset_statistics.json and tokenizer.model.

Needs only numpy: the torch zip format is read directly and memory-mapped, one tensor at a
time, so converting the 30 GB CogACT-Base needs little RAM beyond the largest tensor.

    python tools/convert/convert_cogact.py --checkpoint CogACT-Base.pt \\
        --statistics dataset_statistics.json --tokenizer tokenizer.model --out models/cogact-base --dtype bf16
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import time

import cogact_layout as layout
import dtypes
import safetensors_out as out
from torch_zip import CheckpointError, CheckpointReader, TensorRef

DTYPE_CHOICES = {"keep": None, "f32": "F32", "f16": "F16", "bf16": "BF16"}


def parse_arguments(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--checkpoint", required=True, help="released CogACT .pt (torch zip checkpoint)")
    parser.add_argument("--statistics", required=True, help="the hub's dataset_statistics.json")
    parser.add_argument("--tokenizer", required=True, help="LLaMA-2 SentencePiece tokenizer.model")
    parser.add_argument("--out", required=True, help="model directory to create (or update)")
    parser.add_argument("--dtype", choices=sorted(DTYPE_CHOICES), default="keep",
                        help="element type of the vision, projector and LLaMA weights (action_model.* is always F32); "
                             "keep = as stored (default)")
    parser.add_argument("--shard-size", default="4GB", help="largest shard, e.g. 4GB, 500MB, 2GiB (default 4GB)")
    parser.add_argument("--keep-all", action="store_true", help="also write the tensors inference never reads")
    parser.add_argument("--set", action="append", default=[], metavar="PATH=VALUE",
                        help="override a config.json value, e.g. --set llm.heads=4 (head counts are not in the weights; "
                             "the defaults assume the released head sizes)")
    return parser.parse_args(argv)


class Conversion:
    """One run: reads the checkpoint's tensor table, plans, writes and verifies the output."""

    def __init__(self, arguments: argparse.Namespace):
        self.arguments = arguments
        self.vlm_dtype = DTYPE_CHOICES[arguments.dtype]
        self.shard_size = out.parse_size(arguments.shard_size)
        self.overrides = dict(layout.parse_override(text) for text in arguments.set)
        for path in (arguments.statistics, arguments.tokenizer):
            if not os.path.isfile(path):
                raise FileNotFoundError(f"{path}: no such file")
        self._check_statistics(arguments.statistics)

    def run(self) -> None:
        started = time.monotonic()
        with CheckpointReader(self.arguments.checkpoint) as reader:
            flat = layout.flatten(reader.root)
            tensors = self._tensors(flat)
            shapes = {name: tensor.shape for name, tensor in tensors.items()}
            config = layout.infer_config(shapes, self.overrides)
            layout.check_shapes(shapes, config)
            kept = {name: t for name, t in tensors.items() if self.arguments.keep_all or not layout.is_unused(name, config)}
            self._check_dtypes(kept)
            plan = [out.PlannedTensor(name, self._output_dtype(name, t), t.shape) for name, t in kept.items()]
            shards = out.plan_shards(plan, self.shard_size)
            names = out.shard_file_names(len(shards))
            os.makedirs(self.arguments.out, exist_ok=True)
            out.remove_stale_outputs(self.arguments.out, names)
            for index, (shard, name) in enumerate(zip(shards, names), start=1):
                print(f"writing {name} ({len(shard)} tensors, {_gigabytes(sum(t.nbytes for t in shard))}) [{index}/{len(shards)}]", flush=True)
                out.write_file(os.path.join(self.arguments.out, name), shard,
                               produce=lambda planned: self._produce(reader, kept, planned),
                               written=lambda planned: reader.release(kept[planned.name]))
        if len(shards) > 1:
            out.write_index(self.arguments.out, shards, names)
        self._write_config(config)
        shutil.copyfile(self.arguments.statistics, os.path.join(self.arguments.out, "dataset_statistics.json"))
        shutil.copyfile(self.arguments.tokenizer, os.path.join(self.arguments.out, "tokenizer.model"))
        out.verify(self.arguments.out, shards, names)
        self._summarise(config, tensors, plan, names, time.monotonic() - started)

    # -- steps -------------------------------------------------------------------------------------

    @staticmethod
    def _tensors(flat: dict[str, object]) -> dict[str, TensorRef]:
        for name, value in flat.items():
            if not isinstance(value, TensorRef):
                raise layout.LayoutError(f"{name} is a {type(value).__name__}, not a tensor")
        return flat  # type: ignore[return-value]

    @staticmethod
    def _check_dtypes(tensors: dict[str, TensorRef]) -> None:
        for name, tensor in tensors.items():
            if tensor.dtype not in ("F32", "F16", "BF16", "F64"):
                raise CheckpointError(f"unknown dtype: {name} is stored as torch.{tensor.storage.storage_type.name}; "
                                      "CogACT weights are floating point (F32, F16, BF16)")

    def _output_dtype(self, name: str, tensor: TensorRef) -> str:
        """Action model (and any non-VLM module) F32; the VLM as --dtype asks, F64 narrowed to F32."""
        if name.split(".", 1)[0] not in layout.VLM_MODULES:
            return "F32"
        return self.vlm_dtype or ("F32" if tensor.dtype == "F64" else tensor.dtype)

    @staticmethod
    def _produce(reader: CheckpointReader, tensors: dict[str, TensorRef], planned: out.PlannedTensor):
        tensor = tensors[planned.name]
        return dtypes.convert(reader.read(tensor), tensor.dtype, planned.dtype)

    def _write_config(self, config: dict) -> None:
        with open(os.path.join(self.arguments.out, "config.json"), "w") as stream:
            json.dump(config, stream, indent=2)
            stream.write("\n")

    @staticmethod
    def _check_statistics(path: str) -> None:
        try:
            with open(path) as stream:
                statistics = json.load(stream)
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
            raise ValueError(f"{path} is not valid JSON ({error})") from None
        if not isinstance(statistics, dict) or not statistics or not all(
                isinstance(entry, dict) and isinstance(entry.get("action"), dict) for entry in statistics.values()):
            raise ValueError(f"{path} is not dataset statistics: expected {{unnorm_key: {{\"action\": {{\"q01\", \"q99\", ...}}}}}}")

    def _summarise(self, config: dict, tensors: dict, plan: list, names: list[str], seconds: float) -> None:
        by_dtype: dict[str, int] = {}
        for tensor in plan:
            by_dtype[tensor.dtype] = by_dtype.get(tensor.dtype, 0) + tensor.nbytes
        vision, llm, action = config["vision"], config["llm"], config["action"]
        print(f"verified {len(plan)} tensors in {len(names)} file(s) "
              f"({', '.join(f'{d} {_gigabytes(b)}' for d, b in sorted(by_dtype.items()))}); "
              f"skipped {len(tensors) - len(plan)} unused tensors" + ("" if not self.arguments.keep_all else " (--keep-all)"))
        print(f"DINO {vision['dino']['width']}×{vision['dino']['depth']}, SigLIP {vision['siglip']['width']}×{vision['siglip']['depth']} "
              f"(feature layers {vision['dino']['feature_layer']}/{vision['siglip']['feature_layer']}), "
              f"LLaMA {llm['hidden']}×{llm['layers']} vocab {llm['vocab']}, "
              f"DiT-{layout.dit_size(config)} {action['hidden']}×{action['depth']} heads {action['heads']}")
        print(f"wrote {self.arguments.out} in {seconds:.1f} s")


def _gigabytes(count: int) -> str:
    return f"{count / 1e9:.2f} GB" if count >= 1e8 else f"{count / 1e6:.2f} MB"


def main(argv: list[str] | None = None) -> int:
    arguments = parse_arguments(sys.argv[1:] if argv is None else argv)
    try:
        Conversion(arguments).run()
    except (CheckpointError, layout.LayoutError, out.OutputError, ValueError, OSError) as error:
        print(f"convert_cogact: error: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
