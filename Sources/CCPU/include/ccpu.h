// CPU feature detection (CPUID and XGETBV) and the switch between OpenBLAS's kernel tables.
// The engine picks its BLAS kernels from what the CPU can run, never from its model name.
#ifndef M2AE_CCPU_H
#define M2AE_CCPU_H
#include <stdint.h>

/// Feature bits of `m2ae_cpu_features`: set only when the CPU has the instructions and the
/// operating system saves the registers they use (XCR0), so that code using them can run.
enum {
    M2AE_CPU_SSE2 = 1u << 0,
    M2AE_CPU_SSE3 = 1u << 1,
    M2AE_CPU_SSSE3 = 1u << 2,
    M2AE_CPU_SSE41 = 1u << 3,
    M2AE_CPU_SSE42 = 1u << 4,
    M2AE_CPU_AVX = 1u << 5,
    M2AE_CPU_FMA = 1u << 6,
    M2AE_CPU_AVX2 = 1u << 7,
    M2AE_CPU_AVX512F = 1u << 8,
    M2AE_CPU_AVX512DQ = 1u << 9,
    M2AE_CPU_AVX512CD = 1u << 10,
    M2AE_CPU_AVX512BW = 1u << 11,
    M2AE_CPU_AVX512VL = 1u << 12,
    M2AE_CPU_AVX512VNNI = 1u << 13,
    M2AE_CPU_AVX512BF16 = 1u << 14,
    M2AE_CPU_FMA4 = 1u << 15,
    M2AE_CPU_X86_64 = 1u << 31,
};

/// The usable feature bits of this CPU (0 on a CPU that is not x86-64).
uint32_t m2ae_cpu_features(void);

/// The CPU's brand string (CPUID 0x80000002–4), trimmed; empty when unavailable.
/// `out` must hold 49 bytes.
void m2ae_cpu_brand(char *out);

/// True when the linked OpenBLAS is a DYNAMIC_ARCH build whose kernel table can be switched.
int m2ae_blas_can_switch(void);

/// The kernel table OpenBLAS's own initialisation chose for `coretype` (an `OPENBLAS_CORETYPE`
/// name), initialised and ready; NULL when kernels cannot be switched. Calls OpenBLAS's
/// dynamic initialisation, so it must not run while any BLAS call is in flight; the
/// table in use is restored before it returns.
const void *m2ae_blas_table(const char *coretype);

/// Makes `table` (from `m2ae_blas_table`) the kernels every later BLAS call uses: one aligned
/// pointer store. No BLAS call may be in flight.
void m2ae_blas_use(const void *table);

/// The kernel table in use now (NULL when kernels cannot be switched).
const void *m2ae_blas_current(void);

/// Marks the calling thread as holding the BLAS switch lock exclusively (1) or not (0), so that
/// its own BLAS calls do not wait for the lock it holds.
void m2ae_blas_set_exclusive(int exclusive);

/// 1 when the calling thread holds the BLAS switch lock exclusively.
int m2ae_blas_exclusive(void);
#endif
