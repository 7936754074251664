import COpenBLAS
import Engine

// MARK: - BLAS and LAPACK wrappers over flat row-major buffers

/// Row-major single-precision product C = alpha·op(A)·op(B) + beta·C, the one place the
/// analytics call `cblas_sgemm` (through Engine's `withBLAS`, like every BLAS call here).
/// - Parameters: m, n, k: C is (m, n), op(A) is (m, k), op(B) is (k, n).
@inline(__always)
func sgemm(_ c: UnsafeMutablePointer<Float>, _ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>,
           m: Int, n: Int, k: Int, transA: Bool = false, transB: Bool = false,
           alpha: Float = 1, beta: Float = 0) {
    withBLAS {
        cblas_sgemm(CblasRowMajor, transA ? CblasTrans : CblasNoTrans, transB ? CblasTrans : CblasNoTrans,
                    Int32(m), Int32(n), Int32(k), alpha,
                    a, Int32(transA ? m : k), b, Int32(transB ? k : n), beta, c, Int32(n))
    }
}

/// Row-major double-precision product C = alpha·op(A)·op(B) + beta·C.
func dgemm(_ c: UnsafeMutablePointer<Double>, _ a: UnsafePointer<Double>, _ b: UnsafePointer<Double>,
           m: Int, n: Int, k: Int, transA: Bool = false, transB: Bool = false,
           alpha: Double = 1, beta: Double = 0) {
    withBLAS {
        cblas_dgemm(CblasRowMajor, transA ? CblasTrans : CblasNoTrans, transB ? CblasTrans : CblasNoTrans,
                    Int32(m), Int32(n), Int32(k), alpha,
                    a, Int32(transA ? m : k), b, Int32(transB ? k : n), beta, c, Int32(n))
    }
}

/// Solves the symmetric positive-definite system A·X = B in place (LAPACK dposv).
/// - Parameters: a: (n, n) symmetric, overwritten; b: (n, nrhs) column-major, overwritten by X.
/// - Returns: false when A is not positive definite.
func solvePositiveDefinite(_ a: inout [Double], _ b: inout [Double], n: Int, nrhs: Int) -> Bool {
    var info: Int32 = 0
    var nn = Int32(n), nr = Int32(nrhs), lda = Int32(n), ldb = Int32(n)
    var uplo = Int8(UInt8(ascii: "L"))
    withBLAS { dposv_(&uplo, &nn, &nr, &a, &lda, &b, &ldb, &info) }
    return info == 0
}

/// Eigen-decomposition of a symmetric (n, n) matrix (LAPACK dsyevd).
/// - Returns: eigenvalues ascending (n) and eigenvectors as columns of a column-major (n, n)
///   matrix, i.e. vector j is `vectors[j*n ..< (j+1)*n]`; nil when LAPACK fails.
func symmetricEigen(_ matrix: [Double], n: Int) -> (values: [Double], vectors: [Double])? {
    var a = matrix
    var w = [Double](repeating: 0, count: n)
    var jobz = Int8(UInt8(ascii: "V")), uplo = Int8(UInt8(ascii: "L"))
    var nn = Int32(n), lda = Int32(n), info: Int32 = 0
    var lwork: Int32 = -1, liwork: Int32 = -1
    var wq = [Double](repeating: 0, count: 1), iwq = [Int32](repeating: 0, count: 1)
    withBLAS { dsyevd_(&jobz, &uplo, &nn, &a, &lda, &w, &wq, &lwork, &iwq, &liwork, &info) }
    guard info == 0 else { return nil }
    lwork = Int32(wq[0]); liwork = iwq[0]
    var work = [Double](repeating: 0, count: Int(lwork))
    var iwork = [Int32](repeating: 0, count: Int(liwork))
    withBLAS { dsyevd_(&jobz, &uplo, &nn, &a, &lda, &w, &work, &lwork, &iwork, &liwork, &info) }
    return info == 0 ? (w, a) : nil
}

/// Scales each of the `rows` rows of a (rows, cols) buffer to unit L2 norm (zero rows stay zero).
func normaliseRows(_ x: UnsafeMutablePointer<Float>, rows: Int, cols: Int) {
    for r in 0..<rows {
        let row = x + r * cols
        var s: Float = 0
        for j in 0..<cols { s += row[j] * row[j] }
        guard s > 0 else { continue }
        let inv = 1 / s.squareRoot()
        for j in 0..<cols { row[j] *= inv }
    }
}
