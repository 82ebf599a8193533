// The blocked sgemm and the few-row products compiled for AVX2 + FMA: a 6 × 16 register tile
// (12 ymm accumulators of the 16 registers). The driver is shared with the AVX-512 build.
#include "CPareSIMD.h"

#if defined(__x86_64__) && defined(__clang__)
#include <immintrin.h>
#pragma clang attribute push(__attribute__((target("avx2,fma"))), apply_to = function)

typedef __m256 vec;
#define VL 8
#define MR 6
#define NV 2
#define VZERO() _mm256_setzero_ps()
#define VLOAD(p) _mm256_load_ps(p)
#define VLOADU(p) _mm256_loadu_ps(p)
#define VSTOREU(p, v) _mm256_storeu_ps(p, v)
#define VSET1(x) _mm256_set1_ps(x)
#define VFMA(a, b, c) _mm256_fmadd_ps(a, b, c)
#define VADD(a, b) _mm256_add_ps(a, b)
static inline float VHSUM(__m256 v) {
    __m128 s = _mm_add_ps(_mm256_castps256_ps128(v), _mm256_extractf128_ps(v, 1));
    s = _mm_add_ps(s, _mm_movehl_ps(s, s));
    s = _mm_add_ss(s, _mm_movehdup_ps(s));
    return _mm_cvtss_f32(s);
}
typedef __m256i vmask;
static inline vmask vmask_first(ptrdiff_t n) {
    int c = n >= 8 ? 8 : n <= 0 ? 0 : (int)n;
    return _mm256_cmpgt_epi32(_mm256_set1_epi32(c), _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7));
}
#define VLOADM(p, m) _mm256_maskload_ps(p, m)
#define VSTOREM(p, m, v) _mm256_maskstore_ps(p, m, v)
#define FN(name) name##_avx2

#include "sgemm_driver.h"

#pragma clang attribute pop
#else
#include "sgemm_missing.h"
PARE_MISSING_SGEMM(avx2)
#endif
