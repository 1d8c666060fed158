import COpenBLAS

/// Thin wrappers over `cblas_sgemm` (row-major) and OpenBLAS thread control.
///
/// Threading model: OpenBLAS runs its own worker pool; exactly one engine thread calls into it
/// at a time. The thread count is process-wide, so it is set once (see `configureThreads`).
public enum BLAS {
    /// `C[m,n] = alpha · A[m,k] · B[n,k]ᵀ + beta · C` — the `Linear` layout (weights `[out, in]`).
    @inline(__always)
    static func gemmTransposedB(m: Int, n: Int, k: Int,
                                a: UnsafePointer<Float>, lda: Int,
                                b: UnsafePointer<Float>, ldb: Int,
                                c: UnsafeMutablePointer<Float>, ldc: Int,
                                alpha: Float = 1, beta: Float = 0) {
        cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, Int32(m), Int32(n), Int32(k),
                    alpha, a, Int32(lda), b, Int32(ldb), beta, c, Int32(ldc))
    }

    /// `C[m,n] = alpha · A[m,k] · B[k,n] + beta · C`.
    @inline(__always)
    static func gemm(m: Int, n: Int, k: Int,
                     a: UnsafePointer<Float>, lda: Int,
                     b: UnsafePointer<Float>, ldb: Int,
                     c: UnsafeMutablePointer<Float>, ldc: Int,
                     alpha: Float = 1, beta: Float = 0) {
        cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, Int32(m), Int32(n), Int32(k),
                    alpha, a, Int32(lda), b, Int32(ldb), beta, c, Int32(ldc))
    }

    /// `y[i] += x[i]` for `count` elements (`cblas_saxpy` with α = 1, bitwise equal to a plain add).
    @inline(__always)
    static func add(_ x: UnsafePointer<Float>, to y: UnsafeMutablePointer<Float>, count: Int) {
        cblas_saxpy(Int32(count), 1, x, 1, y, 1)
    }

    /// Sets the OpenBLAS worker count for the whole process; `nil` means one per online core.
    /// Counts below 1 mean 1; counts beyond `Int32` are clamped (OpenBLAS caps them at its build limit).
    public static func configureThreads(_ count: Int?) {
        openblas_set_num_threads(Int32(clamping: max(1, count ?? onlineCores)))
    }

    /// The OpenBLAS worker count.
    static var threads: Int { Int(openblas_get_num_threads()) }

    /// Runs `body` with OpenBLAS limited to the calling thread, so that several engine
    /// workers can each run small GEMMs at once; restores the previous count afterwards.
    static func withSingleThreadedCalls(_ body: () -> Void) {
        let previous = openblas_get_num_threads()
        openblas_set_num_threads(1)
        body()
        openblas_set_num_threads(previous)
    }

    /// Cores the OS reports online.
    public static var onlineCores: Int { max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN)))) }
}

#if canImport(Glibc)
import Glibc
#endif

/// What OpenBLAS reports about itself.
public struct BLASInfo: Sendable, CustomStringConvertible {
    /// Build configuration (`openblas_get_config`).
    public let config: String
    /// Kernel family chosen at run time (`openblas_get_corename`), e.g. "Zen".
    public let coreName: String
    /// Current worker count.
    public let threads: Int

    /// Reads the live values from OpenBLAS.
    public static var current: BLASInfo {
        BLASInfo(config: String(cString: openblas_get_config()),
                 coreName: String(cString: openblas_get_corename()),
                 threads: Int(openblas_get_num_threads()))
    }

    public var description: String { "OpenBLAS \(config) core=\(coreName) threads=\(threads); 16-bit weights: \(sixteenBitPath)" }

    /// How GEMMs over BF16/F16 weights run, and why. `cblas_sbgemm` would also round the
    /// activations to BF16 (inexact, and slower than sgemm on CPUs without AVX512-BF16 or AMX),
    /// so exact F32 panels are used; the line says whether this OpenBLAS exports it at all.
    public var sixteenBitPath: String {
        let exported = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "cblas_sbgemm") != nil
        return "widened to F32 panels for cblas_sgemm (cblas_sbgemm " + (exported ? "exported but not used: it rounds activations to BF16)"
                                                                                   : "not exported by this OpenBLAS)")
    }
}
