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

#define SLICED_WALK8(STEP)                                                                         \
    for (ptrdiff_t s = sliceBegin; s < sliceEnd; s++) {                                            \
        __m256 a0 = _mm256_setzero_ps(), a1 = a0, a2 = a0, a3 = a0;                                \
        for (ptrdiff_t t = 0; t < tiles; t++) {                                                    \
            ptrdiff_t k = stepStarts[s * tiles + t], end = stepStarts[s * tiles + t + 1];          \
            if (k == end) continue;                                                                \
            ptrdiff_t left = columns - t * 16; /* the last tile may be short: masked loads */      \
            __m256 lo = _mm256_maskload_ps(x + t * 16, first_lanes8(left));                        \
            __m256 hi = _mm256_maskload_ps(x + t * 16 + 8, first_lanes8(left - 8));                \
            for (; k + 4 <= end; k += 4) {                                                         \
                STEP(k, a0); STEP(k + 1, a1); STEP(k + 2, a2); STEP(k + 3, a3);                    \
            }                                                                                      \
            if (k < end) STEP(k, a0);                                                              \
            if (k + 1 < end) STEP(k + 1, a1);                                                      \
            if (k + 2 < end) STEP(k + 2, a2);                                                      \
        }                                                                                          \
        __m256 sum = _mm256_add_ps(_mm256_add_ps(a0, a1), _mm256_add_ps(a2, a3));                  \
        float out[8] __attribute__((aligned(32)));                                                 \
        _mm256_store_ps(out, _mm256_mul_ps(sum, _mm256_load_ps(scales + s * 8)));                  \
        ptrdiff_t lanesUsed = rows - s * 8 < 8 ? rows - s * 8 : 8;                                 \
        for (ptrdiff_t j = 0; j < lanesUsed; j++) { /* back to row order */                        \
            int32_t r = rowOrder[s * 8 + j];                                                       \
            y[r] = bias ? out[j] + bias[r] : out[j];                                               \
        }                                                                                          \
    }

PARE_AVX2 void pare_sliced_gemv_packed_avx2(const float *x, ptrdiff_t columns, ptrdiff_t rows, ptrdiff_t tiles,
                                            const ptrdiff_t *stepStarts, const int32_t *rowOrder, const uint32_t *packed,
                                            const float *scales, const float *bias, float *y,
                                            ptrdiff_t sliceBegin, ptrdiff_t sliceEnd) {
    const __m256i valueBits = _mm256_set1_epi32((int)0xFFFF0000u);
    SLICED_WALK8(PACKED_STEP8)
}

PARE_AVX2 void pare_sliced_gemv_f32_avx2(const float *x, ptrdiff_t columns, ptrdiff_t rows, ptrdiff_t tiles,
                                         const ptrdiff_t *stepStarts, const int32_t *rowOrder, const uint8_t *lanes, const float *values,
                                         const float *scales, const float *bias, float *y,
                                         ptrdiff_t sliceBegin, ptrdiff_t sliceEnd) {
    SLICED_WALK8(F32_STEP8)
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
