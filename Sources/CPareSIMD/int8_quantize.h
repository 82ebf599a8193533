// The activation quantizer shared by the int8 × int8 kernel sets (see pare_int8_quantize_blocks_* in
// CPareSIMD.h). Included by int8_avx512.c and int8_avx2.c inside their target pragmas, so clang
// vectorizes the same source for each instruction set; the arithmetic is the same f32 operations in
// both (round half to even, one multiply), which is what IntegerReference repeats.
#ifndef PARE_INT8_QUANTIZE_H
#define PARE_INT8_QUANTIZE_H
#include "CPareSIMD.h"

static inline __attribute__((always_inline)) int quantize_blocks(const float *x, ptrdiff_t m, ptrdiff_t k, ptrdiff_t ldx,
                                                                 ptrdiff_t block, int8_t *q, ptrdiff_t ldq,
                                                                 float *scales, int32_t *sums) {
    ptrdiff_t blocks = (k + block - 1) / block;
    for (ptrdiff_t i = 0; i < m; i++) {
        const float *row = x + i * ldx;
        int8_t *out = q + i * ldq;
        for (ptrdiff_t b = 0; b < blocks; b++) {
            ptrdiff_t lo = b * block, hi = lo + block < k ? lo + block : k;
            int32_t maxBits = 0;
            for (ptrdiff_t c = lo; c < hi; c++) {
                int32_t bits;
                __builtin_memcpy(&bits, row + c, 4);
                bits &= 0x7FFFFFFF;
                maxBits = bits > maxBits ? bits : maxBits;
            }
            if (maxBits >= 0x7F800000) return -1;  // inf or NaN: the caller keeps f32
            float maxAbs;
            __builtin_memcpy(&maxAbs, &maxBits, 4);
            ptrdiff_t slot = i * blocks + b;
            if (!(maxAbs >= PARE_INT8_MIN_RANGE)) {
                scales[slot] = 0;
                sums[slot] = 0;
                for (ptrdiff_t c = lo; c < hi; c++) out[c] = 0;
                continue;
            }
            float inverse = 127.0f / maxAbs;
            scales[slot] = maxAbs / 127.0f;
            int32_t sum = 0;
            for (ptrdiff_t c = lo; c < hi; c++) {
                float v = __builtin_rintf(row[c] * inverse);
                v = v < -127.0f ? -127.0f : v > 127.0f ? 127.0f : v;
                int32_t iv = (int32_t)v;
                out[c] = (int8_t)iv;
                sum += iv;
            }
            sums[slot] = 128 * sum;
        }
        for (ptrdiff_t c = k; c < ldq; c++) out[c] = 0;
    }
    return 0;
}
#endif
