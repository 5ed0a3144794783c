#ifndef LETHE_CHDF5_SHIM_H
#define LETHE_CHDF5_SHIM_H
// Debian's libhdf5-dev (serial build) keeps its headers under hdf5/serial, off the default
// include path; a path relative to /usr/include needs no -I flag.
#include <hdf5/serial/hdf5.h>

// HDF5's "constants" are macros that call H5open() and read a global; Swift does not import
// them, so these getters do.
static inline hid_t lethe_h5t_native_float(void)    { return H5T_NATIVE_FLOAT; }
static inline hid_t lethe_h5t_native_double(void)   { return H5T_NATIVE_DOUBLE; }
static inline hid_t lethe_h5t_native_int64(void)    { return H5T_NATIVE_INT64; }
static inline hid_t lethe_h5t_native_uint64(void)   { return H5T_NATIVE_UINT64; }
static inline hid_t lethe_h5t_native_uint8(void)    { return H5T_NATIVE_UINT8; }
static inline hid_t lethe_h5t_ieee_f32le(void)      { return H5T_IEEE_F32LE; }
static inline hid_t lethe_h5t_ieee_f64le(void)      { return H5T_IEEE_F64LE; }
static inline hid_t lethe_h5t_std_i64le(void)       { return H5T_STD_I64LE; }
static inline hid_t lethe_h5t_std_u64le(void)       { return H5T_STD_U64LE; }
static inline hid_t lethe_h5t_std_u8le(void)        { return H5T_STD_U8LE; }
static inline hid_t lethe_h5t_c_s1(void)            { return H5T_C_S1; }
static inline hid_t lethe_h5p_dataset_create(void)  { return H5P_DATASET_CREATE; }
static inline hid_t lethe_h5p_file_access(void)     { return H5P_FILE_ACCESS; }
static inline hid_t lethe_h5p_default(void)         { return H5P_DEFAULT; }
static inline hid_t lethe_h5s_all(void)             { return H5S_ALL; }
static inline unsigned lethe_h5f_acc_trunc(void)    { return H5F_ACC_TRUNC; }
static inline unsigned lethe_h5f_acc_excl(void)     { return H5F_ACC_EXCL; }
static inline unsigned lethe_h5f_acc_rdonly(void)   { return H5F_ACC_RDONLY; }
static inline unsigned lethe_h5f_acc_rdwr(void)     { return H5F_ACC_RDWR; }
static inline hsize_t lethe_h5s_unlimited(void)     { return H5S_UNLIMITED; }
static inline size_t lethe_h5t_variable(void)       { return H5T_VARIABLE; }

// Silence HDF5's automatic error stack printing; callers turn failures into Swift errors.
static inline void lethe_h5_silence_errors(void) { H5Eset_auto2(H5E_DEFAULT, NULL, NULL); }
#endif
