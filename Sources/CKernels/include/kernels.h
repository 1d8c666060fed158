// Vectorised CPU kernels of the engine that OpenBLAS does not cover well: a GEMM for few
// activation rows, the element-wise activations and softmax between the GEMMs, and the
// fixed-point resampling passes of image preprocessing.
// Every function picks an AVX2 + FMA path at run time when the CPU has it, else portable C.
#ifndef VLA_KERNELS_H
#define VLA_KERNELS_H

#include <stddef.h>
#include <stdint.h>

/// y[i·ldy + j] = Σ_p x[i·ldx + p] · w[j·ldw + p] (+ y[i·ldy + j] when `accumulate`), for i < m, j < n.
///
/// For few rows `x` (the DiT's 34, a single query row), where OpenBLAS spends as long packing
/// the weight as multiplying it. Weights are read in place, row by row. Each output is a dot
/// product whose arithmetic depends only on its own x row, w row and k — not on m, n or where
/// the row sits — so a subset of rows gives bitwise the same values as the full set.
void vla_dot_gemm(size_t m, size_t n, size_t k, const float *x, size_t ldx, const float *w, size_t ldw,
                  float *y, size_t ldy, int accumulate);

/// x ← x · Φ(x) = 0.5 x (1 + erf(x/√2)), exact GELU (PyTorch `nn.GELU()`), over `count` floats.
void vla_gelu_erf(float *x, size_t count);

/// x ← 0.5 x (1 + tanh(√(2/π)(x + 0.044715 x³))) (PyTorch `GELU(approximate="tanh")`).
void vla_gelu_tanh(float *x, size_t count);

/// x ← x / (1 + e^{−x}) (SiLU).
void vla_silu(float *x, size_t count);

/// out[j] = silu(gate[j]) · up[j] for j < count (LLaMA SwiGLU).
void vla_swiglu(const float *gate, const float *up, float *out, size_t count);

/// Softmax over row[0 ..< visible]; row[visible ..< total] becomes 0 (masked keys).
void vla_softmax(float *row, size_t visible, size_t total);

/// The windows and fixed-point weights of one resampling axis: output position j mixes the
/// `counts[j]` inputs from `firsts[j]` with `weights[offsets[j] ...]`; sums start at one half
/// (1 << (precision_bits − 1)) and are shifted right by `precision_bits`, then clamped to 0…255.
/// The caller guarantees firsts[j] + counts[j] ≤ the input size and sums that fit in int32.
typedef struct {
    size_t outputs;
    const int32_t *firsts;
    const int32_t *counts;
    const int32_t *offsets;
    const int32_t *weights;
    int precision_bits;
} VLAResampleKernel;

/// Horizontal pass over an RGB8 image `width × height` (rows of 3·width bytes) into `dst`
/// (`kernel->outputs × height`); `widened` is scratch of 4·width int32.
void vla_resample_rows_rgb8(const uint8_t *src, size_t width, size_t height, uint8_t *dst,
                            const VLAResampleKernel *kernel, int32_t *widened);

/// Vertical pass over rows of `row_length` bytes into `dst` (`kernel->outputs` rows); `sums`
/// is scratch of `row_length` int32.
void vla_resample_columns_rgb8(const uint8_t *src, size_t row_length, uint8_t *dst,
                               const VLAResampleKernel *kernel, int32_t *sums);

/// 1 when the AVX2 + FMA paths run on this CPU, else 0.
int vla_kernels_vectorised(void);

#endif
