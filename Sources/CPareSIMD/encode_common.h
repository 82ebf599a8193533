// What the converter's fused encoders (encode_int8.c, encode_q4_0.c, encode_q8_0.c, encode_int4.c) share.
#ifndef PARE_ENCODE_COMMON_H
#define PARE_ENCODE_COMMON_H
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <math.h>

// Swift never fuses a · b + c; neither may the encoders, or their bits would differ on FMA targets.
#pragma clang fp contract(off)

// Clones for AVX2 and the baseline, picked once by the loader (ifunc): the same IEEE operations in
// the same order, so the bytes and error sums are the same on every CPU; only the width differs.
#if defined(__x86_64__) && defined(__clang__) && defined(__ELF__)
#define PARE_ENCODE_CLONES __attribute__((target_clones("avx2", "default")))
#else
#define PARE_ENCODE_CLONES
#endif

// The per-set entry points of encode_q8_0.c / encode_int4.c: one always-inlined body compiled three
// times (baseline, AVX2, AVX-512), the caller passing the set (pare_encoder_kernels(), or each set
// in the tests). Same IEEE operations in the same order in every set, so the same bytes and sums.
#define PARE_ENCODE_INLINE static inline __attribute__((always_inline))
#if defined(__x86_64__) && defined(__clang__)
#define PARE_ENCODE_HAS_SETS 1
#define PARE_ENCODE_AVX2 __attribute__((target("avx2,f16c")))
#define PARE_ENCODE_AVX512 __attribute__((target("avx512f,avx512bw,avx512vl,avx512dq,avx2,f16c")))
#endif

// |x|'s bits as int32: ordered like |x| for every float (NaN and ∞ above every finite value) and
// never negative, so maxima vectorize as integer compares (SSE2's signed compare takes them).
PARE_ENCODE_INLINE int32_t magnitude_bits(float x) {
    int32_t bits;
    memcpy(&bits, &x, 4);
    return bits & 0x7FFFFFFF;
}

// The largest |x| of n values (an int32-bit maximum, which vectorizes); nonFinite is set when a
// value is ±∞ or NaN.
PARE_ENCODE_INLINE float max_magnitude(const float *x, ptrdiff_t n, int *nonFinite) {
    int32_t most = 0;
    for (ptrdiff_t i = 0; i < n; i++) {
        int32_t bits = magnitude_bits(x[i]);
        most = bits > most ? bits : most;
    }
    if (most >= 0x7F800000) *nonFinite = 1;
    float m;
    memcpy(&m, &most, 4);
    return m;
}

// The error figures of n values v whose decoded differences are diffs (|x − x'|, 0 where equal, so
// ≥ 0): the largest as int32 bits (vectorizes), Σ d² and Σ v² sequential in double in element order
// (ErrorStats' sums), in one loop so their two latency chains overlap.
PARE_ENCODE_INLINE void add_errors(const float *v, const float *diffs, ptrdiff_t n, int32_t *worstBits, double *errors,
                                   double *signal) {
    int32_t worst = *worstBits;
    for (ptrdiff_t i = 0; i < n; i++) {
        int32_t bits = magnitude_bits(diffs[i]);
        worst = bits > worst ? bits : worst;
    }
    double e = *errors, s = *signal;
    for (ptrdiff_t i = 0; i < n; i++) {
        double d = diffs[i], x = v[i];
        e += d * d;
        s += x * x;
    }
    *worstBits = worst;
    *errors = e;
    *signal = s;
}
// The error figures of n ≤ 64 values x whose levels q decode to q · scale (int8 / int4): add_errors
// over |x − x'| (0 where equal).
PARE_ENCODE_INLINE void add_level_errors(const float *x, const int8_t *q, ptrdiff_t n, float scale, int32_t *worstBits,
                                         double *errors, double *signal) {
    float diffs[64];
    for (ptrdiff_t i = 0; i < n; i++) {
        float decoded = (float)q[i] * scale;
        diffs[i] = x[i] == decoded ? 0.0f : fabsf(x[i] - decoded);
    }
    add_errors(x, diffs, n, worstBits, errors, signal);
}

// Symmetric int8 / int4: sets *scale to max|x| / top of row r (per channel) or, at r = 0, of the whole
// tensor (per tensor: the other rows keep it) and stores it in scales. Returns -1 when a value is ±∞
// or NaN, else 0.
PARE_ENCODE_INLINE int row_scale(const float *x, ptrdiff_t r, ptrdiff_t rows, ptrdiff_t columns, int perChannel, float top,
                                 float *scales, float *scale) {
    if (!perChannel && r > 0) return 0;
    int nonFinite = 0;
    *scale = perChannel ? max_magnitude(x + r * columns, columns, &nonFinite) / top
                        : max_magnitude(x, rows * columns, &nonFinite) / top;
    scales[perChannel ? r : 0] = *scale;
    return nonFinite ? -1 : 0;
}

// Block b of 32 values for Q8_0 / Q4_0 into v, the last block zero-padded (QuantBlocks); returns how
// many of them are the tensor's.
PARE_ENCODE_INLINE ptrdiff_t load_block(const float *x, ptrdiff_t count, ptrdiff_t b, float *v) {
    ptrdiff_t n = count - b * 32 < 32 ? count - b * 32 : 32;
    if (n == 32) {
        memcpy(v, x + b * 32, 32 * sizeof(float));
    } else {
        for (ptrdiff_t j = 0; j < 32; j++) v[j] = j < n ? x[b * 32 + j] : 0.0f;
    }
    return n;
}

// d as a block's little-endian f16 scale at out (round to nearest even, as Float16(d)); returns that
// f16 as f32, the scale the decoder multiplies by.
PARE_ENCODE_INLINE float store_half_scale(uint8_t *out, float d) {
    _Float16 half = (_Float16)d;
    uint16_t bits;
    memcpy(&bits, &half, 2);
    out[0] = (uint8_t)(bits & 0xFF);
    out[1] = (uint8_t)(bits >> 8);
    return (float)half;
}
#endif
