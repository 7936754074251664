// Shim over OpenBLAS: cblas for every matrix product, and the LAPACK routines OpenBLAS
// bundles (declared here by hand: Debian's OpenBLAS ships liblapack but no lapacke header
// in the openblas-pthread include folder).
#ifndef M2AE_COPENBLAS_SHIM_H
#define M2AE_COPENBLAS_SHIM_H
#include <cblas.h>

/// Symmetric eigen-decomposition (LAPACK ssyevd, column-major, Fortran calling convention).
void ssyevd_(const char *jobz, const char *uplo, const int *n, float *a, const int *lda,
             float *w, float *work, const int *lwork, int *iwork, const int *liwork, int *info);
/// Symmetric eigen-decomposition in double precision (LAPACK dsyevd).
void dsyevd_(const char *jobz, const char *uplo, const int *n, double *a, const int *lda,
             double *w, double *work, const int *lwork, int *iwork, const int *liwork, int *info);
/// Cholesky factorisation and solve (LAPACK dposv), double precision.
void dposv_(const char *uplo, const int *n, const int *nrhs, double *a, const int *lda,
            double *b, const int *ldb, int *info);
#endif
