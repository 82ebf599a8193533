// The converter's fused int4 encoder (see CPareSIMD.h): symmetric int4 per tensor or per row and its
// error figures in one pass, exactly as PareEncodings' Int4Coding + decode + ErrorStats compute them.
#include "CPareSIMD.h"
#include "encode_common.h"
#include <math.h>

// The levels of up to 64 values: roundHalfAway(x / scale) clamped to −7…7 (Int4Coding), 0 when the
// scale is 0. x / scale is clamped to ±8 first (the same level after the final clamp), so the int32
// round trip truncates exactly whatever the scale, and vectorizes.
PARE_ENCODE_INLINE void int4_levels(const float *x, ptrdiff_t n, float scale, int8_t *q) {
    if (scale == 0) {
        memset(q, 0, (size_t)n);
        return;
    }
    for (ptrdiff_t i = 0; i < n; i++) {
        float v = x[i] / scale;
        v = v > 8.0f ? 8.0f : v < -8.0f ? -8.0f : v;
        float t = (float)(int32_t)v;
        float r = fabsf(v - t) >= 0.5f ? t + copysignf(1.0f, v) : t;
        r = r > 7.0f ? 7.0f : r < -7.0f ? -7.0f : r;
        q[i] = (int8_t)r;
    }
}

// Stores levels q of stream values first … first + n − 1 as nibbles q + 8: value i in the low nibble
// of byte i / 2 when i is even, the high one when odd. A run ending on an even index leaves that
// byte's high nibble 0 (the padding after an odd count); a run starting on an odd index fills the
// high nibble of the byte the previous run left.
PARE_ENCODE_INLINE void int4_pack(const int8_t *q, ptrdiff_t first, ptrdiff_t n, uint8_t *packed) {
    ptrdiff_t i = 0;
    if (first & 1) {
        uint8_t *byte = packed + (first >> 1);
        *byte = (uint8_t)((*byte & 0x0F) | (q[0] + 8) << 4);
        i = 1;
    }
    uint8_t *out = packed + ((first + i) >> 1);
    ptrdiff_t pairs = (n - i) / 2;
    for (ptrdiff_t k = 0; k < pairs; k++) out[k] = (uint8_t)((q[i + 2 * k] + 8) | (q[i + 2 * k + 1] + 8) << 4);
    if (i + 2 * pairs < n) out[pairs] = (uint8_t)(q[n - 1] + 8);
}

PARE_ENCODE_INLINE int int4_body(const float *x, ptrdiff_t rows, ptrdiff_t columns, int perChannel, uint8_t *packed,
                                 float *scales, float *maxError, double *errorSquares, double *signalSquares) {
    float scale = 0;
    int32_t worstBits = 0;
    double errors = 0, signal = 0;
    for (ptrdiff_t r = 0; r < rows; r++) {
        if (row_scale(x, r, rows, columns, perChannel, 7.0f, scales, &scale) != 0) return -1;
        const float *row = x + r * columns;
        for (ptrdiff_t start = 0; start < columns; start += 64) {
            ptrdiff_t n = columns - start < 64 ? columns - start : 64;
            int8_t q[64];
            int4_levels(row + start, n, scale, q);
            add_level_errors(row + start, q, n, scale, &worstBits, &errors, &signal);
            int4_pack(q, r * columns + start, n, packed);
        }
    }
    memcpy(maxError, &worstBits, 4);
    *errorSquares = errors;
    *signalSquares = signal;
    return 0;
}

static int int4_generic(const float *x, ptrdiff_t rows, ptrdiff_t columns, int perChannel, uint8_t *packed,
                        float *scales, float *maxError, double *errorSquares, double *signalSquares) {
    return int4_body(x, rows, columns, perChannel, packed, scales, maxError, errorSquares, signalSquares);
}

#ifdef PARE_ENCODE_HAS_SETS
PARE_ENCODE_AVX2 static int int4_avx2(const float *x, ptrdiff_t rows, ptrdiff_t columns, int perChannel, uint8_t *packed,
                                      float *scales, float *maxError, double *errorSquares, double *signalSquares) {
    return int4_body(x, rows, columns, perChannel, packed, scales, maxError, errorSquares, signalSquares);
}

PARE_ENCODE_AVX512 static int int4_avx512(const float *x, ptrdiff_t rows, ptrdiff_t columns, int perChannel,
                                          uint8_t *packed, float *scales, float *maxError, double *errorSquares,
                                          double *signalSquares) {
    return int4_body(x, rows, columns, perChannel, packed, scales, maxError, errorSquares, signalSquares);
}
#endif

int pare_encode_int4_symmetric(int kernels, const float *x, ptrdiff_t rows, ptrdiff_t columns, int perChannel,
                               uint8_t *packed, float *scales, float *maxError, double *errorSquares,
                               double *signalSquares) {
#ifdef PARE_ENCODE_HAS_SETS
    int supported = pare_kernels_supported();
    if (kernels >= PARE_KERNELS_AVX512 && supported >= PARE_KERNELS_AVX512)
        return int4_avx512(x, rows, columns, perChannel, packed, scales, maxError, errorSquares, signalSquares);
    if (kernels >= PARE_KERNELS_AVX2 && supported >= PARE_KERNELS_AVX2)
        return int4_avx2(x, rows, columns, perChannel, packed, scales, maxError, errorSquares, signalSquares);
#endif
    (void)kernels;
    return int4_generic(x, rows, columns, perChannel, packed, scales, maxError, errorSquares, signalSquares);
}
