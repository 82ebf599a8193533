// The converter's fused q4_0 encoder (see CPareSIMD.h): GGUF Q4_0 blocks and their error figures in
// one pass, exactly as PareEncodings' Q4_0Coding + decode + ErrorStats compute them.
#include "CPareSIMD.h"
#include <math.h>
#include <string.h>

// Swift never fuses a · b + c; neither may this file, or its bits would differ on FMA targets.
#pragma clang fp contract(off)

int pare_encode_q4_0(const float *x, ptrdiff_t count, uint8_t *blocks, float *maxError, double *errorSquares,
                     double *signalSquares) {
    const float limit = 65504.0f * 8.0f;  // |m| / 8 must stay a finite f16
    float worst = 0;
    double errors = 0, signal = 0;
    ptrdiff_t nblocks = (count + 31) / 32;
    for (ptrdiff_t b = 0; b < nblocks; b++) {
        float v[32];
        ptrdiff_t n = count - b * 32 < 32 ? count - b * 32 : 32;
        for (ptrdiff_t j = 0; j < 32; j++) v[j] = j < n ? x[b * 32 + j] : 0.0f;
        float m = 0;
        for (int j = 0; j < 32; j++) {
            if (!isfinite(v[j]) || fabsf(v[j]) >= limit) return -1;
            if (fabsf(v[j]) > fabsf(m)) m = v[j];
        }
        float d = m / -8.0f;
        float id = d == 0 ? 0.0f : 1.0f / d;
        uint8_t q[32];
        for (int j = 0; j < 32; j++) {
            // In f32 as ggml and gguf-py (and Q4_0Coding): x · id rounded, then + 8.5 rounded again.
            // |x · id| ≤ 8 unless id overflowed (then ±∞ or NaN): the int32 round trip truncates
            // exactly in range and avoids a libm call per value on the baseline.
            float t = v[j] * id + 8.5f;
            float level = (t > -1e9f && t < 1e9f) ? (float)(int32_t)t : truncf(t);
            q[j] = isnan(level) ? 8 : (uint8_t)(level < 0 ? 0 : level > 15 ? 15 : level);
        }
        _Float16 half = (_Float16)d;
        uint16_t bits;
        memcpy(&bits, &half, 2);
        uint8_t *out = blocks + b * 18;
        out[0] = (uint8_t)(bits & 0xFF);
        out[1] = (uint8_t)(bits >> 8);
        for (int j = 0; j < 16; j++) out[2 + j] = (uint8_t)(q[j] | q[j + 16] << 4);
        float scale = (float)half;
        for (ptrdiff_t j = 0; j < n; j++) {
            float decoded = scale * (float)((int)q[j] - 8);
            float diff = v[j] == decoded ? 0.0f : fabsf(v[j] - decoded);
            if (diff > worst) worst = diff;
            errors += (double)diff * (double)diff;
            signal += (double)v[j] * (double)v[j];  // element order, as a separate pass would sum
        }
    }
    *maxError = worst;
    *errorSquares = errors;
    *signalSquares = signal;
    return 0;
}
