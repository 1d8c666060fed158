"""Lazy, torch-free reader of PyTorch's zip checkpoint format (``torch.save`` since 1.6).

A checkpoint is an uncompressed zip archive ``<prefix>/data.pkl`` + ``<prefix>/data/<key>``:
the pickle holds the object tree, and every tensor is a call to
``torch._utils._rebuild_tensor_v2(storage, offset, size, stride, ...)`` whose storage is a
persistent id ``("storage", torch.<Type>Storage, key, location, numel)`` naming the raw
little-endian bytes in ``<prefix>/data/<key>``.

This module unpickles only that vocabulary (anything else is refused, so a hostile pickle
cannot run code) and returns :class:`TensorRef` objects that read nothing until asked: the
storages are memory-mapped from the zip, so a 30 GB checkpoint costs page cache, not RAM.
"""

from __future__ import annotations

import collections
import mmap
import pickle
import struct
import zipfile
from dataclasses import dataclass

import numpy as np


class CheckpointError(Exception):
    """The checkpoint cannot be read; the message says what is wrong and what to do."""


@dataclass(frozen=True)
class StorageType:
    """A torch storage class from the pickle, e.g. ``torch.FloatStorage``."""

    name: str
    dtype: str  # "F32", "F16", "BF16", "F64"; "" for storage types the engine cannot use

    @property
    def itemsize(self) -> int:
        return {"F64": 8, "F32": 4, "F16": 2, "BF16": 2}.get(self.dtype, 0)


# Storage classes torch pickles, and the safetensors dtype of their elements.
_FLOAT_STORAGES = {
    "FloatStorage": "F32",
    "HalfStorage": "F16",
    "BFloat16Storage": "BF16",
    "DoubleStorage": "F64",
}
# Storage classes that are valid torch but hold no floating-point weights for this engine.
_OTHER_STORAGES = {
    "LongStorage", "IntStorage", "ShortStorage", "CharStorage", "ByteStorage", "BoolStorage",
    "ComplexFloatStorage", "ComplexDoubleStorage", "QInt8Storage", "QUInt8Storage", "QInt32Storage",
}

# numpy element type used to view each dtype's raw bytes (BF16 is kept as its bit pattern).
NUMPY_BITS = {"F64": np.dtype("<f8"), "F32": np.dtype("<f4"), "F16": np.dtype("<f2"), "BF16": np.dtype("<u2")}


@dataclass(frozen=True)
class Storage:
    """One ``data/<key>`` member of the archive: ``numel`` elements of ``storage_type``."""

    key: str
    storage_type: StorageType
    numel: int


@dataclass(frozen=True)
class TensorRef:
    """A tensor described by the pickle; :meth:`CheckpointReader.read` materialises it."""

    storage: Storage
    offset: int
    shape: tuple[int, ...]
    stride: tuple[int, ...]

    @property
    def dtype(self) -> str:
        return self.storage.storage_type.dtype

    @property
    def numel(self) -> int:
        count = 1
        for dim in self.shape:
            count *= dim
        return count


def _rebuild_tensor(storage, storage_offset, size, stride, *_ignored) -> TensorRef:
    """Stand-in for ``torch._utils._rebuild_tensor_v2`` (requires_grad, hooks, metadata ignored)."""
    if not isinstance(storage, Storage):
        raise CheckpointError("malformed checkpoint: a tensor's storage is not a persistent storage reference")
    ints = (storage_offset, *size, *stride)
    if not all(isinstance(v, int) and v >= 0 for v in ints) or len(size) != len(stride):
        raise CheckpointError(f"malformed checkpoint: bad tensor geometry offset={storage_offset} size={size} stride={stride}")
    return TensorRef(storage, storage_offset, tuple(size), tuple(stride))


def _rebuild_parameter(data, _requires_grad, _hooks, *_ignored) -> TensorRef:
    """Stand-in for ``torch._utils._rebuild_parameter``: a Parameter is its data."""
    if not isinstance(data, TensorRef):
        raise CheckpointError("malformed checkpoint: a parameter does not wrap a tensor")
    return data


