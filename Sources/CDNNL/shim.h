#ifndef LETHE_CDNNL_SHIM_H
#define LETHE_CDNNL_SHIM_H
// oneDNN (Debian: libdnnl-dev, 2.6): dnnl_sgemm, row-major C = alpha op(A) op(B) + beta C.
#include <oneapi/dnnl/dnnl.h>

// Debian builds oneDNN on the OpenMP runtime (libgomp, DNNL_CPU_RUNTIME == DNNL_RUNTIME_OMP):
// the size of the team a dnnl_sgemm call opens is the calling thread's OpenMP thread count.
// Declared here rather than through <omp.h>, which is in GCC's private include folder.
void omp_set_num_threads(int num_threads);
int omp_get_max_threads(void);
#endif
