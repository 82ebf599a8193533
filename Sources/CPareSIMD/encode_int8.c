// The converter's fused int8 encoder (see CPareSIMD.h): quantization and error statistics in one
// pass over the f32 input, no decode afterwards. Portable C: the per-row max and quantization loops
// vectorize for the baseline; the error sums stay sequential in double (the element order the
// Swift ErrorStats uses, so the figures are bit-identical to decoding and comparing).
#include "CPareSIMD.h"
#include "encode_common.h"
#include <math.h>

// roundHalfAway(x / scale) clamped to −127…127, exactly as Int8Coding.quantizeLevel + clamp.
static void quantize_row(const float *x, ptrdiff_t n, float scale, int8_t *q) {
    if (scale == 0) {
        memset(q, 0, (size_t)n);
        return;
    }
    for (ptrdiff_t i = 0; i < n; i++) {
        float v = x[i] / scale;
        // |v| ≤ 127 · (1 + 2⁻²²) since scale = max|x| / 127: the int32 round trip truncates exactly
        // (and vectorizes on the baseline, unlike truncf).
        float t = (float)(int32_t)v;
        float r = fabsf(v - t) >= 0.5f ? t + copysignf(1.0f, v) : t;
        r = r > 127.0f ? 127.0f : r < -127.0f ? -127.0f : r;
        q[i] = (int8_t)r;
    }
}

// Counts of a nonzero-free or all-nonzero run of 16 decide most of a dense or heavily pruned row
// without the per-element branch (a vectorized compare); mixed runs take the exact scalar walk.
PARE_ENCODE_CLONES void pare_count_stored(const float *x, ptrdiff_t rows, ptrdiff_t columns, ptrdiff_t maxGap,
                        ptrdiff_t *nonZeros, ptrdiff_t *deltaStored) {
    ptrdiff_t stored = 0, delta = 0;
    for (ptrdiff_t r = 0; r < rows; r++) {
        const float *row = x + r * columns;
        ptrdiff_t previous = -1;
        ptrdiff_t c = 0;
        while (c < columns) {
            if (c + 16 <= columns) {
                int set = 0;
                for (int j = 0; j < 16; j++) set += row[c + j] != 0;
                if (set == 0) {
                    c += 16;
                    continue;
                }
                if (set == 16 && previous == c - 1) {  // every gap is 0: one stored value each
                    stored += 16;
                    delta += 16;
                    previous = c + 15;
                    c += 16;
                    continue;
                }
            }
            ptrdiff_t end = c + 16 <= columns ? c + 16 : columns;
            for (; c < end; c++) {
                if (row[c] != 0) {
                    ptrdiff_t gap = c - previous - 1;
                    stored++;
                    delta += gap >= maxGap ? gap / maxGap + 1 : 1;  // the division only for long gaps
                    previous = c;
                }
            }
        }
    }
    *nonZeros = stored;
    *deltaStored = delta;
}

PARE_ENCODE_CLONES int pare_encode_int8_symmetric(const float *x, ptrdiff_t rows, ptrdiff_t columns, int perChannel, int8_t *q,
                               float *scales, float *maxError, double *errorSquares, double *signalSquares) {
    float scale = 0;
    int32_t worstBits = 0;
    double errors = 0, signal = 0;
    for (ptrdiff_t r = 0; r < rows; r++) {
        if (row_scale(x, r, rows, columns, perChannel, 127.0f, scales, &scale) != 0) return -1;
        const float *row = x + r * columns;
        int8_t *out = q + r * columns;
        quantize_row(row, columns, scale, out);
        // The differences vectorize; the sums stay sequential in double (add_errors).
        for (ptrdiff_t start = 0; start < columns; start += 64) {
            ptrdiff_t n = columns - start < 64 ? columns - start : 64;
            add_level_errors(row + start, out + start, n, scale, &worstBits, &errors, &signal);
        }
    }
    memcpy(maxError, &worstBits, 4);
    *errorSquares = errors;
    *signalSquares = signal;
    return 0;
}
