#ifndef LETHE_CBLAS_SHIM_H
#define LETHE_CBLAS_SHIM_H
// Debian's libopenblas-dev puts cblas.h on the default include path (multiarch folder);
// it also declares openblas_set_num_threads and openblas_get_config.
#include <cblas.h>
#endif
