// Exact widening of 16-bit floating-point weights to F32, for the engine's GEMM panels.
// Sources may start at any byte address (safetensors does not align tensors); destinations
// are F32 arrays. Every conversion is exact: BF16 and F16 values are all representable in F32.
#ifndef VLA_WIDEN_H
#define VLA_WIDEN_H

#include <stddef.h>
#include <stdint.h>

/// dst[i] = bf16(src + 2i) as F32, for i < count.
void vla_widen_bf16(const void *src, float *dst, size_t count);

/// dst[i] = f16(src + 2i) as F32, for i < count (subnormals, infinities and NaN payloads kept).
void vla_widen_f16(const void *src, float *dst, size_t count);

/// dst[i] = bf16(src + 2·index[i]) as F32, for i < count (a column gather of one row).
void vla_widen_bf16_gather(const void *src, const int64_t *index, float *dst, size_t count);

/// dst[i] = f16(src + 2·index[i]) as F32, for i < count.
void vla_widen_f16_gather(const void *src, const int64_t *index, float *dst, size_t count);

/// dst[i] = f32(src + 4·index[i]), for i < count (F32 storage that is gathered or unaligned).
void vla_copy_f32_gather(const void *src, const int64_t *index, float *dst, size_t count);

/// 1 when this CPU converts F16 in hardware (F16C), else 0; the conversions above are exact either way.
int vla_widen_f16_hardware(void);

#endif
