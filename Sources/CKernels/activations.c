// Element-wise activations and softmax (see include/kernels.h). The AVX2 path evaluates
// exp, erf and tanh with glibc's vector math library (libmvec, ≤ 4 ulp), 8 floats at a time;
// a partial last group is copied into a padded vector, so every element goes through the same
// arithmetic whatever its position, and nothing is read past the end.
#include "kernels.h"
#include "cpu.h"

#include <math.h>
#include <string.h>

#if VLA_X86
#include <immintrin.h>

// glibc's vector-function ABI names (x86_64 libmvec, AVX2 variants).
VLA_AVX2 __m256 _ZGVdN8v_expf(__m256);
VLA_AVX2 __m256 _ZGVdN8v_erff(__m256);
VLA_AVX2 __m256 _ZGVdN8v_tanhf(__m256);

typedef __m256 (*VectorMap)(__m256);

VLA_AVX2 static inline __m256 gelu_erf8(__m256 v) {
    __m256 half = _mm256_set1_ps(0.5f), one = _mm256_set1_ps(1.0f);
    __m256 e = _ZGVdN8v_erff(_mm256_mul_ps(v, _mm256_set1_ps(0.70710678118654752f)));
    return _mm256_mul_ps(_mm256_mul_ps(half, v), _mm256_add_ps(one, e));
}

VLA_AVX2 static inline __m256 gelu_tanh8(__m256 v) {
    __m256 cube = _mm256_mul_ps(_mm256_mul_ps(v, v), v);
    __m256 inner = _mm256_mul_ps(_mm256_set1_ps(0.79788456080286536f),
                                 _mm256_add_ps(v, _mm256_mul_ps(_mm256_set1_ps(0.044715f), cube)));
    __m256 t = _ZGVdN8v_tanhf(inner);
    return _mm256_mul_ps(_mm256_mul_ps(_mm256_set1_ps(0.5f), v), _mm256_add_ps(_mm256_set1_ps(1.0f), t));
}

VLA_AVX2 static inline __m256 silu8(__m256 v) {
    __m256 e = _ZGVdN8v_expf(_mm256_sub_ps(_mm256_setzero_ps(), v));
    return _mm256_div_ps(v, _mm256_add_ps(_mm256_set1_ps(1.0f), e));
}

// Applies `f` in place to x[0 ..< count], 8 at a time, the last partial group through a padded copy.
VLA_AVX2 static inline __attribute__((always_inline)) void map_in_place(float *x, size_t count, VectorMap f) {
    size_t i = 0;
    for (; i + 8 <= count; i += 8) _mm256_storeu_ps(x + i, f(_mm256_loadu_ps(x + i)));
    if (i < count) {
        float lane[8] = {0};
        memcpy(lane, x + i, (count - i) * sizeof(float));
        _mm256_storeu_ps(lane, f(_mm256_loadu_ps(lane)));
        memcpy(x + i, lane, (count - i) * sizeof(float));
    }
}

VLA_AVX2 static void gelu_erf_avx2(float *x, size_t count) { map_in_place(x, count, gelu_erf8); }
VLA_AVX2 static void gelu_tanh_avx2(float *x, size_t count) { map_in_place(x, count, gelu_tanh8); }
VLA_AVX2 static void silu_avx2(float *x, size_t count) { map_in_place(x, count, silu8); }

VLA_AVX2 static void swiglu_avx2(const float *gate, const float *up, float *out, size_t count) {
    size_t i = 0;
    for (; i + 8 <= count; i += 8)
        _mm256_storeu_ps(out + i, _mm256_mul_ps(silu8(_mm256_loadu_ps(gate + i)), _mm256_loadu_ps(up + i)));
    if (i < count) {
        float g[8] = {0}, u[8] = {0};
        memcpy(g, gate + i, (count - i) * sizeof(float));
        memcpy(u, up + i, (count - i) * sizeof(float));
        _mm256_storeu_ps(g, _mm256_mul_ps(silu8(_mm256_loadu_ps(g)), _mm256_loadu_ps(u)));
        memcpy(out + i, g, (count - i) * sizeof(float));
    }
}

