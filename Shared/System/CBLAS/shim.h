#include <cblas.h>
// OpenBLAS's thread count is set at run time so decode threads and BLAS threads share the cores.
void openblas_set_num_threads(int num_threads);
int openblas_get_num_threads(void);
