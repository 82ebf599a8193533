// int8 × int8 products for AVX2 (llama.cpp's sign trick): vpmaddubsw needs one unsigned operand, so
// each step multiplies |activation| (u8) by the weight carrying the activation's sign (vpsignb),
// adds byte pairs into int16 (at most 2 · 127 · 127: no saturation, which is why weights of −128 are
// refused at packing), then pairs of int16 into int32 (vpmaddwd by ones). Tile: 4 samples × 16 outputs.
#include "CPareSIMD.h"

#if defined(__x86_64__) && (defined(__clang__) || defined(__GNUC__))
#include <immintrin.h>
#pragma clang attribute push(__attribute__((target("avx2,fma"))), apply_to = function)

#define MR 4

static inline __m256i first_lanes(ptrdiff_t n) {
    int c = n >= 8 ? 8 : n <= 0 ? 0 : (int)n;
    return _mm256_cmpgt_epi32(_mm256_set1_epi32(c), _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7));
}

int pare_int8_quantize_rows_avx2(const float *x, ptrdiff_t m, ptrdiff_t k, ptrdiff_t ldx, uint8_t *q,
                                 ptrdiff_t ldq, float *scales, int offset) {
    const __m256i absBits = _mm256_set1_epi32(0x7FFFFFFF);
    for (ptrdiff_t i = 0; i < m; i++) {
        const float *row = x + i * ldx;
        __m256i most = _mm256_setzero_si256();
        for (ptrdiff_t c = 0; c < k; c += 8) {
            __m256i bits = _mm256_and_si256(_mm256_castps_si256(_mm256_maskload_ps(row + c, first_lanes(k - c))), absBits);
            most = _mm256_max_epi32(most, bits);
        }
        int32_t lanes[8];
        _mm256_storeu_si256((__m256i *)lanes, most);
        int32_t maxBits = 0;
        for (int j = 0; j < 8; j++) maxBits = lanes[j] > maxBits ? lanes[j] : maxBits;
        if (maxBits >= 0x7F800000) return -1;  // inf or NaN: the caller keeps f32
        float maxAbs;
        __builtin_memcpy(&maxAbs, &maxBits, 4);
        uint8_t *out = q + i * ldq;
        uint8_t pad = offset ? 0x80 : 0;
        if (!(maxAbs >= PARE_INT8_MIN_RANGE)) {
            scales[i] = 0;
            for (ptrdiff_t c = 0; c < ldq; c++) out[c] = pad;
            continue;
        }
        float inverse = 127.0f / maxAbs;
        scales[i] = maxAbs / 127.0f;
        __m256 inv = _mm256_set1_ps(inverse);
        __m256i lo = _mm256_set1_epi32(-127), hi = _mm256_set1_epi32(127), add = _mm256_set1_epi32(offset ? 128 : 0);
        ptrdiff_t c = 0;
        for (; c + 8 <= k; c += 8) {
            __m256i v = _mm256_cvtps_epi32(_mm256_mul_ps(_mm256_loadu_ps(row + c), inv));
            v = _mm256_add_epi32(_mm256_min_epi32(_mm256_max_epi32(v, lo), hi), add);
            // int32 → int8: pack to int16 (within 128-bit halves), then to int8, then gather the halves.
            __m256i w16 = _mm256_packs_epi32(v, v);
            __m256i w8 = _mm256_packs_epi16(w16, w16);
            if (offset) w8 = _mm256_packus_epi16(w16, w16);
            int32_t first = _mm256_extract_epi32(w8, 0), second = _mm256_extract_epi32(w8, 4);
            __builtin_memcpy(out + c, &first, 4);
            __builtin_memcpy(out + c + 4, &second, 4);
        }
        for (; c < k; c++) {
            int v = (int)__builtin_rintf(row[c] * inverse);
            v = v < -127 ? -127 : v > 127 ? 127 : v;
            out[c] = (uint8_t)(v + (offset ? 128 : 0));
        }
        for (c = k; c < ldq; c++) out[c] = pad;
    }
    return 0;
}

