"""Rounding of the --dtype casts against torch's own casts of edge values (probe.* in the expected file)."""

import numpy as np

from dtypes import convert


def is_bfloat16_nan(bits):
    return (bits & 0x7FFF) > 0x7F80


def test_float32_to_bfloat16_matches_torch_bit_for_bit(expected):
    _, values = expected["probe.f32"]
    _, torch_bits = expected["probe.bf16"]
    ours = convert(values, "F32", "BF16")
    # NaN payloads differ between torch's scalar (0x7FC0) and vectorised (0xFFFF) paths; any NaN will do.
    nan = is_bfloat16_nan(torch_bits)
    assert nan.sum() == 1
    np.testing.assert_array_equal(is_bfloat16_nan(ours), nan)
    np.testing.assert_array_equal(ours[~nan], torch_bits[~nan])


def test_float32_to_float16_matches_torch_bit_for_bit(expected):
    _, values = expected["probe.f32"]
    _, torch_half = expected["probe.f16"]
    np.testing.assert_array_equal(convert(values, "F32", "F16").view(np.uint16), torch_half.view(np.uint16))


def test_half_to_bfloat16_goes_through_exact_float32(expected):
    _, half = expected["probe.f16"]
    finite = half[np.isfinite(half)]
    np.testing.assert_array_equal(convert(finite, "F16", "BF16"), convert(finite.astype(np.float32), "F32", "BF16"))


def test_same_dtype_is_returned_untouched(expected):
    _, values = expected["probe.f32"]
    assert convert(values, "F32", "F32") is values


def test_chunked_conversion_matches_whole_array_conversion(expected, monkeypatch):
    import dtypes
    _, values = expected["probe.f32"]
    whole_bf16, whole_f16 = convert(values, "F32", "BF16"), convert(values, "F32", "F16")
    monkeypatch.setattr(dtypes, "CHUNK", 7)  # 256 elements → 37 chunks, the last one partial
    np.testing.assert_array_equal(convert(values.reshape(16, 16), "F32", "BF16").reshape(-1), whole_bf16)
    np.testing.assert_array_equal(convert(values, "F32", "F16").view(np.uint16), whole_f16.view(np.uint16))
