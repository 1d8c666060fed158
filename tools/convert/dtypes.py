"""Element-type conversion between the checkpoint's dtypes and the output dtypes, in numpy.

Arrays are numpy views of raw bytes: F32 as ``float32``, F16 as ``float16``, F64 as ``float64``
and BF16 as ``uint16`` bit patterns (numpy has no bfloat16). Rounding is to nearest, ties to
even, as ``torch.Tensor.to`` does.
"""

from __future__ import annotations

import numpy as np

SUPPORTED = ("F32", "F16", "BF16")
ITEMSIZE = {"F32": 4, "F16": 2, "BF16": 2}


def to_float32(array: np.ndarray, dtype: str) -> np.ndarray:
    """Exact widening of an array of ``dtype`` (F64 narrows with rounding) to float32."""
    if dtype == "BF16":
        return (array.astype(np.uint32) << 16).view(np.float32)
    if dtype in ("F32", "F16", "F64"):
        with np.errstate(over="ignore"):
            return array.astype(np.float32, copy=False)
    raise ValueError(f"unknown dtype {dtype}")


_OUTPUT = {"F32": np.float32, "F16": np.float16, "BF16": np.uint16}
CHUNK = 1 << 22  # elements converted at a time, so temporaries stay small next to a 500 MB tensor


def float32_to_bfloat16_bits(values: np.ndarray) -> np.ndarray:
    """float32 → bfloat16 bit patterns (uint16), round to nearest even; NaN stays a (quiet) NaN."""
    bits = np.ascontiguousarray(values, dtype=np.float32).view(np.uint32)
    is_nan = (bits & 0x7FFFFFFF) > 0x7F800000
    # Cannot wrap: the sum exceeds 32 bits only for bits ≥ 0xFFFF8000, which are NaNs (replaced below).
    rounded = ((bits + (0x7FFF + ((bits >> 16) & 1))) >> 16).astype(np.uint16)
    quiet_nan = ((bits >> 16) | 0x0040).astype(np.uint16)
    return np.where(is_nan, quiet_nan, rounded)


def _convert_chunk(chunk: np.ndarray, source: str, target: str) -> np.ndarray:
    wide = to_float32(chunk, source)
    if target == "F32":
        return wide
    if target == "F16":
        with np.errstate(over="ignore"):
            return wide.astype(np.float16)
    return float32_to_bfloat16_bits(wide)


def convert(array: np.ndarray, source: str, target: str) -> np.ndarray:
    """``array`` (elements of ``source``) as ``target`` elements, converted in chunks; returned
    unchanged when the dtypes match."""
    if target not in SUPPORTED:
        raise ValueError(f"unknown target dtype {target}; use one of {', '.join(SUPPORTED)}")
    if source == target:
        return array
    flat = np.ascontiguousarray(array).reshape(-1)
    result = np.empty(flat.shape, dtype=_OUTPUT[target])
    for start in range(0, flat.size, CHUNK):
        result[start:start + CHUNK] = _convert_chunk(flat[start:start + CHUNK], source, target)
    return result.reshape(array.shape)
