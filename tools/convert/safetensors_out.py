"""Streaming safetensors writer, shard planning and read-back verification.

Format: 8-byte little-endian header length, a JSON header
``{name: {"dtype", "shape", "data_offsets": [begin, end]}, "__metadata__": {...}}`` padded with
spaces to a multiple of 8 bytes, then the tensors' bytes back to back in header order.
Shards follow the Hugging Face convention: ``model-0000k-of-0000N.safetensors`` plus
``model.safetensors.index.json`` ``{"metadata": {"total_size": bytes}, "weight_map": {name: file}}``.
"""

from __future__ import annotations

import json
import os
import re
import struct
from dataclasses import dataclass
from typing import Callable, Iterable

import numpy as np

from dtypes import ITEMSIZE

SINGLE_FILE = "model.safetensors"
INDEX_FILE = "model.safetensors.index.json"
METADATA = {"format": "pt"}


class OutputError(Exception):
    """Writing or verifying the output failed; the message names the file and the problem."""


@dataclass(frozen=True)
class PlannedTensor:
    """A tensor to write: its output name, dtype and shape."""

    name: str
    dtype: str
    shape: tuple[int, ...]

    @property
    def nbytes(self) -> int:
        count = ITEMSIZE[self.dtype]
        for dim in self.shape:
            count *= dim
        return count


def parse_size(text: str) -> int:
    """``"4GB"`` → 4·10⁹ bytes, ``"4GiB"`` → 4·2³⁰ (Hugging Face's convention); plain digits are bytes."""
    match = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*([KMGT]?i?B)?\s*", text, re.IGNORECASE)
    if not match:
        raise ValueError(f"cannot read size {text!r}; write e.g. 4GB, 500MB or 2GiB")
    number, unit = float(match.group(1)), (match.group(2) or "B").upper()
    powers = {"B": 1, "KB": 10**3, "MB": 10**6, "GB": 10**9, "TB": 10**12,
              "KIB": 2**10, "MIB": 2**20, "GIB": 2**30, "TIB": 2**40}
    if unit not in powers:
        raise ValueError(f"unknown size unit in {text!r}")
    size = int(number * powers[unit])
    if size <= 0:
        raise ValueError(f"shard size must be positive, got {text!r}")
    return size


def plan_shards(tensors: list[PlannedTensor], shard_size: int) -> list[list[PlannedTensor]]:
    """Tensors sorted by name, split greedily so no shard's data exceeds ``shard_size``
    (a single tensor larger than the limit gets a shard of its own)."""
    shards: list[list[PlannedTensor]] = [[]]
    used = 0
    for tensor in sorted(tensors, key=lambda t: t.name):
        if shards[-1] and used + tensor.nbytes > shard_size:
            shards.append([])
            used = 0
        shards[-1].append(tensor)
        used += tensor.nbytes
    return shards


def shard_file_names(count: int) -> list[str]:
    """``model.safetensors`` for one shard, else the numbered Hugging Face names."""
    if count == 1:
        return [SINGLE_FILE]
    return [f"model-{k:05d}-of-{count:05d}.safetensors" for k in range(1, count + 1)]


def header_bytes(tensors: list[PlannedTensor]) -> bytes:
    """The length prefix and space-padded JSON header for ``tensors`` laid out in list order."""
    header: dict = {"__metadata__": METADATA}
    offset = 0
    for tensor in tensors:
        header[tensor.name] = {"dtype": tensor.dtype, "shape": list(tensor.shape), "data_offsets": [offset, offset + tensor.nbytes]}
        offset += tensor.nbytes
    text = json.dumps(header, separators=(",", ":")).encode("utf-8")
    text += b" " * (-len(text) % 8)
    return struct.pack("<Q", len(text)) + text


def write_file(path: str, tensors: list[PlannedTensor], produce: Callable[[PlannedTensor], np.ndarray],
               written: Callable[[PlannedTensor], None] = lambda _: None) -> None:
    """Writes one safetensors file, asking ``produce`` for each tensor's data in turn (one in memory at a
    time) and telling ``written`` when its bytes are out."""
    with open(path, "wb") as out:
        out.write(header_bytes(tensors))
        for tensor in tensors:
            data = np.ascontiguousarray(produce(tensor))
            if data.nbytes != tensor.nbytes or tuple(data.shape) != tensor.shape:
                raise OutputError(f"{tensor.name}: produced {list(data.shape)} ({data.nbytes} bytes), planned {list(tensor.shape)} {tensor.dtype}")
            out.write(memoryview(data).cast("B"))
            del data
            written(tensor)


def write_index(directory: str, shards: list[list[PlannedTensor]], names: list[str]) -> None:
    """Writes ``model.safetensors.index.json`` for a sharded output."""
    weight_map = {t.name: name for shard, name in zip(shards, names) for t in shard}
    index = {"metadata": {"total_size": sum(t.nbytes for shard in shards for t in shard)},
             "weight_map": dict(sorted(weight_map.items()))}
    with open(os.path.join(directory, INDEX_FILE), "w") as out:
        json.dump(index, out, indent=2)
        out.write("\n")


def read_header(path: str) -> dict:
    """The JSON header of a safetensors file (without ``__metadata__``), checked for a sane layout."""
    size = os.path.getsize(path)
    with open(path, "rb") as stream:
        prefix = stream.read(8)
        if len(prefix) != 8:
            raise OutputError(f"{path}: shorter than a safetensors length prefix")
        (length,) = struct.unpack("<Q", prefix)
        if length > size - 8:
            raise OutputError(f"{path}: header length {length} exceeds the file")
        header = json.loads(stream.read(length))
    header.pop("__metadata__", None)
    end = max((entry["data_offsets"][1] for entry in header.values()), default=0)
    if 8 + length + end != size:
        raise OutputError(f"{path}: data ends at {8 + length + end}, file has {size} bytes")
    return header


def verify(directory: str, shards: list[list[PlannedTensor]], names: list[str]) -> None:
    """Re-reads every written header and checks each tensor's name, dtype, shape and byte range."""
    for shard, name in zip(shards, names):
        header = read_header(os.path.join(directory, name))
        planned = {t.name: t for t in shard}
        if set(header) != set(planned):
            missing, extra = sorted(set(planned) - set(header)), sorted(set(header) - set(planned))
            raise OutputError(f"{name}: tensors differ from the plan (missing {missing[:5]}, unexpected {extra[:5]})")
        for key, entry in header.items():
            tensor = planned[key]
            begin, end = entry["data_offsets"]
            if entry["dtype"] != tensor.dtype or tuple(entry["shape"]) != tensor.shape or end - begin != tensor.nbytes:
                raise OutputError(f"{name}: {key} is {entry['dtype']} {entry['shape']} ({end - begin} bytes), "
                                  f"expected {tensor.dtype} {list(tensor.shape)}")
    if len(names) > 1:
        with open(os.path.join(directory, INDEX_FILE)) as stream:
            weight_map = json.load(stream)["weight_map"]
        expected = {t.name: name for shard, name in zip(shards, names) for t in shard}
        if weight_map != expected:
            raise OutputError(f"{INDEX_FILE}: weight_map does not match the written shards")


def remove_stale_outputs(directory: str, keep: Iterable[str]) -> None:
    """Deletes safetensors files and the index from an earlier run that this run does not write."""
    keep = set(keep)
    for entry in os.listdir(directory):
        stale = entry == INDEX_FILE or entry == SINGLE_FILE or re.fullmatch(r"model-\d{5}-of-\d{5}\.safetensors", entry)
        if stale and entry not in keep:
            os.remove(os.path.join(directory, entry))
