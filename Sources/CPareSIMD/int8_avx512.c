// int8 × int8 products for AVX-512 with VNNI: vpdpbusd multiplies unsigned activation bytes (q + 128)
// by signed weight bytes and adds four products into each int32 lane; the +128 is removed once per
// output with the weight row sums. Register tile: 12 samples × 32 outputs (24 zmm accumulators).
#include "CPareSIMD.h"

#if defined(__x86_64__) && defined(__clang__)
#include <immintrin.h>
#pragma clang attribute push(__attribute__((target("avx512f,avx512dq,avx512bw,avx512vl,avx512vnni"))), apply_to = function)

#define MR 12

// xs[i] · (row i of x quantized): see pare_int8_quantize_rows_* in CPareSIMD.h.
int pare_int8_quantize_rows_avx512(const float *x, ptrdiff_t m, ptrdiff_t k, ptrdiff_t ldx, uint8_t *q,
                                   ptrdiff_t ldq, float *scales, int offset) {
    const __m512i absBits = _mm512_set1_epi32(0x7FFFFFFF);
    for (ptrdiff_t i = 0; i < m; i++) {
        const float *row = x + i * ldx;
        __m512i most = _mm512_setzero_si512();
        for (ptrdiff_t c = 0; c < k; c += 16) {
            __mmask16 mask = k - c >= 16 ? (__mmask16)0xFFFF : (__mmask16)((1u << (k - c)) - 1u);
            __m512i bits = _mm512_and_si512(_mm512_castps_si512(_mm512_maskz_loadu_ps(mask, row + c)), absBits);
            most = _mm512_max_epi32(most, bits);
        }
        int32_t maxBits = _mm512_reduce_max_epi32(most);
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
        __m512 inv = _mm512_set1_ps(inverse);
        __m512i lo = _mm512_set1_epi32(-127), hi = _mm512_set1_epi32(127), add = _mm512_set1_epi32(offset ? 128 : 0);
        ptrdiff_t c = 0;
        for (; c < k; c += 16) {
            __mmask16 mask = k - c >= 16 ? (__mmask16)0xFFFF : (__mmask16)((1u << (k - c)) - 1u);
            __m512i v = _mm512_cvtps_epi32(_mm512_mul_ps(_mm512_maskz_loadu_ps(mask, row + c), inv));
            v = _mm512_add_epi32(_mm512_min_epi32(_mm512_max_epi32(v, lo), hi), add);
            _mm512_mask_cvtepi32_storeu_epi8(out + c, mask, v);
        }
        for (c = k; c < ldq; c++) out[c] = pad;
    }
    return 0;
}

// One register tile: rows [0, mr) of xq against `panels` (1 or 2) 16-output panels.
static inline __attribute__((always_inline)) void tile(const int mr, const int panels, ptrdiff_t groups,
                                                       const uint8_t *xq, ptrdiff_t ldq, const float *xs,
                                                       const int8_t *w, ptrdiff_t panelBytes, const int32_t *corr,
                                                       const float *ws, const float *bias, float *y, ptrdiff_t ldy,
                                                       ptrdiff_t ncols) {
    __m512i acc[MR][2];
    _Pragma("clang loop unroll(full)") for (int i = 0; i < mr; i++)
        _Pragma("clang loop unroll(full)") for (int j = 0; j < panels; j++) acc[i][j] = _mm512_setzero_si512();
    const int8_t *w1 = w + panelBytes;
    for (ptrdiff_t g = 0; g < groups; g++) {
        __m512i b0 = _mm512_load_si512(w + g * 64);
        __m512i b1 = panels > 1 ? _mm512_load_si512(w1 + g * 64) : b0;
        _Pragma("clang loop unroll(full)") for (int i = 0; i < mr; i++) {
            int32_t four;
            __builtin_memcpy(&four, xq + i * ldq + g * 4, 4);
            __m512i a = _mm512_set1_epi32(four);
            acc[i][0] = _mm512_dpbusd_epi32(acc[i][0], a, b0);
            if (panels > 1) acc[i][1] = _mm512_dpbusd_epi32(acc[i][1], a, b1);
        }
    }
    _Pragma("clang loop unroll(full)") for (int j = 0; j < panels; j++) {
        __m512i c = _mm512_loadu_si512(corr + 16 * j);
        __m512 scale = _mm512_loadu_ps(ws + 16 * j);
        ptrdiff_t left = ncols - 16 * j;
        __mmask16 mask = left >= 16 ? (__mmask16)0xFFFF : (__mmask16)((1u << left) - 1u);
        __m512 b = bias ? _mm512_maskz_loadu_ps(mask, bias + 16 * j) : _mm512_setzero_ps();
        _Pragma("clang loop unroll(full)") for (int i = 0; i < mr; i++) {
            __m512 dot = _mm512_cvtepi32_ps(_mm512_sub_epi32(acc[i][j], c));
            __m512 v = _mm512_add_ps(_mm512_mul_ps(dot, _mm512_mul_ps(_mm512_set1_ps(xs[i]), scale)), b);
            _mm512_mask_storeu_ps(y + i * ldy + 16 * j, mask, v);
        }
    }
}