VLA_AVX2 static void softmax_avx2(float *row, size_t visible, size_t total) {
    float maximum = -INFINITY;
    for (size_t j = 0; j < visible; j++) maximum = row[j] > maximum ? row[j] : maximum;
    __m256 shift = _mm256_set1_ps(maximum), sums = _mm256_setzero_ps();
    size_t j = 0;
    for (; j + 8 <= visible; j += 8) {
        __m256 e = _ZGVdN8v_expf(_mm256_sub_ps(_mm256_loadu_ps(row + j), shift));
        _mm256_storeu_ps(row + j, e);
        sums = _mm256_add_ps(sums, e);
    }
    float lanes[8];
    _mm256_storeu_ps(lanes, sums);
    float sum = ((lanes[0] + lanes[1]) + (lanes[2] + lanes[3])) + ((lanes[4] + lanes[5]) + (lanes[6] + lanes[7]));
    if (j < visible) {
        float tail[8];
        for (int t = 0; t < 8; t++) tail[t] = -INFINITY;
        memcpy(tail, row + j, (visible - j) * sizeof(float));
        _mm256_storeu_ps(tail, _ZGVdN8v_expf(_mm256_sub_ps(_mm256_loadu_ps(tail), shift)));
        for (size_t t = 0; t < visible - j; t++) sum += tail[t];
        memcpy(row + j, tail, (visible - j) * sizeof(float));
    }
    __m256 inverse = _mm256_set1_ps(1.0f / sum);
    for (j = 0; j + 8 <= visible; j += 8) _mm256_storeu_ps(row + j, _mm256_mul_ps(_mm256_loadu_ps(row + j), inverse));
    for (; j < visible; j++) row[j] *= 1.0f / sum;
    for (j = visible; j < total; j++) row[j] = 0;
}
#endif

static float gelu_erf1(float v) { return 0.5f * v * (1 + erff(v * 0.70710678118654752f)); }
static float gelu_tanh1(float v) { return 0.5f * v * (1 + tanhf(0.79788456080286536f * (v + 0.044715f * v * v * v))); }
static float silu1(float v) { return v / (1 + expf(-v)); }

void vla_gelu_erf(float *x, size_t count) {
#if VLA_X86
    if (vla_kernels_vectorised()) return gelu_erf_avx2(x, count);
#endif
    for (size_t i = 0; i < count; i++) x[i] = gelu_erf1(x[i]);
}

void vla_gelu_tanh(float *x, size_t count) {
#if VLA_X86
    if (vla_kernels_vectorised()) return gelu_tanh_avx2(x, count);
#endif
    for (size_t i = 0; i < count; i++) x[i] = gelu_tanh1(x[i]);
}

void vla_silu(float *x, size_t count) {
#if VLA_X86
    if (vla_kernels_vectorised()) return silu_avx2(x, count);
#endif
    for (size_t i = 0; i < count; i++) x[i] = silu1(x[i]);
}

void vla_swiglu(const float *gate, const float *up, float *out, size_t count) {
#if VLA_X86
    if (vla_kernels_vectorised()) return swiglu_avx2(gate, up, out, count);
#endif
    for (size_t i = 0; i < count; i++) out[i] = silu1(gate[i]) * up[i];
}

void vla_softmax(float *row, size_t visible, size_t total) {
#if VLA_X86
    if (vla_kernels_vectorised()) return softmax_avx2(row, visible, total);
#endif
    float maximum = -INFINITY;
    for (size_t j = 0; j < visible; j++) maximum = row[j] > maximum ? row[j] : maximum;
    float sum = 0;
    for (size_t j = 0; j < visible; j++) {
        row[j] = expf(row[j] - maximum);
        sum += row[j];
    }
    for (size_t j = 0; j < visible; j++) row[j] *= 1.0f / sum;
    for (size_t j = visible; j < total; j++) row[j] = 0;
}
