// int8 × int8 products for AVX2 (llama.cpp's sign trick): vpmaddubsw needs one unsigned operand, so
// each step multiplies |activation| (u8) by the weight carrying the activation's sign (vpsignb),
// adds byte pairs into int16 (at most 2 · 127 · 127: no saturation, which is why weights of −128 are
// refused at packing), then pairs of int16 into int32 (vpmaddwd by ones). Each activation block's
// int32 sums are converted and multiply-added into f32 sums (see CPareSIMD.h). Tile: 2 samples × 16
// outputs.
#include "CPareSIMD.h"

#if defined(__x86_64__) && (defined(__clang__) || defined(__GNUC__))
#include <immintrin.h>
#pragma clang attribute push(__attribute__((target("avx2,fma"))), apply_to = function)
#include "int8_quantize.h"

int pare_int8_quantize_blocks_avx2(const float *x, float prescale, ptrdiff_t m, ptrdiff_t k, ptrdiff_t ldx, ptrdiff_t block, ptrdiff_t super,
                                   int8_t *q, ptrdiff_t ldq, float *scales, int32_t *sums) {
    return quantize_blocks(x, prescale, m, k, ldx, block, super, q, ldq, scales, sums);
}

#define MR 2

static inline __m256i first_lanes(ptrdiff_t n) {
    int c = n >= 8 ? 8 : n <= 0 ? 0 : (int)n;
    return _mm256_cmpgt_epi32(_mm256_set1_epi32(c), _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7));
}

static inline __attribute__((always_inline)) void tile(const int mr, const int nibbles, ptrdiff_t groups, ptrdiff_t blockGroups, ptrdiff_t nb,
                                                       const int8_t *xq, ptrdiff_t ldq, const float *xs, const int8_t *w,
                                                       const float *ss, const float *ws, const float *bias, float *y,
                                                       ptrdiff_t ldy, ptrdiff_t ncols) {
    __m256 sum[MR][2];
    const __m256i ones = _mm256_set1_epi16(1);
    _Pragma("clang loop unroll(full)") for (int i = 0; i < mr; i++) {
        sum[i][0] = _mm256_setzero_ps();
        sum[i][1] = _mm256_setzero_ps();
    }
    ptrdiff_t g = 0;
    for (ptrdiff_t b = 0; b < nb; b++) {
        __m256i acc[MR][2];
        _Pragma("clang loop unroll(full)") for (int i = 0; i < mr; i++) {
            acc[i][0] = _mm256_setzero_si256();
            acc[i][1] = _mm256_setzero_si256();
        }
        ptrdiff_t end = g + blockGroups < groups ? g + blockGroups : groups;
        const __m256i low = _mm256_set1_epi8(0x0F), eight = _mm256_set1_epi8(8);
        for (; g < end; g += nibbles ? 2 : 1) {
            __m256i b[2][2];  // [group g + h][lanes 0–7, 8–15]
            if (nibbles) {
                // Two groups per 64 bytes: low nibbles group g, high nibbles g + 1, each q + 8.
                __m256i v0 = _mm256_load_si256((const __m256i *)(w + g * 32));
                __m256i v1 = _mm256_load_si256((const __m256i *)(w + g * 32 + 32));
                b[0][0] = _mm256_sub_epi8(_mm256_and_si256(v0, low), eight);
                b[0][1] = _mm256_sub_epi8(_mm256_and_si256(v1, low), eight);
                b[1][0] = _mm256_sub_epi8(_mm256_and_si256(_mm256_srli_epi16(v0, 4), low), eight);
                b[1][1] = _mm256_sub_epi8(_mm256_and_si256(_mm256_srli_epi16(v1, 4), low), eight);
            } else {
                b[0][0] = _mm256_load_si256((const __m256i *)(w + g * 64));
                b[0][1] = _mm256_load_si256((const __m256i *)(w + g * 64 + 32));
                b[1][0] = b[0][0];
                b[1][1] = b[0][1];
            }
            _Pragma("clang loop unroll(full)") for (int h = 0; h < 1 + nibbles; h++)
                _Pragma("clang loop unroll(full)") for (int i = 0; i < mr; i++) {
                    int32_t four;
                    __builtin_memcpy(&four, xq + i * ldq + (g + h) * 4, 4);
                    __m256i a = _mm256_set1_epi32(four);
                    __m256i ax = _mm256_abs_epi8(a);
                    acc[i][0] = _mm256_add_epi32(acc[i][0], _mm256_madd_epi16(_mm256_maddubs_epi16(ax, _mm256_sign_epi8(b[h][0], a)), ones));
                    acc[i][1] = _mm256_add_epi32(acc[i][1], _mm256_madd_epi16(_mm256_maddubs_epi16(ax, _mm256_sign_epi8(b[h][1], a)), ones));
                }
        }
        _Pragma("clang loop unroll(full)") for (int j = 0; j < 2; j++) {
            // Block scales [panel][block][lane] (zeros past the last row): lanes 8j…8j+7 of the panel's 16.
            __m256 d = ss ? _mm256_load_ps(ss + 16 * b + 8 * j) : _mm256_set1_ps(1.0f);
            _Pragma("clang loop unroll(full)") for (int i = 0; i < mr; i++) {
                __m256 scale = _mm256_set1_ps(xs[i * nb + b]);
                if (ss) scale = _mm256_mul_ps(d, scale);
                sum[i][j] = _mm256_fmadd_ps(_mm256_cvtepi32_ps(acc[i][j]), scale, sum[i][j]);
            }
        }
    }
    _Pragma("clang loop unroll(full)") for (int j = 0; j < 2; j++) {
        __m256i mask = first_lanes(ncols - 8 * j);
        __m256 bv = bias ? _mm256_maskload_ps(bias + 8 * j, mask) : _mm256_setzero_ps();
        __m256 wv = ws ? _mm256_loadu_ps(ws + 8 * j) : _mm256_setzero_ps();
        _Pragma("clang loop unroll(full)") for (int i = 0; i < mr; i++) {
            __m256 v = ws ? _mm256_mul_ps(sum[i][j], wv) : sum[i][j];
            _mm256_maskstore_ps(y + i * ldy + 8 * j, mask, _mm256_add_ps(v, bv));
        }
    }
}