typedef void (*tile_fn)(ptrdiff_t, const uint8_t *, ptrdiff_t, const float *, const int8_t *, ptrdiff_t,
                        const int32_t *, const float *, const float *, float *, ptrdiff_t, ptrdiff_t);
#define TILE(R, P)                                                                                  \
    static void tile_##R##_##P(ptrdiff_t groups, const uint8_t *xq, ptrdiff_t ldq, const float *xs,  \
                               const int8_t *w, ptrdiff_t panelBytes, const int32_t *corr,           \
                               const float *ws, const float *bias, float *y, ptrdiff_t ldy,          \
                               ptrdiff_t ncols) {                                                    \
        tile(R, P, groups, xq, ldq, xs, w, panelBytes, corr, ws, bias, y, ldy, ncols);              \
    }
#define TILE_ROW(R) TILE(R, 1) TILE(R, 2)
TILE_ROW(1) TILE_ROW(2) TILE_ROW(3) TILE_ROW(4) TILE_ROW(5) TILE_ROW(6)
TILE_ROW(7) TILE_ROW(8) TILE_ROW(9) TILE_ROW(10) TILE_ROW(11) TILE_ROW(12)
#define TILE_ENTRY(R) {tile_##R##_1, tile_##R##_2}
static const tile_fn tiles[MR][2] = {
    TILE_ENTRY(1), TILE_ENTRY(2), TILE_ENTRY(3), TILE_ENTRY(4), TILE_ENTRY(5), TILE_ENTRY(6),
    TILE_ENTRY(7), TILE_ENTRY(8), TILE_ENTRY(9), TILE_ENTRY(10), TILE_ENTRY(11), TILE_ENTRY(12),
};

void pare_int8_gemm_vnni(ptrdiff_t m, ptrdiff_t n, ptrdiff_t k, const uint8_t *xq, ptrdiff_t ldq, const float *xs,
                         const int8_t *packed, const int32_t *corr, const float *ws, const float *bias,
                         float *y, ptrdiff_t ldy, ptrdiff_t panelBegin, ptrdiff_t panelEnd) {
    ptrdiff_t groups = (k + 3) / 4, panelBytes = groups * 64;
    for (ptrdiff_t p = panelBegin; p < panelEnd; p += 2) {
        int pair = p + 1 < panelEnd ? 2 : 1;
        ptrdiff_t j0 = p * 16;
        ptrdiff_t ncols = n - j0 < 16 * pair ? n - j0 : 16 * pair;
        const int8_t *w = packed + p * panelBytes;
        for (ptrdiff_t i = 0; i < m; i += MR) {
            int mr = m - i < MR ? (int)(m - i) : MR;
            tiles[mr - 1][pair - 1](groups, xq + i * ldq, ldq, xs + i, w, panelBytes, corr + j0, ws + j0,
                                    bias ? bias + j0 : NULL, y + i * ldy + j0, ldy, ncols);
        }
    }
}

