// Shim over libmatio (Debian libmatio-dev), which reads MATLAB .mat files of versions 4, 5
// and 7.3 (the HDF5-based one).
#ifndef M2AE_CMATIO_SHIM_H
#define M2AE_CMATIO_SHIM_H
#include <matio.h>

static void m2ae_matio_discard(int level, char *message) { (void)level; (void)message; }

/// Stops matio from printing its own warnings and errors: the reader reports them itself.
static inline void m2ae_matio_silence(void) { Mat_LogInitFunc("m2ae", m2ae_matio_discard); }
#endif