typedef void (*tile_fn)(ptrdiff_t, ptrdiff_t, ptrdiff_t, const int8_t *, ptrdiff_t, const float *, const int8_t *,
                        const float *, const float *, const float *, float *, ptrdiff_t, ptrdiff_t);
#define TILE(R, N)                                                                                               \
    static void tile_##R##_##N(ptrdiff_t groups, ptrdiff_t blockGroups, ptrdiff_t nb, const int8_t *xq,            \
                               ptrdiff_t ldq, const float *xs, const int8_t *w, const float *ss, const float *ws,  \
                               const float *bias, float *y, ptrdiff_t ldy, ptrdiff_t ncols) {                      \
        tile(R, N, groups, blockGroups, nb, xq, ldq, xs, w, ss, ws, bias, y, ldy, ncols);                         \
    }
TILE(1, 0) TILE(2, 0) TILE(1, 1) TILE(2, 1)
static const tile_fn tiles[2][MR] = {{tile_1_0, tile_2_0}, {tile_1_1, tile_2_1}};

void pare_int8_gemm_blocks_avx2(ptrdiff_t m, ptrdiff_t n, ptrdiff_t k, ptrdiff_t block, int nibbles, const int8_t *xq,
                                ptrdiff_t ldq, const float *xs, const int8_t *packed, const float *ss,
                                const float *ws, const float *bias, float *y, ptrdiff_t ldy,
                                ptrdiff_t panelBegin, ptrdiff_t panelEnd) {
    ptrdiff_t groups = (k + 3) / 4, nb = (k + block - 1) / block;
    ptrdiff_t panelBytes = nibbles ? pare_q4_packed_bytes(16, k) : groups * 64;
    for (ptrdiff_t p = panelBegin; p < panelEnd; p++) {
        ptrdiff_t j0 = p * 16;
        ptrdiff_t ncols = n - j0 < 16 ? n - j0 : 16;
        const float *pss = ss ? ss + p * nb * 16 : NULL, *pws = ws ? ws + j0 : NULL, *pb = bias ? bias + j0 : NULL;
        for (ptrdiff_t i = 0; i < m; i += MR) {
            int mr = m - i < MR ? (int)(m - i) : MR;
            tiles[nibbles ? 1 : 0][mr - 1](groups, block / 4, nb, xq + i * ldq, ldq, xs + i * nb, packed + p * panelBytes,
                                           pss, pws, pb, y + i * ldy + j0, ldy, ncols);
        }
    }
}

void pare_int8_add_block_offsets_avx2(ptrdiff_t m, ptrdiff_t n, ptrdiff_t nb, const float *xs, const int32_t *xsums,
                                      const float *offsets, float *y, ptrdiff_t ldy) {
    for (ptrdiff_t i = 0; i < m; i++) {
        float *yi = y + i * ldy;
        for (ptrdiff_t b = 0; b < nb; b++) {
            float t = xs[i * nb + b] * (float)(xsums[i * nb + b] >> 7);  // dx · Σ qx (exact: 128 · Σ qx)
            const float *o = offsets + b * n;
            for (ptrdiff_t r = 0; r < n; r++) yi[r] = __builtin_fmaf(o[r], t, yi[r]);
        }
    }
}

#pragma clang attribute pop
#else
int pare_int8_quantize_blocks_avx2(const float *x, float prescale, ptrdiff_t m, ptrdiff_t k, ptrdiff_t ldx, ptrdiff_t block, ptrdiff_t super,
                                   int8_t *q, ptrdiff_t ldq, float *scales, int32_t *sums) { return -1; }
void pare_int8_gemm_blocks_avx2(ptrdiff_t m, ptrdiff_t n, ptrdiff_t k, ptrdiff_t block, int nibbles, const int8_t *xq,
                                ptrdiff_t ldq, const float *xs, const int8_t *packed, const float *ss,
                                const float *ws, const float *bias, float *y, ptrdiff_t ldy,
                                ptrdiff_t panelBegin, ptrdiff_t panelEnd) {}
void pare_int8_add_block_offsets_avx2(ptrdiff_t m, ptrdiff_t n, ptrdiff_t nb, const float *xs, const int32_t *xsums,
                                      const float *offsets, float *y, ptrdiff_t ldy) {}
#endif