class _RestrictedUnpickler(pickle.Unpickler):
    """Unpickles the torch checkpoint vocabulary and nothing else."""

    _ALLOWED = {
        ("collections", "OrderedDict"): collections.OrderedDict,
        ("torch._utils", "_rebuild_tensor_v2"): _rebuild_tensor,
        ("torch._utils", "_rebuild_parameter"): _rebuild_parameter,
    }

    def find_class(self, module, name):
        if (module, name) in self._ALLOWED:
            return self._ALLOWED[(module, name)]
        if module == "torch" and name in _FLOAT_STORAGES:
            return StorageType(name, _FLOAT_STORAGES[name])
        if module == "torch" and name in _OTHER_STORAGES:
            return StorageType(name, "")
        raise CheckpointError(
            f"the checkpoint's pickle refers to {module}.{name}, which a weights-only CogACT state dict "
            "never contains; refusing to load it (is this really a CogACT .pt?)")

    def persistent_load(self, pid):
        if not (isinstance(pid, tuple) and len(pid) == 5 and pid[0] == "storage"):
            raise CheckpointError(f"malformed checkpoint: unsupported persistent id {pid!r:.80}")
        _, storage_type, key, _location, numel = pid
        if not isinstance(storage_type, StorageType) or not isinstance(key, str) or not isinstance(numel, int) or numel < 0:
            raise CheckpointError(f"malformed checkpoint: bad storage reference {pid!r:.80}")
        return Storage(key, storage_type, numel)


