// Fixed-point separable resampling passes of RGB8 images (see include/kernels.h). Integer
// arithmetic only, so the AVX2 build of a pass (the same C, vectorised by the compiler with
// 8-lane 32-bit multiplies) and the portable one give identical bytes.
#include "kernels.h"
#include "cpu.h"

static inline uint8_t clamp_to_byte(int32_t sum, int precision_bits) {
    int32_t value = sum >> precision_bits;
    return value < 0 ? 0 : value > 255 ? 255 : (uint8_t)value;
}

// Horizontal pass; every row is widened to (R, G, B, 0) int32 quadruples in `widened` (4 × width).
static inline __attribute__((always_inline)) void rows_pass(
    const uint8_t *src, size_t width, size_t height, uint8_t *dst, const VLAResampleKernel *kernel, int32_t *widened) {
    const int32_t half = (int32_t)1 << (kernel->precision_bits - 1);
    for (size_t row = 0; row < height; row++) {
        const uint8_t *line = src + row * width * 3;
        for (size_t x = 0; x < width; x++) {
            widened[4 * x] = line[3 * x];
            widened[4 * x + 1] = line[3 * x + 1];
            widened[4 * x + 2] = line[3 * x + 2];
            widened[4 * x + 3] = 0;
        }
        uint8_t *out = dst + row * kernel->outputs * 3;
        for (size_t j = 0; j < kernel->outputs; j++) {
            int32_t sum[4] = {half, half, half, half};
            const int32_t *weights = kernel->weights + kernel->offsets[j];
            const int32_t *pixels = widened + 4 * (size_t)kernel->firsts[j];
            for (int32_t tap = 0; tap < kernel->counts[j]; tap++)
                for (int lane = 0; lane < 4; lane++) sum[lane] += pixels[4 * tap + lane] * weights[tap];
            for (int channel = 0; channel < 3; channel++) out[3 * j + channel] = clamp_to_byte(sum[channel], kernel->precision_bits);
        }
    }
}

// Vertical pass: each output row sums its window's input rows into `sums` (row_length int32).
static inline __attribute__((always_inline)) void columns_pass(
    const uint8_t *src, size_t row_length, uint8_t *dst, const VLAResampleKernel *kernel, int32_t *sums) {
    const int32_t half = (int32_t)1 << (kernel->precision_bits - 1);
    for (size_t row = 0; row < kernel->outputs; row++) {
        for (size_t i = 0; i < row_length; i++) sums[i] = half;
        for (int32_t tap = 0; tap < kernel->counts[row]; tap++) {
            const int32_t weight = kernel->weights[kernel->offsets[row] + tap];
            const uint8_t *line = src + ((size_t)kernel->firsts[row] + (size_t)tap) * row_length;
            for (size_t i = 0; i < row_length; i++) sums[i] += line[i] * weight;
        }
        uint8_t *out = dst + row * row_length;
        for (size_t i = 0; i < row_length; i++) out[i] = clamp_to_byte(sums[i], kernel->precision_bits);
    }
}

#if VLA_X86
VLA_AVX2 static void rows_pass_avx2(const uint8_t *src, size_t width, size_t height, uint8_t *dst,
                                    const VLAResampleKernel *kernel, int32_t *widened) {
    rows_pass(src, width, height, dst, kernel, widened);
}

VLA_AVX2 static void columns_pass_avx2(const uint8_t *src, size_t row_length, uint8_t *dst,
                                       const VLAResampleKernel *kernel, int32_t *sums) {
    columns_pass(src, row_length, dst, kernel, sums);
}
#endif

void vla_resample_rows_rgb8(const uint8_t *src, size_t width, size_t height, uint8_t *dst,
                            const VLAResampleKernel *kernel, int32_t *widened) {
#if VLA_X86
    if (vla_kernels_vectorised()) return rows_pass_avx2(src, width, height, dst, kernel, widened);
#endif
    rows_pass(src, width, height, dst, kernel, widened);
}

void vla_resample_columns_rgb8(const uint8_t *src, size_t row_length, uint8_t *dst,
                               const VLAResampleKernel *kernel, int32_t *sums) {
#if VLA_X86
    if (vla_kernels_vectorised()) return columns_pass_avx2(src, row_length, dst, kernel, sums);
#endif
    columns_pass(src, row_length, dst, kernel, sums);
}
