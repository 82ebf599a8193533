// The batch-1 sliced sparse kernels for AVX2 (see CPareSIMD.h): slices of 8 rows (one ymm lane each),
// tiles of 16 columns held in two ymm registers. vpermps reads only the low 3 bits of a lane's
// column, so each step permutes both halves of the tile and blends on bit 3 (shifted to the sign).
#include "CPareSIMD.h"

#if defined(__x86_64__) && (defined(__clang__) || defined(__GNUC__))
#include <immintrin.h>
#define PARE_AVX2 __attribute__((target("avx2,fma")))

// Lanes [0, n) set, n clamped to 0...8, as a maskload mask.
static inline PARE_AVX2 __m256i first_lanes8(ptrdiff_t n) {
    int c = n >= 8 ? 8 : n <= 0 ? 0 : (int)n;
    return _mm256_cmpgt_epi32(_mm256_set1_epi32(c), _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7));
}

// x[column] for each lane, column in bits 0...3 of `d` (higher bits ignored).
static inline PARE_AVX2 __m256 pick(__m256 lo, __m256 hi, __m256i d) {
    return _mm256_blendv_ps(_mm256_permutevar8x32_ps(lo, d), _mm256_permutevar8x32_ps(hi, d),
                            _mm256_castsi256_ps(_mm256_slli_epi32(d, 28)));
}

#define PACKED_STEP8(K, ACC)                                                                       \
    do {                                                                                           \
        __m256i d = _mm256_load_si256((const __m256i *)(packed + 8 * (K)));                        \
        ACC = _mm256_fmadd_ps(_mm256_castsi256_ps(_mm256_and_si256(d, valueBits)), pick(lo, hi, d), ACC); \
    } while (0)

#define F32_STEP8(K, ACC)                                                                          \
    do {                                                                                           \
        __m256i c = _mm256_cvtepu8_epi32(_mm_loadl_epi64((const __m128i *)(lanes + 8 * (K))));     \
        ACC = _mm256_fmadd_ps(_mm256_load_ps(values + 8 * (K)), pick(lo, hi, c), ACC);             \
    } while (0)

#define WALK_VEC __m256
#define WALK_LANES 8
#define WALK_TILE 16
#define WALK_ZERO() _mm256_setzero_ps()
#define WALK_ADD(a, b) _mm256_add_ps(a, b)
#define WALK_MUL(a, b) _mm256_mul_ps(a, b)
#define WALK_LOAD(p) _mm256_load_ps(p)
#define WALK_STORE(p, v) _mm256_store_ps(p, v)
#define WALK_LOAD_FIRST(p, n) _mm256_maskload_ps(p, first_lanes8(n))
#include "sliced_walk.h"

PARE_AVX2 void pare_sliced_gemv_packed_avx2(const float *x, ptrdiff_t columns, ptrdiff_t rows, ptrdiff_t tiles,
                                            const ptrdiff_t *stepStarts, const int32_t *rowOrder, const uint32_t *packed,
                                            const float *scales, const float *bias, float *y,
                                            ptrdiff_t sliceBegin, ptrdiff_t sliceEnd) {
    const __m256i valueBits = _mm256_set1_epi32((int)0xFFFF0000u);
    SLICED_WALK(PACKED_STEP8)
}

PARE_AVX2 void pare_sliced_gemv_f32_avx2(const float *x, ptrdiff_t columns, ptrdiff_t rows, ptrdiff_t tiles,
                                         const ptrdiff_t *stepStarts, const int32_t *rowOrder, const uint8_t *lanes, const float *values,
                                         const float *scales, const float *bias, float *y,
                                         ptrdiff_t sliceBegin, ptrdiff_t sliceEnd) {
    SLICED_WALK(F32_STEP8)
}

#else
void pare_sliced_gemv_packed_avx2(const float *x, ptrdiff_t columns, ptrdiff_t rows, ptrdiff_t tiles,
                                  const ptrdiff_t *stepStarts, const int32_t *rowOrder, const uint32_t *packed,
                                  const float *scales, const float *bias, float *y,
                                  ptrdiff_t sliceBegin, ptrdiff_t sliceEnd) {}
void pare_sliced_gemv_f32_avx2(const float *x, ptrdiff_t columns, ptrdiff_t rows, ptrdiff_t tiles,
                               const ptrdiff_t *stepStarts, const int32_t *rowOrder, const uint8_t *lanes, const float *values,
                               const float *scales, const float *bias, float *y,
                               ptrdiff_t sliceBegin, ptrdiff_t sliceEnd) {}
#endif
