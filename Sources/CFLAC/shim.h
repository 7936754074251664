// Shim over libFLAC's stream decoder (Debian libflac-dev), used to read the FLAC-compressed
// WFDB signal formats 508, 516 and 524.
#ifndef M2AE_CFLAC_SHIM_H
#define M2AE_CFLAC_SHIM_H
#include <FLAC/stream_decoder.h>
#endif
