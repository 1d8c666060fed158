// CPU feature selection shared by the kernels (private to this target).
#ifndef VLA_KERNELS_CPU_H
#define VLA_KERNELS_CPU_H

#if defined(__x86_64__) && (defined(__clang__) || defined(__GNUC__))
#define VLA_X86 1
/// Compiles a function for AVX2 + FMA; call it only when `vla_kernels_vectorised()`.
#define VLA_AVX2 __attribute__((target("avx2,fma")))
#else
#define VLA_X86 0
#endif

#endif
