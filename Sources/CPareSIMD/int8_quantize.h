// The activation quantizer shared by the int8 × int8 kernel sets (see pare_int8_quantize_blocks_* in
// CPareSIMD.h). Included by int8_avx512.c and int8_avx2.c inside their target pragmas, so clang
// vectorizes the same source for each instruction set; the arithmetic is the same f32 operations in
// both (round half to even, one multiply), which is what IntegerReference repeats.
#ifndef PARE_INT8_QUANTIZE_H
#define PARE_INT8_QUANTIZE_H
#include "CPareSIMD.h"

// x (finite, ≥ 0) rounded to the nearest f16 value (ties to even) and back, as ggml stores a Q8_0
// block's d: f16 subnormals below 2^-14 are multiples of 2^-24 ((x + 0.5) − 0.5 rounds there), above
// that the mantissa keeps 10 bits; ≥ 65520 gives infinity.
static inline float round_to_half(float x) {
    if (x < 0x1p-14f) return (x + 0.5f) - 0.5f;
    uint32_t bits;
    __builtin_memcpy(&bits, &x, 4);
    bits += 0x0FFFu + ((bits >> 13) & 1u);
    bits &= ~0x1FFFu;
    float r;
    __builtin_memcpy(&r, &bits, 4);
    return r >= 65520.0f ? __builtin_inff() : r;
}

// Quantizes values [lo, hi) of `row` by `inverse` (127 / max |x|) into `out`; returns Σ q.
static inline __attribute__((always_inline)) int32_t quantize_span(const float *row, ptrdiff_t lo, ptrdiff_t hi,
                                                                   float inverse, int8_t *out) {
    int32_t sum = 0;
    for (ptrdiff_t c = lo; c < hi; c++) {
        float v = __builtin_rintf(row[c] * inverse);
        v = v < -127.0f ? -127.0f : v > 127.0f ? 127.0f : v;
        int32_t iv = (int32_t)v;
        out[c] = (int8_t)iv;
        sum += iv;
    }
    return sum;
}

// max |x| over [lo, hi) as bits (ordered like |x|; ≥ 0x7F800000 for inf / NaN).
static inline __attribute__((always_inline)) int32_t max_bits(const float *row, ptrdiff_t lo, ptrdiff_t hi) {
    int32_t maxBits = 0;
    for (ptrdiff_t c = lo; c < hi; c++) {
        int32_t bits;
        __builtin_memcpy(&bits, row + c, 4);
        bits &= 0x7FFFFFFF;
        maxBits = bits > maxBits ? bits : maxBits;
    }
    return maxBits;
}

// Q8_0 activations: one max and one f16 scale per block.
static inline __attribute__((always_inline)) int quantize_q8_0(const float *x, ptrdiff_t m, ptrdiff_t k, ptrdiff_t ldx,
                                                               ptrdiff_t block, int8_t *q, ptrdiff_t ldq, float *scales,
                                                               int32_t *sums) {
    ptrdiff_t blocks = (k + block - 1) / block;
    for (ptrdiff_t i = 0; i < m; i++) {
        const float *row = x + i * ldx;
        int8_t *out = q + i * ldq;
        for (ptrdiff_t b = 0; b < blocks; b++) {
            ptrdiff_t lo = b * block, hi = lo + block < k ? lo + block : k;
            int32_t maxBits = max_bits(row, lo, hi);
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
            float scale = round_to_half(maxAbs / 127.0f);  // d as ggml stores it (f16)
            if (scale == __builtin_inff()) return -1;       // the f16 scale overflows: the caller keeps f32
            scales[slot] = scale;
            sums[slot] = 128 * quantize_span(row, lo, hi, 127.0f / maxAbs, out);
        }
        for (ptrdiff_t c = k; c < ldq; c++) out[c] = 0;
    }
    return 0;
}

// Q8_K activations: one max per `super` values, its f32 scale 1 / (127 / max) written to each block's slot.
static inline __attribute__((always_inline)) int quantize_q8_K(const float *x, ptrdiff_t m, ptrdiff_t k, ptrdiff_t ldx,
                                                               ptrdiff_t block, ptrdiff_t super, int8_t *q, ptrdiff_t ldq,
                                                               float *scales, int32_t *sums) {
    ptrdiff_t blocks = (k + block - 1) / block;
    for (ptrdiff_t i = 0; i < m; i++) {
        const float *row = x + i * ldx;
        int8_t *out = q + i * ldq;
        for (ptrdiff_t s = 0; s < k; s += super) {
            ptrdiff_t end = s + super < k ? s + super : k;
            int32_t maxBits = max_bits(row, s, end);
            if (maxBits >= 0x7F800000) return -1;
            float maxAbs;
            __builtin_memcpy(&maxAbs, &maxBits, 4);
            int zero = !(maxAbs >= PARE_INT8_MIN_RANGE);
            float inverse = zero ? 0.0f : 127.0f / maxAbs;
            float scale = zero ? 0.0f : 1.0f / inverse;
            for (ptrdiff_t lo = s; lo < end; lo += block) {
                ptrdiff_t hi = lo + block < end ? lo + block : end;
                ptrdiff_t slot = i * blocks + lo / block;
                scales[slot] = scale;
                sums[slot] = 128 * quantize_span(row, lo, hi, inverse, out);  // inverse 0 gives zeros
            }
        }
        for (ptrdiff_t c = k; c < ldq; c++) out[c] = 0;
    }
    return 0;
}

static inline __attribute__((always_inline)) int quantize_blocks(const float *x, ptrdiff_t m, ptrdiff_t k, ptrdiff_t ldx,
                                                                 ptrdiff_t block, ptrdiff_t super, int8_t *q,
                                                                 ptrdiff_t ldq, float *scales, int32_t *sums) {
    return super > 0 ? quantize_q8_K(x, m, k, ldx, block, super, q, ldq, scales, sums)
                     : quantize_q8_0(x, m, k, ldx, block, q, ldq, scales, sums);
}
#endif
