// The sparse int8 × int8 matrix-vector kernel for AVX2 (see CPareSIMD.h, "sparse int8 × int8"):
// slices of 8 rows, tiles of 32 columns (one activation block), 4 entries per row per step. Each half
// of the tile's 32 quantized inputs sits in both 128-bit lanes of a register, so two `vpshufb` fetch
// every lane's input by its column — register lookups, no gather — and `vpmaddubsw` / `vpmaddwd` sum a
// row's four products. Tiles of 16 (one shuffle per step) measured 1.3–2× slower: twice the tiles
// per slice, each with its loop overhead, and more padding to whole steps.
//
// The kernel is bound by instructions issued (4 a cycle), not by one port, so every instruction of a
// step counts (Intel Xeon, C harness, LeNet's 784 × 300 at 90 %, 2026-12-02):
// - a step's columns and values are one 64-byte record (one pointer, one cache line);
// - two slices run side by side: the tile's registers and scale are loaded once for both, and the
//   two float sums are independent chains (3.18 → 2.76 µs with the records, → ~2.6 µs with pairs);
// - when no input of the sample is negative (ReLU outputs, pixels), `vpmaddubsw` takes x as u8
//   directly: no `vpabsb` / `vpsignb` per step (→ 2.3 µs). Same products, same bits.
#include "CPareSIMD.h"

#if defined(__x86_64__) && (defined(__clang__) || defined(__GNUC__))
#include <immintrin.h>
#define PARE_AVX2 __attribute__((target("avx2,fma")))
#define PARE_INLINE static inline __attribute__((always_inline))

enum { record = 64 };

/// One step: 8 lanes × 4 entries, summed per lane in int32.
PARE_INLINE PARE_AVX2 __m256i step(const uint8_t *p, __m256i lo, __m256i hi, int nonNegative) {
    const __m256i c = _mm256_load_si256((const __m256i *)p), w = _mm256_load_si256((const __m256i *)(p + 32));
    // A column byte with bit 7 set reads 0 from the low half; flipped, it reads the high half.
    const __m256i x = _mm256_or_si256(_mm256_shuffle_epi8(lo, c), _mm256_shuffle_epi8(hi, _mm256_xor_si256(c, _mm256_set1_epi8((char)0x80))));
    // u8 × s8 pairs stay ≤ 2 · 127 · 127 in int16 (no saturation): x itself when it is ≥ 0, else
    // |x| · (w · sign x).
    const __m256i pairs = nonNegative ? _mm256_maddubs_epi16(x, w) : _mm256_maddubs_epi16(_mm256_abs_epi8(x), _mm256_sign_epi8(w, x));
    return _mm256_madd_epi16(pairs, _mm256_set1_epi16(1));
}

/// y of slice s from its per-lane sum (back to row order).
PARE_INLINE PARE_AVX2 void store(__m256 sum, ptrdiff_t s, ptrdiff_t rows, const int32_t *rowOrder, const float *scales,
                                 const float *bias, float *y) {
    float out[8] __attribute__((aligned(32)));
    _mm256_store_ps(out, _mm256_mul_ps(sum, _mm256_load_ps(scales + s * 8)));
    ptrdiff_t lanesUsed = rows - s * 8 < 8 ? rows - s * 8 : 8;
    for (ptrdiff_t j = 0; j < lanesUsed; j++) {
        int32_t r = rowOrder[s * 8 + j];
        y[r] = bias ? out[j] + bias[r] : out[j];
    }
}