class CheckpointReader:
    """An open torch zip checkpoint. Use as a context manager; :attr:`root` is the unpickled tree."""

    def __init__(self, path: str):
        self.path = path
        try:
            self._zip = zipfile.ZipFile(path)
        except FileNotFoundError:
            raise CheckpointError(f"{path}: no such file") from None
        except (zipfile.BadZipFile, OSError) as error:
            raise CheckpointError(
                f"{path} is not a PyTorch zip checkpoint ({error}); it may be truncated (re-download it) "
                "or saved with the legacy format (re-save it with torch.save(..., _use_new_zipfile_serialization=True))"
            ) from None
        self._file = None
        self._map = None
        try:
            self._file = open(path, "rb")
            if self._file_size():
                self._map = mmap.mmap(self._file.fileno(), 0, access=mmap.ACCESS_READ)
            pickles = [n for n in self._zip.namelist() if n == "data.pkl" or n.endswith("/data.pkl")]
            if len(pickles) != 1:
                raise CheckpointError(f"{path} is a zip archive but not a PyTorch checkpoint: expected one data.pkl, found {len(pickles)}")
            self._prefix = pickles[0][: -len("data.pkl")]
            self._check_byteorder()
            self.root = self._unpickle(pickles[0])
        except BaseException:
            self.close()
            raise

    def __enter__(self) -> "CheckpointReader":
        return self

    def __exit__(self, *_exc) -> None:
        self.close()

    def close(self) -> None:
        if self._map is not None:
            try:
                self._map.close()
            except BufferError:
                pass  # arrays handed out still view the map; it closes when they are collected
            self._map = None
        if self._file is not None:
            self._file.close()
        self._zip.close()

    def read(self, tensor: TensorRef) -> np.ndarray:
        """The tensor as a C-contiguous numpy array (a view of the file where possible).

        BF16 comes back as ``uint16`` bit patterns; see ``dtypes.py``. Strides and storage offsets are
        honoured; a non-contiguous tensor is copied.
        """
        storage = tensor.storage
        kind = storage.storage_type
        if not kind.dtype:
            raise CheckpointError(f"unsupported dtype: storage type torch.{kind.name} holds no floating-point weights")
        elements = self._storage_elements(storage)
        last = tensor.offset + sum((d - 1) * s for d, s in zip(tensor.shape, tensor.stride)) if tensor.numel else tensor.offset - 1
        if last >= storage.numel:
            raise CheckpointError(
                f"malformed checkpoint: tensor of shape {list(tensor.shape)} (offset {tensor.offset}, stride {list(tensor.stride)}) "
                f"reaches element {last} of a storage of {storage.numel}")
        if tensor.numel == 0:
            return np.zeros(tensor.shape, dtype=NUMPY_BITS[kind.dtype])
        item = kind.itemsize
        view = np.lib.stride_tricks.as_strided(
            elements[tensor.offset:], shape=tensor.shape, strides=[s * item for s in tensor.stride], writeable=False)
        return np.ascontiguousarray(view)

    def release(self, tensor: TensorRef) -> None:
        """Drops the mapped pages of ``tensor``'s storage from this process (they stay in the page cache),
        so the resident size does not grow with the checkpoint. Arrays from :meth:`read` stay valid."""
        if self._map is None or not hasattr(mmap, "MADV_DONTNEED"):
            return
        info = self._zip.getinfo(f"{self._prefix}data/{tensor.storage.key}")
        start = self._data_start(info)
        aligned = start - start % mmap.PAGESIZE
        length = start + info.file_size - aligned
        if length > 0:
            self._map.madvise(mmap.MADV_DONTNEED, aligned, length)

    # -- internals ---------------------------------------------------------------------------------

    def _file_size(self) -> int:
        self._file.seek(0, 2)
        return self._file.tell()

    def _check_byteorder(self) -> None:
        name = self._prefix + "byteorder"
        if name in self._zip.namelist():
            order = self._zip.read(name).decode("ascii", "replace").strip()
            if order != "little":
                raise CheckpointError(f"{self.path} was saved on a {order}-endian machine; only little-endian checkpoints are supported")

    def _unpickle(self, name: str):
        try:
            with self._zip.open(name) as stream:
                return _RestrictedUnpickler(stream).load()
        except CheckpointError:
            raise
        except Exception as error:  # any failure of a (class-restricted) unpickling means a damaged stream
            raise CheckpointError(f"{self.path}: corrupt data.pkl ({type(error).__name__}: {error})") from None

    def _storage_elements(self, storage: Storage) -> np.ndarray:
        """A read-only numpy view of ``data/<key>`` straight from the memory map."""
        name = f"{self._prefix}data/{storage.key}"
        try:
            info = self._zip.getinfo(name)
        except KeyError:
            raise CheckpointError(f"malformed checkpoint: storage member {name} is missing (truncated or damaged file?)") from None
        if info.compress_type != zipfile.ZIP_STORED:
            raise CheckpointError(f"{name} is compressed; torch never compresses storages, so this archive was re-packed — "
                                  "unzip and re-zip it with `zip -0`, or re-save it with torch.save")
        kind = storage.storage_type
        expected = storage.numel * kind.itemsize
        if info.file_size != expected:
            raise CheckpointError(f"malformed checkpoint: {name} has {info.file_size} bytes, its {kind.name} of {storage.numel} elements needs {expected}")
        start = self._data_start(info)
        if self._map is None or start + expected > len(self._map):
            raise CheckpointError(f"{self.path} is truncated: {name} ends at byte {start + expected}, the file has {0 if self._map is None else len(self._map)}")
        return np.frombuffer(self._map, dtype=NUMPY_BITS[kind.dtype], count=storage.numel, offset=start)

    def _data_start(self, info: zipfile.ZipInfo) -> int:
        """Offset of a member's bytes: after its local header (whose extra field may differ from the central one)."""
        header = self._map[info.header_offset: info.header_offset + 30] if self._map is not None else b""
        if len(header) != 30 or header[:4] != b"PK\x03\x04":
            raise CheckpointError(f"{self.path} is truncated or damaged: no local header for {info.filename}")
        name_length, extra_length = struct.unpack("<HH", header[26:30])
        return info.header_offset + 30 + name_length + extra_length
