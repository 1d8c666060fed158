// GEMM for few activation rows (see include/kernels.h): register tiles of 4 x rows × 3 weight
// rows, each output accumulated as 8 lane-wise partial sums over k, reduced in a fixed order,
// then the k % 8 tail added in scalar order. The same arithmetic runs in every tile shape, so
// an output's bits depend only on its x row, its w row and k.
#include "kernels.h"
#include "cpu.h"

#include <math.h>

#if VLA_X86
#include <immintrin.h>

#define TILE_ROWS 4
#define TILE_WEIGHTS 3

// Sums of 8 accumulators at once, each as ((v0+v1)+(v2+v3)) + ((v4+v5)+(v6+v7)) whatever its slot.
VLA_AVX2 static inline __m256 sum_lanes8(const __m256 v[8]) {
    __m256 ab = _mm256_hadd_ps(v[0], v[1]), cd = _mm256_hadd_ps(v[2], v[3]);
    __m256 ef = _mm256_hadd_ps(v[4], v[5]), gh = _mm256_hadd_ps(v[6], v[7]);
    __m256 abcd = _mm256_hadd_ps(ab, cd), efgh = _mm256_hadd_ps(ef, gh);
    return _mm256_add_ps(_mm256_permute2f128_ps(abcd, efgh, 0x20), _mm256_permute2f128_ps(abcd, efgh, 0x31));
}

// One tile of `rows` × `weights` outputs; called with constant sizes so the loops unroll into registers.
VLA_AVX2 static inline __attribute__((always_inline)) void dot_tile(
    const int rows, const int weights, size_t k, const float *x, size_t ldx, const float *w, size_t ldw,
    float *y, size_t ldy, int accumulate) {
    __m256 acc[16];
    for (int a = 0; a < 16; a++) acc[a] = _mm256_setzero_ps();
    size_t vectorEnd = k & ~(size_t)7;
    for (size_t p = 0; p < vectorEnd; p += 8) {
        __m256 wv[TILE_WEIGHTS];
        for (int j = 0; j < weights; j++) wv[j] = _mm256_loadu_ps(w + j * ldw + p);
        for (int i = 0; i < rows; i++) {
            __m256 xv = _mm256_loadu_ps(x + i * ldx + p);
            for (int j = 0; j < weights; j++) acc[i * TILE_WEIGHTS + j] = _mm256_fmadd_ps(xv, wv[j], acc[i * TILE_WEIGHTS + j]);
        }
    }
    float sums[16];
    _mm256_storeu_ps(sums, sum_lanes8(acc));
    if (rows * TILE_WEIGHTS > 8) _mm256_storeu_ps(sums + 8, sum_lanes8(acc + 8));
    for (int i = 0; i < rows; i++) {
        for (int j = 0; j < weights; j++) {
            float sum = sums[i * TILE_WEIGHTS + j];
            for (size_t p = vectorEnd; p < k; p++) sum = fmaf(x[i * ldx + p], w[j * ldw + p], sum);
            float *out = y + i * ldy + j;
            *out = accumulate ? *out + sum : sum;
        }
    }
}

#define TILE_CASE(r, c) case (r) * 8 + (c): dot_tile(r, c, k, x, ldx, w, ldw, y, ldy, accumulate); break;

VLA_AVX2 static void dot_tile_any(int rows, int weights, size_t k, const float *x, size_t ldx, const float *w,
                                  size_t ldw, float *y, size_t ldy, int accumulate) {
    switch (rows * 8 + weights) {
        TILE_CASE(4, 3) TILE_CASE(4, 2) TILE_CASE(4, 1)
        TILE_CASE(3, 3) TILE_CASE(3, 2) TILE_CASE(3, 1)
        TILE_CASE(2, 3) TILE_CASE(2, 2) TILE_CASE(2, 1)
        TILE_CASE(1, 3) TILE_CASE(1, 2) TILE_CASE(1, 1)
        default: break;
    }
}

// Weight rows per chunk: 48 rows × a 256-wide slice stay in L1/L2 while every x tile passes over them.
#define CHUNK_WEIGHTS 48

VLA_AVX2 static void dot_gemm_avx2(size_t m, size_t n, size_t k, const float *x, size_t ldx, const float *w,
                                   size_t ldw, float *y, size_t ldy, int accumulate) {
    for (size_t j0 = 0; j0 < n; j0 += CHUNK_WEIGHTS) {
        size_t j1 = j0 + CHUNK_WEIGHTS < n ? j0 + CHUNK_WEIGHTS : n;
        for (size_t i = 0; i < m; i += TILE_ROWS) {
            int rows = m - i < TILE_ROWS ? (int)(m - i) : TILE_ROWS;
            for (size_t j = j0; j < j1; j += TILE_WEIGHTS) {
                int weights = j1 - j < TILE_WEIGHTS ? (int)(j1 - j) : TILE_WEIGHTS;
                dot_tile_any(rows, weights, k, x + i * ldx, ldx, w + j * ldw, ldw, y + i * ldy + j, ldy, accumulate);
            }
        }
    }
}
#endif

static void dot_gemm_portable(size_t m, size_t n, size_t k, const float *x, size_t ldx, const float *w,
                              size_t ldw, float *y, size_t ldy, int accumulate) {
    for (size_t i = 0; i < m; i++) {
        for (size_t j = 0; j < n; j++) {
            float sum = 0;
            for (size_t p = 0; p < k; p++) sum += x[i * ldx + p] * w[j * ldw + p];
            float *out = y + i * ldy + j;
            *out = accumulate ? *out + sum : sum;
        }
    }
}

void vla_dot_gemm(size_t m, size_t n, size_t k, const float *x, size_t ldx, const float *w, size_t ldw,
                  float *y, size_t ldy, int accumulate) {
#if VLA_X86
    if (vla_kernels_vectorised()) {
        dot_gemm_avx2(m, n, k, x, ldx, w, ldw, y, ldy, accumulate);
        return;
    }
#endif
    dot_gemm_portable(m, n, k, x, ldx, w, ldw, y, ldy, accumulate);
}