static inline __attribute__((always_inline)) void tile(const int mr, ptrdiff_t groups, const int8_t *xq, ptrdiff_t ldq,
                                                       const float *xs, const int8_t *w, const float *ws,
                                                       const float *bias, float *y, ptrdiff_t ldy, ptrdiff_t ncols) {
    __m256i acc[MR][2];
    const __m256i ones = _mm256_set1_epi16(1);
    _Pragma("clang loop unroll(full)") for (int i = 0; i < mr; i++) {
        acc[i][0] = _mm256_setzero_si256();
        acc[i][1] = _mm256_setzero_si256();
    }
    for (ptrdiff_t g = 0; g < groups; g++) {
        __m256i b0 = _mm256_load_si256((const __m256i *)(w + g * 64));
        __m256i b1 = _mm256_load_si256((const __m256i *)(w + g * 64 + 32));
        _Pragma("clang loop unroll(full)") for (int i = 0; i < mr; i++) {
            int32_t four;
            __builtin_memcpy(&four, xq + i * ldq + g * 4, 4);
            __m256i a = _mm256_set1_epi32(four);
            __m256i ax = _mm256_abs_epi8(a);
            acc[i][0] = _mm256_add_epi32(acc[i][0], _mm256_madd_epi16(_mm256_maddubs_epi16(ax, _mm256_sign_epi8(b0, a)), ones));
            acc[i][1] = _mm256_add_epi32(acc[i][1], _mm256_madd_epi16(_mm256_maddubs_epi16(ax, _mm256_sign_epi8(b1, a)), ones));
        }
    }
    _Pragma("clang loop unroll(full)") for (int j = 0; j < 2; j++) {
        __m256i mask = first_lanes(ncols - 8 * j);
        __m256 scale = _mm256_loadu_ps(ws + 8 * j);
        __m256 b = bias ? _mm256_maskload_ps(bias + 8 * j, mask) : _mm256_setzero_ps();
        _Pragma("clang loop unroll(full)") for (int i = 0; i < mr; i++) {
            __m256 dot = _mm256_cvtepi32_ps(acc[i][j]);
            __m256 v = _mm256_add_ps(_mm256_mul_ps(dot, _mm256_mul_ps(_mm256_set1_ps(xs[i]), scale)), b);
            _mm256_maskstore_ps(y + i * ldy + 8 * j, mask, v);
        }
    }
}

typedef void (*tile_fn)(ptrdiff_t, const int8_t *, ptrdiff_t, const float *, const int8_t *, const float *,
                        const float *, float *, ptrdiff_t, ptrdiff_t);
#define TILE(R)                                                                                     \
    static void tile_##R(ptrdiff_t groups, const int8_t *xq, ptrdiff_t ldq, const float *xs,         \
                         const int8_t *w, const float *ws, const float *bias, float *y, ptrdiff_t ldy, \
                         ptrdiff_t ncols) {                                                          \
        tile(R, groups, xq, ldq, xs, w, ws, bias, y, ldy, ncols);                                   \
    }
TILE(1) TILE(2) TILE(3) TILE(4)
static const tile_fn tiles[MR] = {tile_1, tile_2, tile_3, tile_4};

void pare_int8_gemm_avx2(ptrdiff_t m, ptrdiff_t n, ptrdiff_t k, const int8_t *xq, ptrdiff_t ldq, const float *xs,
                         const int8_t *packed, const float *ws, const float *bias, float *y, ptrdiff_t ldy,
                         ptrdiff_t panelBegin, ptrdiff_t panelEnd) {
    ptrdiff_t groups = (k + 3) / 4, panelBytes = groups * 64;
    for (ptrdiff_t p = panelBegin; p < panelEnd; p++) {
        ptrdiff_t j0 = p * 16;
        ptrdiff_t ncols = n - j0 < 16 ? n - j0 : 16;
        const int8_t *w = packed + p * panelBytes;
        for (ptrdiff_t i = 0; i < m; i += MR) {
            int mr = m - i < MR ? (int)(m - i) : MR;
            tiles[mr - 1](groups, xq + i * ldq, ldq, xs + i, w, ws + j0, bias ? bias + j0 : NULL, y + i * ldy + j0, ldy, ncols);
        }
    }
}

