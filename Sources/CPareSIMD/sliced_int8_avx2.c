// The sparse int8 × int8 matrix-vector kernel for AVX2 (see CPareSIMD.h, "sparse int8 × int8"):
// slices of 8 rows, tiles of 16 columns, 4 entries per row per step. The tile's 16 quantized inputs
// sit in both 128-bit halves of one register, so `vpshufb` fetches each lane's input by its 4-bit
// column — a register lookup, no gather — and `vpmaddubsw` / `vpmaddwd` sum a row's four products.
#include "CPareSIMD.h"

#if defined(__x86_64__) && (defined(__clang__) || defined(__GNUC__))
#include <immintrin.h>
#define PARE_AVX2 __attribute__((target("avx2,fma")))

PARE_AVX2 void pare_sliced_int8_gemv_avx2(const int8_t *xq, const float *xs, ptrdiff_t rows, ptrdiff_t tiles,
                                          const ptrdiff_t *stepStarts, const int32_t *rowOrder, const uint8_t *columns,
                                          const int8_t *values, const float *scales, const float *bias, float *y,
                                          ptrdiff_t sliceBegin, ptrdiff_t sliceEnd) {
    const __m256i ones = _mm256_set1_epi16(1);
    ptrdiff_t blocks = (tiles + 1) / 2;
    for (ptrdiff_t s = sliceBegin; s < sliceEnd; s++) {
        const ptrdiff_t *starts = stepStarts + s * tiles;
        __m256 sum = _mm256_setzero_ps();
        for (ptrdiff_t b = 0; b < blocks; b++) {
            ptrdiff_t t0 = 2 * b, t1 = t0 + 2 < tiles ? t0 + 2 : tiles;
            if (starts[t0] == starts[t1]) continue;  // nothing stored: fma(0, d, sum) = sum
            __m256i acc = _mm256_setzero_si256();
            for (ptrdiff_t t = t0; t < t1; t++) {
                ptrdiff_t k = starts[t], end = starts[t + 1];
                if (k == end) continue;
                __m256i table = _mm256_broadcastsi128_si256(_mm_loadu_si128((const __m128i *)(xq + 16 * t)));
                for (; k < end; k++) {
                    __m256i c = _mm256_load_si256((const __m256i *)(columns + 32 * k));
                    __m256i w = _mm256_load_si256((const __m256i *)(values + 32 * k));
                    __m256i x = _mm256_shuffle_epi8(table, c);
                    // |x| · (w · sign x): u8 × s8 pairs stay ≤ 2 · 127 · 127 in int16 (no saturation).
                    __m256i pairs = _mm256_maddubs_epi16(_mm256_abs_epi8(x), _mm256_sign_epi8(w, x));
                    acc = _mm256_add_epi32(acc, _mm256_madd_epi16(pairs, ones));
                }
            }
            sum = _mm256_fmadd_ps(_mm256_cvtepi32_ps(acc), _mm256_set1_ps(xs[b]), sum);
        }
        float out[8] __attribute__((aligned(32)));
        _mm256_store_ps(out, _mm256_mul_ps(sum, _mm256_load_ps(scales + s * 8)));
        ptrdiff_t lanesUsed = rows - s * 8 < 8 ? rows - s * 8 : 8;
        for (ptrdiff_t j = 0; j < lanesUsed; j++) {  // back to row order
            int32_t r = rowOrder[s * 8 + j];
            y[r] = bias ? out[j] + bias[r] : out[j];
        }
    }
}

#else
void pare_sliced_int8_gemv_avx2(const int8_t *xq, const float *xs, ptrdiff_t rows, ptrdiff_t tiles,
                                const ptrdiff_t *stepStarts, const int32_t *rowOrder, const uint8_t *columns,
                                const int8_t *values, const float *scales, const float *bias, float *y,
                                ptrdiff_t sliceBegin, ptrdiff_t sliceEnd) {}
#endif
