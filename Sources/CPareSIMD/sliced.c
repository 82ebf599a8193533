#include "CPareSIMD.h"

#if defined(__x86_64__) && (defined(__clang__) || defined(__GNUC__))
#include <immintrin.h>
#define PARE_AVX512 __attribute__((target("avx512f")))

// Lanes [0, n) set, n clamped to 0...16.
static inline PARE_AVX512 __mmask16 first_lanes(ptrdiff_t n) {
    if (n >= 16) return (__mmask16)0xFFFF;
    if (n <= 0) return 0;
    return (__mmask16)((1u << n) - 1u);
}

// One step, packed lanes: the AND keeps the bf16 value (exact), the permute reads the column.
#define PACKED_STEP(K, ACC)                                                                        \
    do {                                                                                           \
        __m512i d = _mm512_load_si512(packed + 16 * (K));                                          \
        ACC = _mm512_fmadd_ps(_mm512_castsi512_ps(_mm512_and_si512(d, valueBits)),                 \
                              _mm512_permutex2var_ps(lo, d, hi), ACC);                             \
    } while (0)

// One step, f32 lanes.
#define F32_STEP(K, ACC)                                                                           \
    do {                                                                                           \
        __m512i c = _mm512_cvtepu8_epi32(_mm_load_si128((const __m128i *)(lanes + 16 * (K))));     \
        ACC = _mm512_fmadd_ps(_mm512_load_ps(values + 16 * (K)), _mm512_permutex2var_ps(lo, c, hi), ACC); \
    } while (0)

#define WALK_VEC __m512
#define WALK_LANES 16
#define WALK_TILE 32
#define WALK_ZERO() _mm512_setzero_ps()
#define WALK_ADD(a, b) _mm512_add_ps(a, b)
#define WALK_MUL(a, b) _mm512_mul_ps(a, b)
#define WALK_LOAD(p) _mm512_load_ps(p)
#define WALK_STORE(p, v) _mm512_store_ps(p, v)
#define WALK_LOAD_FIRST(p, n) _mm512_maskz_loadu_ps(first_lanes(n), p)
#include "sliced_walk.h"

PARE_AVX512 void pare_sliced_gemv_packed_avx512(const float *x, ptrdiff_t columns, ptrdiff_t rows, ptrdiff_t tiles,
                                         const ptrdiff_t *stepStarts, const int32_t *rowOrder, const uint32_t *packed,
                                         const float *scales, const float *bias, float *y,
                                         ptrdiff_t sliceBegin, ptrdiff_t sliceEnd) {
    const __m512i valueBits = _mm512_set1_epi32((int)0xFFFF0000u);
    SLICED_WALK(PACKED_STEP)
}

PARE_AVX512 void pare_sliced_gemv_f32_avx512(const float *x, ptrdiff_t columns, ptrdiff_t rows, ptrdiff_t tiles,
                                      const ptrdiff_t *stepStarts, const int32_t *rowOrder, const uint8_t *lanes, const float *values,
                                      const float *scales, const float *bias, float *y,
                                      ptrdiff_t sliceBegin, ptrdiff_t sliceEnd) {
    SLICED_WALK(F32_STEP)
}

#else
// Other architectures: the generic kernel set keeps the Swift kernels; these are never called.
void pare_sliced_gemv_packed_avx512(const float *x, ptrdiff_t columns, ptrdiff_t rows, ptrdiff_t tiles,
                             const ptrdiff_t *stepStarts, const int32_t *rowOrder, const uint32_t *packed,
                             const float *scales, const float *bias, float *y,
                             ptrdiff_t sliceBegin, ptrdiff_t sliceEnd) {}

void pare_sliced_gemv_f32_avx512(const float *x, ptrdiff_t columns, ptrdiff_t rows, ptrdiff_t tiles,
                          const ptrdiff_t *stepStarts, const int32_t *rowOrder, const uint8_t *lanes, const float *values,
                          const float *scales, const float *bias, float *y,
                          ptrdiff_t sliceBegin, ptrdiff_t sliceEnd) {}
#endif
