#include "ccpu.h"
#include <stdlib.h>
#include <string.h>

#if defined(__x86_64__) || defined(_M_X64)
#include <cpuid.h>

static uint64_t xgetbv0(void) {
    uint32_t lo, hi;
    __asm__ volatile("xgetbv" : "=a"(lo), "=d"(hi) : "c"(0));
    return ((uint64_t)hi << 32) | lo;
}

uint32_t m2ae_cpu_features(void) {
    unsigned a, b, c, d;
    uint32_t f = M2AE_CPU_X86_64 | M2AE_CPU_SSE2;
    if (!__get_cpuid(1, &a, &b, &c, &d)) return f;
    if (c & bit_SSE3) f |= M2AE_CPU_SSE3;
    if (c & bit_SSSE3) f |= M2AE_CPU_SSSE3;
    if (c & bit_SSE4_1) f |= M2AE_CPU_SSE41;
    if (c & bit_SSE4_2) f |= M2AE_CPU_SSE42;
    int osxsave = (c & bit_OSXSAVE) != 0;
    uint64_t xcr0 = osxsave ? xgetbv0() : 0;
    int ymm = (xcr0 & 0x6) == 0x6;             // XMM and YMM state
    int zmm = ymm && (xcr0 & 0xe0) == 0xe0;    // opmask, ZMM0–15 upper halves, ZMM16–31
    if (ymm && (c & bit_AVX)) f |= M2AE_CPU_AVX;
    if (ymm && (c & bit_FMA)) f |= M2AE_CPU_FMA;
    unsigned max = __get_cpuid_max(0, 0);
    if (max >= 7) {
        __cpuid_count(7, 0, a, b, c, d);
        if (ymm && (b & bit_AVX2)) f |= M2AE_CPU_AVX2;
        if (zmm) {
            if (b & bit_AVX512F) f |= M2AE_CPU_AVX512F;
            if (b & bit_AVX512DQ) f |= M2AE_CPU_AVX512DQ;
            if (b & bit_AVX512CD) f |= M2AE_CPU_AVX512CD;
            if (b & bit_AVX512BW) f |= M2AE_CPU_AVX512BW;
            if (b & bit_AVX512VL) f |= M2AE_CPU_AVX512VL;
            if (c & (1u << 11)) f |= M2AE_CPU_AVX512VNNI;
            __cpuid_count(7, 1, a, b, c, d);
            if (a & (1u << 5)) f |= M2AE_CPU_AVX512BF16;
        }
    }
    if (__get_cpuid_max(0x80000000, 0) >= 0x80000001) {
        __cpuid(0x80000001, a, b, c, d);
        if (ymm && (c & (1u << 16))) f |= M2AE_CPU_FMA4;
    }
    return f;
}

void m2ae_cpu_brand(char *out) {
    unsigned r[12];
    out[0] = 0;
    if (__get_cpuid_max(0x80000000, 0) < 0x80000004) return;
    for (unsigned i = 0; i < 3; i++) __cpuid(0x80000002 + i, r[4 * i], r[4 * i + 1], r[4 * i + 2], r[4 * i + 3]);
    memcpy(out, r, 48);
    out[48] = 0;
    char *s = out;
    while (*s == ' ') s++;
    memmove(out, s, strlen(s) + 1);
    for (size_t n = strlen(out); n > 0 && out[n - 1] == ' '; n--) out[n - 1] = 0;
}
#else
uint32_t m2ae_cpu_features(void) { return 0; }
void m2ae_cpu_brand(char *out) { out[0] = 0; }
#endif

// OpenBLAS DYNAMIC_ARCH exports these; weak, so that a build without them still links and
// reports that kernels cannot be switched.
extern void *gotoblas __attribute__((weak));
extern void gotoblas_dynamic_init(void) __attribute__((weak));
extern void gotoblas_dynamic_quit(void) __attribute__((weak));

int m2ae_blas_can_switch(void) {
    return &gotoblas != NULL && gotoblas_dynamic_init != NULL && gotoblas_dynamic_quit != NULL;
}

const void *m2ae_blas_table(const char *coretype) {
    if (!m2ae_blas_can_switch()) return NULL;
    void *before = gotoblas;
    const char *old = getenv("OPENBLAS_CORETYPE");
    char *saved = old ? strdup(old) : NULL;
    setenv("OPENBLAS_CORETYPE", coretype, 1);
    gotoblas_dynamic_quit();
    gotoblas_dynamic_init();   // sets gotoblas to the named table and initialises its parameters
    void *table = gotoblas;
    if (saved) { setenv("OPENBLAS_CORETYPE", saved, 1); free(saved); } else unsetenv("OPENBLAS_CORETYPE");
    gotoblas = before;
    return table;
}

void m2ae_blas_use(const void *table) {
    if (m2ae_blas_can_switch() && table) __atomic_store_n(&gotoblas, (void *)table, __ATOMIC_SEQ_CST);
}

static _Thread_local int exclusive_thread;

void m2ae_blas_set_exclusive(int exclusive) { exclusive_thread = exclusive; }

int m2ae_blas_exclusive(void) { return exclusive_thread; }

const void *m2ae_blas_current(void) {
    return m2ae_blas_can_switch() ? __atomic_load_n(&gotoblas, __ATOMIC_SEQ_CST) : NULL;
}