// Block codings (q8_0 / q4_0): the weight scale changes every `segment` columns, so each segment's
// int32 sums are converted and multiply-added into f32 sums with that segment's scales. Tile 6 × 32:
// 12 int32 and 12 f32 accumulators.
#define MRS 6
static inline __attribute__((always_inline)) void segment_tile(const int mr, const int panels, ptrdiff_t segments,
                                                               ptrdiff_t segmentGroups, const uint8_t *xq, ptrdiff_t ldq,
                                                               const float *xs, const int8_t *w, ptrdiff_t panelBytes,
                                                               const int32_t *corr, const float *ss, ptrdiff_t panelSegments,
                                                               const float *bias, float *y, ptrdiff_t ldy, ptrdiff_t ncols) {
    __m512 sum[MRS][2];
    _Pragma("clang loop unroll(full)") for (int i = 0; i < mr; i++)
        _Pragma("clang loop unroll(full)") for (int j = 0; j < panels; j++) sum[i][j] = _mm512_setzero_ps();
    const int8_t *w1 = w + panelBytes;
    ptrdiff_t g = 0;
    for (ptrdiff_t seg = 0; seg < segments; seg++) {
        __m512i acc[MRS][2];
        _Pragma("clang loop unroll(full)") for (int i = 0; i < mr; i++)
            _Pragma("clang loop unroll(full)") for (int j = 0; j < panels; j++) acc[i][j] = _mm512_setzero_si512();
        for (ptrdiff_t end = g + segmentGroups; g < end; g++) {
            __m512i b0 = _mm512_load_si512(w + g * 64);
            __m512i b1 = panels > 1 ? _mm512_load_si512(w1 + g * 64) : b0;
            _Pragma("clang loop unroll(full)") for (int i = 0; i < mr; i++) {
                int32_t four;
                __builtin_memcpy(&four, xq + i * ldq + g * 4, 4);
                __m512i a = _mm512_set1_epi32(four);
                acc[i][0] = _mm512_dpbusd_epi32(acc[i][0], a, b0);
                if (panels > 1) acc[i][1] = _mm512_dpbusd_epi32(acc[i][1], a, b1);
            }
        }
        _Pragma("clang loop unroll(full)") for (int j = 0; j < panels; j++) {
            __m512i c = _mm512_load_si512(corr + (j * panelSegments + seg) * 16);
            __m512 d = _mm512_load_ps(ss + (j * panelSegments + seg) * 16);
            _Pragma("clang loop unroll(full)") for (int i = 0; i < mr; i++)
                sum[i][j] = _mm512_fmadd_ps(_mm512_cvtepi32_ps(_mm512_sub_epi32(acc[i][j], c)), d, sum[i][j]);
        }
    }
    _Pragma("clang loop unroll(full)") for (int j = 0; j < panels; j++) {
        ptrdiff_t left = ncols - 16 * j;
        __mmask16 mask = left >= 16 ? (__mmask16)0xFFFF : (__mmask16)((1u << left) - 1u);
        __m512 b = bias ? _mm512_maskz_loadu_ps(mask, bias + 16 * j) : _mm512_setzero_ps();
        _Pragma("clang loop unroll(full)") for (int i = 0; i < mr; i++)
            _mm512_mask_storeu_ps(y + i * ldy + 16 * j, mask, _mm512_add_ps(_mm512_mul_ps(sum[i][j], _mm512_set1_ps(xs[i])), b));
    }
}

typedef void (*segment_fn)(ptrdiff_t, ptrdiff_t, const uint8_t *, ptrdiff_t, const float *, const int8_t *, ptrdiff_t,
                           const int32_t *, const float *, ptrdiff_t, const float *, float *, ptrdiff_t, ptrdiff_t);
