// The blocked sgemm and the few-row products compiled for AVX-512 (F, DQ, BW, VL): a 12 × 32 register
// tile (24 zmm accumulators). The driver is shared with the AVX2 build (sgemm_driver.h).
#include "CPareSIMD.h"

#if defined(__x86_64__) && defined(__clang__)
#include <immintrin.h>
#pragma clang attribute push(__attribute__((target("avx512f,avx512dq,avx512bw,avx512vl,avx2,fma"))), apply_to = function)

typedef __m512 vec;
#define VL 16
#define MR 12
#define NV 2
#define VZERO() _mm512_setzero_ps()
#define VLOAD(p) _mm512_load_ps(p)
#define VLOADU(p) _mm512_loadu_ps(p)
#define VSTOREU(p, v) _mm512_storeu_ps(p, v)
#define VSET1(x) _mm512_set1_ps(x)
#define VFMA(a, b, c) _mm512_fmadd_ps(a, b, c)
#define VADD(a, b) _mm512_add_ps(a, b)
#define VHSUM(v) _mm512_reduce_add_ps(v)
typedef __mmask16 vmask;
static inline vmask vmask_first(ptrdiff_t n) {
    return n >= 16 ? (vmask)0xFFFF : n <= 0 ? (vmask)0 : (vmask)((1u << n) - 1u);
}
#define VLOADM(p, m) _mm512_maskz_loadu_ps(m, p)
#define VSTOREM(p, m, v) _mm512_mask_storeu_ps(p, m, v)
#define FN(name) name##_avx512

#include "sgemm_driver.h"

#pragma clang attribute pop
#else
#include "sgemm_missing.h"
PARE_MISSING_SGEMM(avx512)
#endif
