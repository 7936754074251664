// Shim over the HDF5 C library. HDF5 names its predefined types and property-list
// classes through macros that expand to global variables read after H5open(); Swift
// cannot import those macros, so each one used by the project is wrapped here.
#ifndef M2AE_CHDF5_SHIM_H
#define M2AE_CHDF5_SHIM_H
#include <hdf5.h>

static inline hid_t m2ae_H5T_NATIVE_FLOAT(void)  { H5open(); return H5T_NATIVE_FLOAT; }
static inline hid_t m2ae_H5T_NATIVE_DOUBLE(void) { H5open(); return H5T_NATIVE_DOUBLE; }
static inline hid_t m2ae_H5T_NATIVE_INT32(void)  { H5open(); return H5T_NATIVE_INT32; }
static inline hid_t m2ae_H5T_NATIVE_INT64(void)  { H5open(); return H5T_NATIVE_INT64; }
static inline hid_t m2ae_H5T_NATIVE_UINT8(void)  { H5open(); return H5T_NATIVE_UINT8; }
static inline hid_t m2ae_H5T_NATIVE_UINT32(void) { H5open(); return H5T_NATIVE_UINT32; }
static inline hid_t m2ae_H5T_NATIVE_INT8(void)   { H5open(); return H5T_NATIVE_INT8; }
static inline hid_t m2ae_H5T_IEEE_F32LE(void)    { H5open(); return H5T_IEEE_F32LE; }
static inline hid_t m2ae_H5T_IEEE_F64LE(void)    { H5open(); return H5T_IEEE_F64LE; }
static inline hid_t m2ae_H5T_STD_I32LE(void)     { H5open(); return H5T_STD_I32LE; }
static inline hid_t m2ae_H5T_STD_I64LE(void)     { H5open(); return H5T_STD_I64LE; }
static inline hid_t m2ae_H5T_STD_U8LE(void)      { H5open(); return H5T_STD_U8LE; }
static inline hid_t m2ae_H5T_STD_I8LE(void)      { H5open(); return H5T_STD_I8LE; }
static inline hid_t m2ae_H5T_STD_U32LE(void)     { H5open(); return H5T_STD_U32LE; }
static inline hid_t m2ae_H5T_C_S1(void)          { H5open(); return H5T_C_S1; }
static inline hid_t m2ae_H5P_DATASET_CREATE(void){ H5open(); return H5P_DATASET_CREATE; }
static inline hid_t m2ae_H5P_FILE_ACCESS(void)   { H5open(); return H5P_FILE_ACCESS; }
static inline hid_t m2ae_H5P_GROUP_CREATE(void)  { H5open(); return H5P_GROUP_CREATE; }
static inline hid_t m2ae_H5P_LINK_CREATE(void)   { H5open(); return H5P_LINK_CREATE; }
static inline hid_t m2ae_H5P_DEFAULT(void)       { return H5P_DEFAULT; }
static inline hid_t m2ae_H5S_ALL(void)           { return H5S_ALL; }
static inline size_t m2ae_H5T_VARIABLE(void)     { return H5T_VARIABLE; }
static inline unsigned m2ae_H5F_ACC_RDONLY(void) { return H5F_ACC_RDONLY; }
static inline unsigned m2ae_H5F_ACC_RDWR(void)   { return H5F_ACC_RDWR; }
static inline unsigned m2ae_H5F_ACC_TRUNC(void)  { return H5F_ACC_TRUNC; }
static inline unsigned m2ae_H5F_ACC_EXCL(void)   { return H5F_ACC_EXCL; }

/// Turns off HDF5's automatic error-stack printing, so the project reports errors itself, and
/// HDF5's exit-time clean-up: every file the project writes is closed before it is renamed into
/// place, and after a failed close (a full disk) HDF 1.10's exit handler closes the file again
/// and crashes. Must be the first HDF5 call of the process.
static inline void m2ae_H5_silence_errors(void) { H5dont_atexit(); H5open(); H5Eset_auto2(H5E_DEFAULT, NULL, NULL); }
#endif
