// Shim over libmatio (Debian libmatio-dev), which reads MATLAB .mat files of versions 4, 5
// and 7.3 (the HDF5-based one), and over zlib (which libmatio links): the reader inflates a v5
// file's compressed variables itself, checking each stream, before libmatio parses them.
#ifndef M2AE_CMATIO_SHIM_H
#define M2AE_CMATIO_SHIM_H
#include <matio.h>
#include <zlib.h>

static void m2ae_matio_discard(int level, char *message) { (void)level; (void)message; }

/// Stops matio from printing its own warnings and errors: the reader reports them itself.
static inline void m2ae_matio_silence(void) { Mat_LogInitFunc("m2ae", m2ae_matio_discard); }

/// zlib's inflateInit, a macro Swift cannot call.
static inline int m2ae_inflate_init(z_stream *stream) { return inflateInit(stream); }
#endif
