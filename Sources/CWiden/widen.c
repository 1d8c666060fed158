// Exact 16-bit → F32 widening (see include/widen.h). Loads go through memcpy so unaligned
// sources are well defined; compilers turn the loops into vector loads and shifts.
#include "widen.h"

#include <string.h>

static inline uint16_t load16(const unsigned char *p) {
    uint16_t v;
    memcpy(&v, p, sizeof v);
    return v;
}

static inline float bf16_to_f32(uint16_t bits) {
    uint32_t wide = (uint32_t)bits << 16;
    float value;
    memcpy(&value, &wide, sizeof value);
    return value;
}

// IEEE half → single by bit manipulation: exact for normals, subnormals, zeros, infinities, NaN.
static inline float f16_to_f32_soft(uint16_t h) {
    uint32_t sign = (uint32_t)(h & 0x8000u) << 16;
    uint32_t exponent = (h >> 10) & 0x1Fu;
    uint32_t mantissa = h & 0x3FFu;
    uint32_t bits;
    if (exponent == 0x1Fu) {
        bits = sign | 0x7F800000u | (mantissa << 13);
    } else if (exponent != 0) {
        bits = sign | ((exponent + 112u) << 23) | (mantissa << 13);
    } else if (mantissa == 0) {
        bits = sign;
    } else {
        // Subnormal: normalise the mantissa.
        int shift = 0;
        while ((mantissa & 0x400u) == 0) {
            mantissa <<= 1;
            shift++;
        }
        bits = sign | ((uint32_t)(113 - shift) << 23) | ((mantissa & 0x3FFu) << 13);
    }
    float value;
    memcpy(&value, &bits, sizeof value);
    return value;
}

void vla_widen_bf16(const void *src, float *dst, size_t count) {
    const unsigned char *bytes = src;
    for (size_t i = 0; i < count; i++) dst[i] = bf16_to_f32(load16(bytes + 2 * i));
}

void vla_widen_bf16_gather(const void *src, const int64_t *index, float *dst, size_t count) {
    const unsigned char *bytes = src;
    for (size_t i = 0; i < count; i++) dst[i] = bf16_to_f32(load16(bytes + 2 * index[i]));
}

void vla_copy_f32_gather(const void *src, const int64_t *index, float *dst, size_t count) {
    const unsigned char *bytes = src;
    for (size_t i = 0; i < count; i++) memcpy(dst + i, bytes + 4 * index[i], sizeof(float));
}

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#include <immintrin.h>

__attribute__((target("f16c,avx")))
static void widen_f16_f16c(const unsigned char *bytes, float *dst, size_t count) {
    size_t i = 0;
    for (; i + 8 <= count; i += 8) {
        __m128i half = _mm_loadu_si128((const __m128i *)(const void *)(bytes + 2 * i));
        _mm256_storeu_ps(dst + i, _mm256_cvtph_ps(half));
    }
    for (; i < count; i++) dst[i] = f16_to_f32_soft(load16(bytes + 2 * i));
}

int vla_widen_f16_hardware(void) { return __builtin_cpu_supports("f16c") && __builtin_cpu_supports("avx"); }
#else
int vla_widen_f16_hardware(void) { return 0; }
#endif

void vla_widen_f16(const void *src, float *dst, size_t count) {
    const unsigned char *bytes = src;
#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
    if (vla_widen_f16_hardware()) {
        widen_f16_f16c(bytes, dst, count);
        return;
    }
#endif
    for (size_t i = 0; i < count; i++) dst[i] = f16_to_f32_soft(load16(bytes + 2 * i));
}

void vla_widen_f16_gather(const void *src, const int64_t *index, float *dst, size_t count) {
    const unsigned char *bytes = src;
    for (size_t i = 0; i < count; i++) dst[i] = f16_to_f32_soft(load16(bytes + 2 * index[i]));
}
