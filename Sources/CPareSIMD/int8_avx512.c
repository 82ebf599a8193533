// int8 × int8 products for AVX-512 with VNNI: vpdpbusd multiplies unsigned weight bytes (q + 128) by
// signed activation bytes and adds four products into each int32 lane; the +128 is removed per
// activation block by starting the block's sums at −128 · Σ q. Each block's exact int32 sum is
// converted and multiply-added into f32 sums with its scales (see CPareSIMD.h). Register tile:
// 6 samples × 32 outputs (12 int32 and 12 f32 accumulators).
#include "CPareSIMD.h"

#if defined(__x86_64__) && defined(__clang__)
#include <immintrin.h>
#pragma clang attribute push(__attribute__((target("avx512f,avx512dq,avx512bw,avx512vl,avx512vnni"))), apply_to = function)
#include "int8_quantize.h"

int pare_int8_quantize_blocks_avx512(const float *x, float prescale, ptrdiff_t m, ptrdiff_t k, ptrdiff_t ldx, ptrdiff_t block, ptrdiff_t super,
                                     int8_t *q, ptrdiff_t ldq, float *scales, int32_t *sums) {
    return quantize_blocks(x, prescale, m, k, ldx, block, super, q, ldq, scales, sums);
}

#define MR 6

// Rows [0, mr) of xq against `panels` (1 or 2) 16-output panels; `nb` blocks of `blockGroups` groups
// (the last one may be shorter: `groups` in all).
static inline __attribute__((always_inline)) void tile(const int mr, const int panels, const int nibbles, ptrdiff_t groups, ptrdiff_t blockGroups,
                                                       ptrdiff_t nb, const int8_t *xq, ptrdiff_t ldq, const float *xs,
                                                       const int32_t *xsums, const uint8_t *w, ptrdiff_t panelBytes,
                                                       const float *ss, const float *ws, const float *bias, float *y,
                                                       ptrdiff_t ldy, ptrdiff_t ncols) {
    __m512 sum[MR][2];
    _Pragma("clang loop unroll(full)") for (int i = 0; i < mr; i++)
        _Pragma("clang loop unroll(full)") for (int j = 0; j < panels; j++) sum[i][j] = _mm512_setzero_ps();
    const uint8_t *w1 = w + panelBytes;
    ptrdiff_t g = 0;
    for (ptrdiff_t b = 0; b < nb; b++) {
        // Each sum starts at minus the weight offset times the block's Σ q (128 · Σ q for bytes,
        // 8 · Σ q for nibbles), so it ends as the exact product with no subtraction per output panel.
        __m512i acc[MR][2];
        _Pragma("clang loop unroll(full)") for (int i = 0; i < mr; i++) {
            int32_t offsetSum = nibbles ? xsums[i * nb + b] >> 4 : xsums[i * nb + b];
            __m512i start = _mm512_set1_epi32(-offsetSum);
            _Pragma("clang loop unroll(full)") for (int j = 0; j < panels; j++) acc[i][j] = start;
        }
        ptrdiff_t end = g + blockGroups < groups ? g + blockGroups : groups;
        if (nibbles) {
            // Two groups per 64 bytes: low nibbles group g, high nibbles g + 1, each q + 8 (u8).
            const __m512i low = _mm512_set1_epi8(0x0F);
            for (; g < end; g += 2) {
                __m512i v0 = _mm512_load_si512(w + g * 32);
                __m512i v1 = panels > 1 ? _mm512_load_si512(w1 + g * 32) : v0;
                __m512i b[2][2] = {{_mm512_and_si512(v0, low), _mm512_and_si512(_mm512_srli_epi16(v0, 4), low)},
                                   {_mm512_and_si512(v1, low), _mm512_and_si512(_mm512_srli_epi16(v1, 4), low)}};
                _Pragma("clang loop unroll(full)") for (int h = 0; h < 2; h++)
                    _Pragma("clang loop unroll(full)") for (int i = 0; i < mr; i++) {
                        int32_t four;
                        __builtin_memcpy(&four, xq + i * ldq + (g + h) * 4, 4);
                        __m512i a = _mm512_set1_epi32(four);
                        acc[i][0] = _mm512_dpbusd_epi32(acc[i][0], b[0][h], a);
                        if (panels > 1) acc[i][1] = _mm512_dpbusd_epi32(acc[i][1], b[1][h], a);
                    }
            }
        } else {
            for (; g < end; g++) {
                __m512i b0 = _mm512_load_si512(w + g * 64);
                __m512i b1 = panels > 1 ? _mm512_load_si512(w1 + g * 64) : b0;
                _Pragma("clang loop unroll(full)") for (int i = 0; i < mr; i++) {
                    int32_t four;
                    __builtin_memcpy(&four, xq + i * ldq + g * 4, 4);
                    __m512i a = _mm512_set1_epi32(four);
                    acc[i][0] = _mm512_dpbusd_epi32(acc[i][0], b0, a);
                    if (panels > 1) acc[i][1] = _mm512_dpbusd_epi32(acc[i][1], b1, a);
                }
            }
        }
        _Pragma("clang loop unroll(full)") for (int j = 0; j < panels; j++) {
            // Block scales [panel][block][lane] (zeros past the last row): one aligned load.
            __m512 d = ss ? _mm512_load_ps(ss + 16 * (j * nb + b)) : _mm512_set1_ps(1.0f);
            _Pragma("clang loop unroll(full)") for (int i = 0; i < mr; i++) {
                __m512 scale = _mm512_set1_ps(xs[i * nb + b]);
                if (ss) scale = _mm512_mul_ps(d, scale);
                sum[i][j] = _mm512_fmadd_ps(_mm512_cvtepi32_ps(acc[i][j]), scale, sum[i][j]);
            }
        }
    }
    _Pragma("clang loop unroll(full)") for (int j = 0; j < panels; j++) {
        ptrdiff_t left = ncols - 16 * j;
        __mmask16 mask = left >= 16 ? (__mmask16)0xFFFF : (__mmask16)((1u << left) - 1u);
        __m512 bv = bias ? _mm512_maskz_loadu_ps(mask, bias + 16 * j) : _mm512_setzero_ps();
        __m512 wv = ws ? _mm512_loadu_ps(ws + 16 * j) : _mm512_setzero_ps();
        _Pragma("clang loop unroll(full)") for (int i = 0; i < mr; i++) {
            __m512 v = ws ? _mm512_mul_ps(sum[i][j], wv) : sum[i][j];
            _mm512_mask_storeu_ps(y + i * ldy + 16 * j, mask, _mm512_add_ps(v, bv));
        }
    }
}