PARE_INLINE PARE_AVX2 void slices(const int8_t *xq, const float *xs, ptrdiff_t rows, ptrdiff_t tiles, const ptrdiff_t *sliceStarts,
                                  const uint8_t *stepCounts, const uint8_t *steps, const int32_t *rowOrder, const float *scales,
                                  const float *bias, float *y, ptrdiff_t s, ptrdiff_t sliceEnd, int nonNegative) {
    for (; s + 1 < sliceEnd; s += 2) {  // two slices, one pass over the tiles
        const uint8_t *p = steps + record * sliceStarts[s], *q = steps + record * sliceStarts[s + 1];
        const uint8_t *counts0 = stepCounts + s * tiles, *counts1 = counts0 + tiles;
        __m256 sum0 = _mm256_setzero_ps(), sum1 = _mm256_setzero_ps();
        for (ptrdiff_t t = 0; t < tiles; t++) {
            // The tile's two halves of 16 inputs, each in both 128-bit lanes (vpshufb looks up per lane).
            const __m256i lo = _mm256_broadcastsi128_si256(_mm_loadu_si128((const __m128i *)(xq + 32 * t)));
            const __m256i hi = _mm256_broadcastsi128_si256(_mm_loadu_si128((const __m128i *)(xq + 32 * t + 16)));
            const __m256 d = _mm256_set1_ps(xs[t]);
            __m256i acc0 = _mm256_setzero_si256(), acc1 = _mm256_setzero_si256();
            const uint8_t *end0 = p + record * counts0[t], *end1 = q + record * counts1[t];
            for (; p < end0; p += record) acc0 = _mm256_add_epi32(acc0, step(p, lo, hi, nonNegative));
            for (; q < end1; q += record) acc1 = _mm256_add_epi32(acc1, step(q, lo, hi, nonNegative));
            // A tile with no step adds fma(0, d, sum) = sum exactly (d is finite).
            sum0 = _mm256_fmadd_ps(_mm256_cvtepi32_ps(acc0), d, sum0);
            sum1 = _mm256_fmadd_ps(_mm256_cvtepi32_ps(acc1), d, sum1);
        }
        store(sum0, s, rows, rowOrder, scales, bias, y);
        store(sum1, s + 1, rows, rowOrder, scales, bias, y);
    }
    if (s < sliceEnd) {
        const uint8_t *p = steps + record * sliceStarts[s], *counts0 = stepCounts + s * tiles;
        __m256 sum0 = _mm256_setzero_ps();
        for (ptrdiff_t t = 0; t < tiles; t++) {
            const __m256i lo = _mm256_broadcastsi128_si256(_mm_loadu_si128((const __m128i *)(xq + 32 * t)));
            const __m256i hi = _mm256_broadcastsi128_si256(_mm_loadu_si128((const __m128i *)(xq + 32 * t + 16)));
            __m256i acc0 = _mm256_setzero_si256();
            for (const uint8_t *end0 = p + record * counts0[t]; p < end0; p += record) acc0 = _mm256_add_epi32(acc0, step(p, lo, hi, nonNegative));
            sum0 = _mm256_fmadd_ps(_mm256_cvtepi32_ps(acc0), _mm256_set1_ps(xs[t]), sum0);
        }
        store(sum0, s, rows, rowOrder, scales, bias, y);
    }
}

PARE_AVX2 void pare_sliced_int8_gemv_avx2(const int8_t *xq, const float *xs, ptrdiff_t rows, ptrdiff_t tiles,
                                          const ptrdiff_t *sliceStarts, const uint8_t *stepCounts, const uint8_t *steps,
                                          const int32_t *rowOrder, const float *scales, const float *bias, float *y,
                                          ptrdiff_t sliceBegin, ptrdiff_t sliceEnd) {
    // Any negative input? (one pass over the sample's 32 · tiles bytes)
    __m256i any = _mm256_setzero_si256();
    for (ptrdiff_t i = 0; i < 32 * tiles; i += 32) any = _mm256_or_si256(any, _mm256_loadu_si256((const __m256i *)(xq + i)));
    if (_mm256_movemask_epi8(any) == 0)
        slices(xq, xs, rows, tiles, sliceStarts, stepCounts, steps, rowOrder, scales, bias, y, sliceBegin, sliceEnd, 1);
    else
        slices(xq, xs, rows, tiles, sliceStarts, stepCounts, steps, rowOrder, scales, bias, y, sliceBegin, sliceEnd, 0);
}

#else
void pare_sliced_int8_gemv_avx2(const int8_t *xq, const float *xs, ptrdiff_t rows, ptrdiff_t tiles,
                                const ptrdiff_t *sliceStarts, const uint8_t *stepCounts, const uint8_t *steps,
                                const int32_t *rowOrder, const float *scales, const float *bias, float *y,
                                ptrdiff_t sliceBegin, ptrdiff_t sliceEnd) {}
#endif
