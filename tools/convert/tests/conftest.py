"""Shared paths and helpers for the converter tests (run: python -m pytest tools/convert/tests)."""

import json
import os
import struct
import sys
import zipfile

import numpy as np
import pytest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))

PACKAGE_ROOT = os.path.abspath(os.path.join(HERE, "..", "..", ".."))
FIXTURES = os.path.join(PACKAGE_ROOT, "Tests", "InferenceTests", "ConverterFixtures")
MINI = os.path.join(FIXTURES, "cogact-mini.pt")
EXPECTED = os.path.join(FIXTURES, "cogact-mini-expected.safetensors")
TINY = os.path.join(PACKAGE_ROOT, "Tests", "Fixtures", "cogact-tiny", "model")
# The tiny fixture's head counts (the released head sizes would give other counts at these widths).
TINY_HEADS = ["--set", "vision.dino.heads=4", "--set", "vision.siglip.heads=4", "--set", "llm.heads=4", "--set", "action.heads=4"]

_NUMPY = {"F32": "<f4", "F16": "<f2", "BF16": "<u2", "I64": "<i8", "F64": "<f8"}


def load_safetensors(path):
    """{name: (dtype, array)} from a safetensors file (BF16 as uint16 bits); a reader written for the tests."""
    with open(path, "rb") as stream:
        data = stream.read()
    (length,) = struct.unpack("<Q", data[:8])
    header = json.loads(data[8:8 + length])
    header.pop("__metadata__", None)
    tensors = {}
    for name, entry in header.items():
        begin, end = entry["data_offsets"]
        array = np.frombuffer(data[8 + length + begin: 8 + length + end], dtype=_NUMPY[entry["dtype"]])
        tensors[name] = (entry["dtype"], array.reshape(entry["shape"]))
    return tensors


def load_model_directory(directory):
    """All tensors of a converted directory, following the shard index when there is one."""
    index = os.path.join(directory, "model.safetensors.index.json")
    if not os.path.exists(index):
        return load_safetensors(os.path.join(directory, "model.safetensors"))
    with open(index) as stream:
        files = sorted(set(json.load(stream)["weight_map"].values()))
    tensors = {}
    for name in files:
        tensors.update(load_safetensors(os.path.join(directory, name)))
    return tensors


def rewrite_checkpoint(source, destination, transform_pickle, compression=zipfile.ZIP_STORED):
    """Copies a torch zip checkpoint with data.pkl replaced by transform_pickle(bytes)."""
    with zipfile.ZipFile(source) as zin, zipfile.ZipFile(destination, "w", compression) as zout:
        for info in zin.infolist():
            payload = zin.read(info.filename)
            if info.filename.endswith("/data.pkl"):
                payload = transform_pickle(payload)
            zout.writestr(info.filename, payload)


def pickle_checkpoint(path, obj):
    """A torch-style zip whose data.pkl is `obj` pickled (no tensors): for malformed-layout inputs."""
    import pickle
    with zipfile.ZipFile(path, "w", zipfile.ZIP_STORED) as archive:
        archive.writestr("archive/data.pkl", pickle.dumps(obj, protocol=2))
        archive.writestr("archive/byteorder", "little")
        archive.writestr("archive/version", "3\n")


@pytest.fixture(scope="session")
def tiny():
    return load_safetensors(os.path.join(TINY, "model.safetensors"))


@pytest.fixture(scope="session")
def expected():
    return load_safetensors(EXPECTED)


def convert_arguments(out, *extra):
    return ["--checkpoint", MINI, "--statistics", os.path.join(TINY, "dataset_statistics.json"),
            "--tokenizer", os.path.join(TINY, "tokenizer.model"), "--out", str(out), *TINY_HEADS, *extra]
