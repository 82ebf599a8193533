// The converter's fused q8_0 encoder (see CPareSIMD.h): GGUF Q8_0 blocks and their error figures in
// one pass, exactly as PareEncodings' Q8_0Coding + decode + ErrorStats compute them.
#include "CPareSIMD.h"
#include "encode_common.h"
#include <math.h>

// roundHalfAway(x · id) clamped to −128…127 (Int8Coding.quantizeLevel + clamp) where id is finite:
// then d ≥ 2⁻¹²⁸, so even a subnormal d is within 2⁻²¹ of max|x| / 127 and |x · id| stays below 128;
// the int32 round trip truncates exactly (and vectorizes, unlike truncf / roundf).
PARE_ENCODE_INLINE void q8_levels_finite(const float *v, float id, int8_t *q) {
    for (int j = 0; j < 32; j++) {
        float s = v[j] * id;
        float t = (float)(int32_t)s;
        float r = fabsf(s - t) >= 0.5f ? t + copysignf(1.0f, s) : t;
        r = r > 127.0f ? 127.0f : r < -128.0f ? -128.0f : r;
        q[j] = (int8_t)r;
    }
}

// id = +∞ (d subnormal below 2⁻¹²⁸): x · ∞ = ±∞ clamps to 127 / −128, 0 · ∞ = NaN is level 0.
static void q8_levels_general(const float *v, float id, int8_t *q) {
    for (int j = 0; j < 32; j++) {
        float s = v[j] * id;
        float r = isnan(s) ? 0.0f : roundf(s);  // roundf: half away from zero
        q[j] = (int8_t)(r > 127.0f ? 127.0f : r < -128.0f ? -128.0f : r);
    }
}

PARE_ENCODE_INLINE int q8_0_body(const float *x, ptrdiff_t count, uint8_t *blocks, float *maxError,
                                 double *errorSquares, double *signalSquares) {
    const int32_t limitBits = magnitude_bits(65504.0f * 127.0f);  // max|x| / 127 must stay a finite f16
    int32_t worstBits = 0;
    double errors = 0, signal = 0;
    ptrdiff_t nblocks = (count + 31) / 32;
    for (ptrdiff_t b = 0; b < nblocks; b++) {
        float v[32];
        ptrdiff_t n = load_block(x, count, b, v);
        int nonFinite = 0;
        float amax = max_magnitude(v, 32, &nonFinite);
        if (magnitude_bits(amax) >= limitBits) return -1;  // also every NaN and ∞
        float d = amax / 127.0f;
        float id = d == 0 ? 0.0f : 1.0f / d;
        int8_t q[32];
        if (isfinite(id)) q8_levels_finite(v, id, q);
        else q8_levels_general(v, id, q);
        uint8_t *out = blocks + b * 34;
        float scale = store_half_scale(out, d);
        memcpy(out + 2, q, 32);
        add_level_errors(v, q, n, scale, &worstBits, &errors, &signal);  // the tensor's n values, not the padding
    }
    memcpy(maxError, &worstBits, 4);
    *errorSquares = errors;
    *signalSquares = signal;
    return 0;
}

static int q8_0_generic(const float *x, ptrdiff_t count, uint8_t *blocks, float *maxError, double *errorSquares,
                        double *signalSquares) {
    return q8_0_body(x, count, blocks, maxError, errorSquares, signalSquares);
}

#ifdef PARE_ENCODE_HAS_SETS
PARE_ENCODE_AVX2 static int q8_0_avx2(const float *x, ptrdiff_t count, uint8_t *blocks, float *maxError,
                                      double *errorSquares, double *signalSquares) {
    return q8_0_body(x, count, blocks, maxError, errorSquares, signalSquares);
}

PARE_ENCODE_AVX512 static int q8_0_avx512(const float *x, ptrdiff_t count, uint8_t *blocks, float *maxError,
                                          double *errorSquares, double *signalSquares) {
    return q8_0_body(x, count, blocks, maxError, errorSquares, signalSquares);
}
#endif

int pare_encode_q8_0(int kernels, const float *x, ptrdiff_t count, uint8_t *blocks, float *maxError,
                     double *errorSquares, double *signalSquares) {
#ifdef PARE_ENCODE_HAS_SETS
    int supported = pare_kernels_supported();
    if (kernels >= PARE_KERNELS_AVX512 && supported >= PARE_KERNELS_AVX512)
        return q8_0_avx512(x, count, blocks, maxError, errorSquares, signalSquares);
    if (kernels >= PARE_KERNELS_AVX2 && supported >= PARE_KERNELS_AVX2)
        return q8_0_avx2(x, count, blocks, maxError, errorSquares, signalSquares);
#endif
    (void)kernels;
    return q8_0_generic(x, count, blocks, maxError, errorSquares, signalSquares);
}
