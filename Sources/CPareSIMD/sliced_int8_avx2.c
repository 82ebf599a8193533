// The sparse int8 × int8 matrix-vector kernel for AVX2 (see CPareSIMD.h, "sparse int8 × int8"):
// slices of 8 rows, tiles of 32 columns (one activation block), 4 entries per row per step. Each half
// of the tile's 32 quantized inputs sits in both 128-bit lanes of a register, so two `vpshufb` fetch
// every lane's input by its column — register lookups, no gather — and `vpmaddubsw` / `vpmaddwd` sum a
// row's four products. Tiles of 16 (one shuffle per step) measured 1.3–2× slower: twice the tiles
// per slice, each with its loop overhead, and more padding to whole steps.
#include "CPareSIMD.h"

#if defined(__x86_64__) && (defined(__clang__) || defined(__GNUC__))
#include <immintrin.h>
#define PARE_AVX2 __attribute__((target("avx2,fma")))

PARE_AVX2 void pare_sliced_int8_gemv_avx2(const int8_t *xq, const float *xs, ptrdiff_t rows, ptrdiff_t tiles,
                                          const ptrdiff_t *stepStarts, const int32_t *rowOrder, const uint8_t *columns,
                                          const int8_t *values, const float *scales, const float *bias, float *y,
                                          ptrdiff_t sliceBegin, ptrdiff_t sliceEnd) {
    const __m256i ones = _mm256_set1_epi16(1), flip = _mm256_set1_epi8((char)0x80);
    for (ptrdiff_t s = sliceBegin; s < sliceEnd; s++) {
        const ptrdiff_t *starts = stepStarts + s * tiles;
        __m256 sum = _mm256_setzero_ps();
        for (ptrdiff_t t = 0; t < tiles; t++) {
            ptrdiff_t k = starts[t], end = starts[t + 1];
            if (k == end) continue;  // nothing stored: fma(0, d, sum) = sum
            // The tile's two halves of 16 inputs, each in both 128-bit lanes (vpshufb looks up per lane).
            __m256i lo = _mm256_broadcastsi128_si256(_mm_loadu_si128((const __m128i *)(xq + 32 * t)));
            __m256i hi = _mm256_broadcastsi128_si256(_mm_loadu_si128((const __m128i *)(xq + 32 * t + 16)));
            __m256i acc = _mm256_setzero_si256();
            for (; k < end; k++) {
                __m256i c = _mm256_load_si256((const __m256i *)(columns + 32 * k));
                __m256i w = _mm256_load_si256((const __m256i *)(values + 32 * k));
                // A column byte with bit 7 set reads 0 from the low half; flipped, it reads the high half.
                __m256i x = _mm256_or_si256(_mm256_shuffle_epi8(lo, c), _mm256_shuffle_epi8(hi, _mm256_xor_si256(c, flip)));
                // |x| · (w · sign x): u8 × s8 pairs stay ≤ 2 · 127 · 127 in int16 (no saturation).
                __m256i pairs = _mm256_maddubs_epi16(_mm256_abs_epi8(x), _mm256_sign_epi8(w, x));
                acc = _mm256_add_epi32(acc, _mm256_madd_epi16(pairs, ones));
            }
            sum = _mm256_fmadd_ps(_mm256_cvtepi32_ps(acc), _mm256_set1_ps(xs[t]), sum);
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
