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

// The slice / tile walk shared by both encodings. Four sums, so four steps in flight do not wait on
// one another's multiply-add (latency 4); the tile's input is loaded once into lo / hi.
#define SLICED_WALK(STEP)                                                                          \
    for (ptrdiff_t s = sliceBegin; s < sliceEnd; s++) {                                            \
        __m512 a0 = _mm512_setzero_ps(), a1 = a0, a2 = a0, a3 = a0;                                \
        for (ptrdiff_t t = 0; t < tiles; t++) {                                                    \
            ptrdiff_t k = stepStarts[s * tiles + t], end = stepStarts[s * tiles + t + 1];          \
            if (k == end) continue;                                                                \
            ptrdiff_t left = columns - t * 32; /* the last tile may be short: masked loads */      \
            __m512 lo = _mm512_maskz_loadu_ps(first_lanes(left), x + t * 32);                      \
            __m512 hi = _mm512_maskz_loadu_ps(first_lanes(left - 16), x + t * 32 + 16);            \
            for (; k + 4 <= end; k += 4) {                                                         \
                STEP(k, a0); STEP(k + 1, a1); STEP(k + 2, a2); STEP(k + 3, a3);                    \
            }                                                                                      \
            if (k < end) STEP(k, a0);                                                              \
            if (k + 1 < end) STEP(k + 1, a1);                                                      \
            if (k + 2 < end) STEP(k + 2, a2);                                                      \
        }                                                                                          \
        __m512 sum = _mm512_add_ps(_mm512_add_ps(a0, a1), _mm512_add_ps(a2, a3));                  \
        float out[16] __attribute__((aligned(64)));                                                \
        _mm512_store_ps(out, _mm512_mul_ps(sum, _mm512_load_ps(scales + s * 16)));                 \
        ptrdiff_t lanesUsed = rows - s * 16 < 16 ? rows - s * 16 : 16;                             \
        for (ptrdiff_t j = 0; j < lanesUsed; j++) { /* back to row order */                        \
            int32_t r = rowOrder[s * 16 + j];                                                      \
            y[r] = bias ? out[j] + bias[r] : out[j];                                               \
        }                                                                                          \
    }

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
