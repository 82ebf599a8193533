// CPU feature checks for the kernel sets (see CPareSIMD.h). The Swift side (PareKernels' KernelSet)
// reads them once and applies PARE_KERNELS.
#include "CPareSIMD.h"
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#if defined(__x86_64__) && (defined(__clang__) || defined(__GNUC__))
int pare_kernels_supported(void) {
    __builtin_cpu_init();
    if (__builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw") &&
        __builtin_cpu_supports("avx512vl") && __builtin_cpu_supports("avx512dq"))
        return PARE_KERNELS_AVX512;
    if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma")) return PARE_KERNELS_AVX2;
    return PARE_KERNELS_GENERIC;
}

int pare_cpu_has_avx512vnni(void) {
    __builtin_cpu_init();
    return __builtin_cpu_supports("avx512vnni") ? 1 : 0;
}
#else
int pare_kernels_supported(void) { return PARE_KERNELS_GENERIC; }
int pare_cpu_has_avx512vnni(void) { return 0; }
#endif

int pare_encoder_kernels(void) {
    static int chosen = -1;  // a race only computes the same value twice
    int set = __atomic_load_n(&chosen, __ATOMIC_RELAXED);
    if (set >= 0) return set;
    set = pare_kernels_supported();
    const char *requested = getenv("PARE_KERNELS");
    if (requested && strcasecmp(requested, "generic") == 0) set = PARE_KERNELS_GENERIC;
    if (requested && strcasecmp(requested, "avx2") == 0 && set > PARE_KERNELS_AVX2) set = PARE_KERNELS_AVX2;
    __atomic_store_n(&chosen, set, __ATOMIC_RELAXED);
    return set;
}