#define SEGMENT_TILE(R, P)                                                                          \
    static void segment_tile_##R##_##P(ptrdiff_t segments, ptrdiff_t segmentGroups, const uint8_t *xq, \
                                       ptrdiff_t ldq, const float *xs, const int8_t *w, ptrdiff_t panelBytes, \
                                       const int32_t *corr, const float *ss, ptrdiff_t panelSegments,  \
                                       const float *bias, float *y, ptrdiff_t ldy, ptrdiff_t ncols) {  \
        segment_tile(R, P, segments, segmentGroups, xq, ldq, xs, w, panelBytes, corr, ss, panelSegments, \
                     bias, y, ldy, ncols);                                                           \
    }
#define SEGMENT_ROW(R) SEGMENT_TILE(R, 1) SEGMENT_TILE(R, 2)
SEGMENT_ROW(1) SEGMENT_ROW(2) SEGMENT_ROW(3) SEGMENT_ROW(4) SEGMENT_ROW(5) SEGMENT_ROW(6)
#define SEGMENT_ENTRY(R) {segment_tile_##R##_1, segment_tile_##R##_2}
static const segment_fn segment_tiles[MRS][2] = {
    SEGMENT_ENTRY(1), SEGMENT_ENTRY(2), SEGMENT_ENTRY(3), SEGMENT_ENTRY(4), SEGMENT_ENTRY(5), SEGMENT_ENTRY(6),
};

void pare_int8_gemm_segments_vnni(ptrdiff_t m, ptrdiff_t n, ptrdiff_t k, ptrdiff_t segment, const uint8_t *xq,
                                  ptrdiff_t ldq, const float *xs, const int8_t *packed, const int32_t *corr,
                                  const float *ss, const float *bias, float *y, ptrdiff_t ldy,
                                  ptrdiff_t panelBegin, ptrdiff_t panelEnd) {
    ptrdiff_t groups = k / 4, panelBytes = groups * 64, segments = k / segment;
    for (ptrdiff_t p = panelBegin; p < panelEnd; p += 2) {
        int pair = p + 1 < panelEnd ? 2 : 1;
        ptrdiff_t j0 = p * 16;
        ptrdiff_t ncols = n - j0 < 16 * pair ? n - j0 : 16 * pair;
        for (ptrdiff_t i = 0; i < m; i += MRS) {
            int mr = m - i < MRS ? (int)(m - i) : MRS;
            segment_tiles[mr - 1][pair - 1](segments, segment / 4, xq + i * ldq, ldq, xs + i, packed + p * panelBytes,
                                            panelBytes, corr + p * segments * 16, ss + p * segments * 16, segments,
                                            bias ? bias + j0 : NULL, y + i * ldy + j0, ldy, ncols);
        }
    }
}

#pragma clang attribute pop
#else
int pare_int8_quantize_rows_avx512(const float *x, ptrdiff_t m, ptrdiff_t k, ptrdiff_t ldx, uint8_t *q,
                                   ptrdiff_t ldq, float *scales, int offset) { return -1; }
void pare_int8_gemm_vnni(ptrdiff_t m, ptrdiff_t n, ptrdiff_t k, const uint8_t *xq, ptrdiff_t ldq, const float *xs,
                         const int8_t *packed, const int32_t *corr, const float *ws, const float *bias,
                         float *y, ptrdiff_t ldy, ptrdiff_t panelBegin, ptrdiff_t panelEnd) {}
void pare_int8_gemm_segments_vnni(ptrdiff_t m, ptrdiff_t n, ptrdiff_t k, ptrdiff_t segment, const uint8_t *xq,
                                  ptrdiff_t ldq, const float *xs, const int8_t *packed, const int32_t *corr,
                                  const float *ss, const float *bias, float *y, ptrdiff_t ldy,
                                  ptrdiff_t panelBegin, ptrdiff_t panelEnd) {}
#endif
