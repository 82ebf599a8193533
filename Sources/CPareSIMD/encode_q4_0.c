// The converter's fused q4_0 encoder (see CPareSIMD.h): GGUF Q4_0 blocks and their error figures in
// one pass, exactly as PareEncodings' Q4_0Coding + decode + ErrorStats compute them.
#include "CPareSIMD.h"
#include "encode_common.h"
#include <math.h>

// The levels of one block where 1/d is finite: |x · id| ≤ 8 · (1 + ε), so x · id + 8.5 lies well
// inside int32 and the truncating conversion is the general path's (float)(int32_t)t.
static inline void levels_finite(const float *v, float id, uint8_t *q) {
    for (int j = 0; j < 32; j++) {
        int32_t level = (int32_t)(v[j] * id + 8.5f);
        q[j] = (uint8_t)(level < 0 ? 0 : level > 15 ? 15 : level);
    }
}

// Any id (±∞ when d is subnormal): ggml's rule with NaN levels (0 · ∞) stored as 8.
static void levels_general(const float *v, float id, uint8_t *q) {
    for (int j = 0; j < 32; j++) {
        // In f32 as ggml and gguf-py (and Q4_0Coding): x · id rounded, then + 8.5 rounded again.
        float t = v[j] * id + 8.5f;
        float level = (t > -1e9f && t < 1e9f) ? (float)(int32_t)t : truncf(t);
        q[j] = isnan(level) ? 8 : (uint8_t)(level < 0 ? 0 : level > 15 ? 15 : level);
    }
}

PARE_ENCODE_CLONES int pare_encode_q4_0(const float *x, ptrdiff_t count, uint8_t *blocks, float *maxError,
                                        double *errorSquares, double *signalSquares) {
    const float limit = 65504.0f * 8.0f;  // |m| / 8 must stay a finite f16
    const int32_t limitBits = magnitude_bits(limit);
    float worst = 0;
    int32_t worstBits = 0;
    double errors = 0, signal = 0;
    ptrdiff_t nblocks = (count + 31) / 32;
    for (ptrdiff_t b = 0; b < nblocks; b++) {
        float v[32];
        ptrdiff_t n = load_block(x, count, b, v);
        // max |v| by bits (NaN and ∞ compare above every finite value); the first value reaching
        // it is m, as a strict "greater magnitude" scan from m = 0 finds.
        int32_t most = 0;
        for (int j = 0; j < 32; j++) {
            int32_t bits = magnitude_bits(v[j]);
            most = bits > most ? bits : most;
        }
        if (most >= limitBits) return -1;  // also every NaN and ∞
        float m = 0;
        if (most != 0) {
            int j = 0;
            while (magnitude_bits(v[j]) != most) j++;
            m = v[j];
        }
        float d = m / -8.0f;
        float id = d == 0 ? 0.0f : 1.0f / d;
        uint8_t q[32];
        if (isfinite(id)) levels_finite(v, id, q);
        else levels_general(v, id, q);
        uint8_t *out = blocks + b * 18;
        float scale = store_half_scale(out, d);
        for (int j = 0; j < 16; j++) out[2 + j] = (uint8_t)(q[j] | q[j + 16] << 4);
        float diffs[32];
        for (int j = 0; j < 32; j++) {
            float decoded = scale * (float)((int)q[j] - 8);
            diffs[j] = v[j] == decoded ? 0.0f : fabsf(v[j] - decoded);
        }
        add_errors(v, diffs, n, &worstBits, &errors, &signal);  // the n values of the tensor, not the padding
    }
    memcpy(&worst, &worstBits, 4);
    *maxError = worst;
    *errorSquares = errors;
    *signalSquares = signal;
    return 0;
}
