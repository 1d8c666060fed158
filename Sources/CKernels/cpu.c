// Run-time choice between the AVX2 + FMA kernels and portable C.
#include "kernels.h"
#include "cpu.h"

int vla_kernels_vectorised(void) {
#if VLA_X86
    // Reads the CPU model the compiler runtime fills in before main; no state of our own.
    return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
#else
    return 0;
#endif
}