typedef void (*tile_fn)(ptrdiff_t, ptrdiff_t, ptrdiff_t, const int8_t *, ptrdiff_t, const float *, const int32_t *,
                        const uint8_t *, ptrdiff_t, const float *, const float *, const float *, float *, ptrdiff_t,
                        ptrdiff_t);
#define TILE(R, P, N)                                                                                          \
    static void tile_##R##_##P##_##N(ptrdiff_t groups, ptrdiff_t blockGroups, ptrdiff_t nb, const int8_t *xq,          \
                               ptrdiff_t ldq, const float *xs, const int32_t *xsums, const uint8_t *w,          \
                               ptrdiff_t panelBytes, const float *ss, const float *ws, const float *bias,       \
                               float *y, ptrdiff_t ldy, ptrdiff_t ncols) {                                      \
        tile(R, P, N, groups, blockGroups, nb, xq, ldq, xs, xsums, w, panelBytes, ss, ws, bias, y, ldy, ncols);    \
    }
#define TILE_ROW(R) TILE(R, 1, 0) TILE(R, 2, 0) TILE(R, 1, 1) TILE(R, 2, 1)
TILE_ROW(1) TILE_ROW(2) TILE_ROW(3) TILE_ROW(4) TILE_ROW(5) TILE_ROW(6)
#define TILE_ENTRY(R, N) {tile_##R##_1_##N, tile_##R##_2_##N}
static const tile_fn tiles[2][MR][2] = {
    {TILE_ENTRY(1, 0), TILE_ENTRY(2, 0), TILE_ENTRY(3, 0), TILE_ENTRY(4, 0), TILE_ENTRY(5, 0), TILE_ENTRY(6, 0)},
    {TILE_ENTRY(1, 1), TILE_ENTRY(2, 1), TILE_ENTRY(3, 1), TILE_ENTRY(4, 1), TILE_ENTRY(5, 1), TILE_ENTRY(6, 1)},
};

void pare_int8_gemm_blocks_vnni(ptrdiff_t m, ptrdiff_t n, ptrdiff_t k, ptrdiff_t block, int nibbles, const int8_t *xq,
                                ptrdiff_t ldq, const float *xs, const int32_t *xsums, const uint8_t *packed,
                                const float *ss, const float *ws, const float *bias, float *y, ptrdiff_t ldy,
                                ptrdiff_t panelBegin, ptrdiff_t panelEnd) {
    ptrdiff_t groups = (k + 3) / 4, nb = (k + block - 1) / block;
    ptrdiff_t panelBytes = nibbles ? pare_q4_packed_bytes(16, k) : groups * 64;
    for (ptrdiff_t p = panelBegin; p < panelEnd; p += 2) {
        int pair = p + 1 < panelEnd ? 2 : 1;
        ptrdiff_t j0 = p * 16;
        ptrdiff_t ncols = n - j0 < 16 * pair ? n - j0 : 16 * pair;
        for (ptrdiff_t i = 0; i < m; i += MR) {
            int mr = m - i < MR ? (int)(m - i) : MR;
            tiles[nibbles ? 1 : 0][mr - 1][pair - 1](groups, block / 4, nb, xq + i * ldq, ldq, xs + i * nb, xsums + i * nb,
                                    packed + p * panelBytes, panelBytes, ss ? ss + p * nb * 16 : NULL,
                                    ws ? ws + j0 : NULL, bias ? bias + j0 : NULL, y + i * ldy + j0, ldy, ncols);
        }
    }
}

#pragma clang attribute pop
#else
int pare_int8_quantize_blocks_avx512(const float *x, float prescale, ptrdiff_t m, ptrdiff_t k, ptrdiff_t ldx, ptrdiff_t block, ptrdiff_t super,
                                     int8_t *q, ptrdiff_t ldq, float *scales, int32_t *sums) { return -1; }
void pare_int8_gemm_blocks_vnni(ptrdiff_t m, ptrdiff_t n, ptrdiff_t k, ptrdiff_t block, int nibbles, const int8_t *xq,
                                ptrdiff_t ldq, const float *xs, const int32_t *xsums, const uint8_t *packed,
                                const float *ss, const float *ws, const float *bias, float *y, ptrdiff_t ldy,
                                ptrdiff_t panelBegin, ptrdiff_t panelEnd) {}
#endif