// Block codings: per-segment int32 sums multiply-added into f32 sums (see the AVX-512 file). Tile
// 2 samples × 16 outputs.
#define MRS 2
static inline __attribute__((always_inline)) void segment_tile(const int mr, ptrdiff_t segments, ptrdiff_t segmentGroups,
                                                               const int8_t *xq, ptrdiff_t ldq, const float *xs,
                                                               const int8_t *w, const float *ss, const float *bias,
                                                               float *y, ptrdiff_t ldy, ptrdiff_t ncols) {
    __m256 sum[MRS][2];
    const __m256i ones = _mm256_set1_epi16(1);
    _Pragma("clang loop unroll(full)") for (int i = 0; i < mr; i++) {
        sum[i][0] = _mm256_setzero_ps();
        sum[i][1] = _mm256_setzero_ps();
    }
    ptrdiff_t g = 0;
    for (ptrdiff_t seg = 0; seg < segments; seg++) {
        __m256i acc[MRS][2];
        _Pragma("clang loop unroll(full)") for (int i = 0; i < mr; i++) {
            acc[i][0] = _mm256_setzero_si256();
            acc[i][1] = _mm256_setzero_si256();
        }
        for (ptrdiff_t end = g + segmentGroups; g < end; g++) {
            __m256i b0 = _mm256_load_si256((const __m256i *)(w + g * 64));
            __m256i b1 = _mm256_load_si256((const __m256i *)(w + g * 64 + 32));
            _Pragma("clang loop unroll(full)") for (int i = 0; i < mr; i++) {
                int32_t four;
                __builtin_memcpy(&four, xq + i * ldq + g * 4, 4);
                __m256i a = _mm256_set1_epi32(four);
                __m256i ax = _mm256_abs_epi8(a);
                acc[i][0] = _mm256_add_epi32(acc[i][0], _mm256_madd_epi16(_mm256_maddubs_epi16(ax, _mm256_sign_epi8(b0, a)), ones));
                acc[i][1] = _mm256_add_epi32(acc[i][1], _mm256_madd_epi16(_mm256_maddubs_epi16(ax, _mm256_sign_epi8(b1, a)), ones));
            }
        }
        _Pragma("clang loop unroll(full)") for (int j = 0; j < 2; j++) {
            __m256 d = _mm256_load_ps(ss + seg * 16 + 8 * j);
            _Pragma("clang loop unroll(full)") for (int i = 0; i < mr; i++)
                sum[i][j] = _mm256_fmadd_ps(_mm256_cvtepi32_ps(acc[i][j]), d, sum[i][j]);
        }
    }
    _Pragma("clang loop unroll(full)") for (int j = 0; j < 2; j++) {
        __m256i mask = first_lanes(ncols - 8 * j);
        __m256 b = bias ? _mm256_maskload_ps(bias + 8 * j, mask) : _mm256_setzero_ps();
        _Pragma("clang loop unroll(full)") for (int i = 0; i < mr; i++)
            _mm256_maskstore_ps(y + i * ldy + 8 * j, mask, _mm256_add_ps(_mm256_mul_ps(sum[i][j], _mm256_set1_ps(xs[i])), b));
    }
}

static void segment_tile_1(ptrdiff_t segments, ptrdiff_t segmentGroups, const int8_t *xq, ptrdiff_t ldq, const float *xs,
                           const int8_t *w, const float *ss, const float *bias, float *y, ptrdiff_t ldy, ptrdiff_t ncols) {
    segment_tile(1, segments, segmentGroups, xq, ldq, xs, w, ss, bias, y, ldy, ncols);
}
static void segment_tile_2(ptrdiff_t segments, ptrdiff_t segmentGroups, const int8_t *xq, ptrdiff_t ldq, const float *xs,
                           const int8_t *w, const float *ss, const float *bias, float *y, ptrdiff_t ldy, ptrdiff_t ncols) {
    segment_tile(2, segments, segmentGroups, xq, ldq, xs, w, ss, bias, y, ldy, ncols);
}

void pare_int8_gemm_segments_avx2(ptrdiff_t m, ptrdiff_t n, ptrdiff_t k, ptrdiff_t segment, const int8_t *xq,
                                  ptrdiff_t ldq, const float *xs, const int8_t *packed, const float *ss,
                                  const float *bias, float *y, ptrdiff_t ldy, ptrdiff_t panelBegin, ptrdiff_t panelEnd) {
    ptrdiff_t groups = k / 4, panelBytes = groups * 64, segments = k / segment;
    for (ptrdiff_t p = panelBegin; p < panelEnd; p++) {
        ptrdiff_t j0 = p * 16;
        ptrdiff_t ncols = n - j0 < 16 ? n - j0 : 16;
        for (ptrdiff_t i = 0; i < m; i += MRS) {
            const float *b = bias ? bias + j0 : NULL;
            if (m - i >= 2)
                segment_tile_2(segments, segment / 4, xq + i * ldq, ldq, xs + i, packed + p * panelBytes,
                               ss + p * segments * 16, b, y + i * ldy + j0, ldy, ncols);
            else
                segment_tile_1(segments, segment / 4, xq + i * ldq, ldq, xs + i, packed + p * panelBytes,
                               ss + p * segments * 16, b, y + i * ldy + j0, ldy, ncols);
        }
    }
}

#pragma clang attribute pop
#else
int pare_int8_quantize_rows_avx2(const float *x, ptrdiff_t m, ptrdiff_t k, ptrdiff_t ldx, uint8_t *q,
                                 ptrdiff_t ldq, float *scales, int offset) { return -1; }
void pare_int8_gemm_avx2(ptrdiff_t m, ptrdiff_t n, ptrdiff_t k, const int8_t *xq, ptrdiff_t ldq, const float *xs,
                         const int8_t *packed, const float *ws, const float *bias, float *y, ptrdiff_t ldy,
                         ptrdiff_t panelBegin, ptrdiff_t panelEnd) {}
void pare_int8_gemm_segments_avx2(ptrdiff_t m, ptrdiff_t n, ptrdiff_t k, ptrdiff_t segment, const int8_t *xq,
                                  ptrdiff_t ldq, const float *xs, const int8_t *packed, const float *ss,
                                  const float *bias, float *y, ptrdiff_t ldy, ptrdiff_t panelBegin, ptrdiff_t panelEnd) {}
#endif
