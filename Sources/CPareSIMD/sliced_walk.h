// The slice / tile walk of the batch-1 sliced kernels, written once for every vector width. The file
// that includes it defines, for its width (ggml's GGML_F32_VEC pattern):
//   WALK_VEC, WALK_LANES (rows per slice), WALK_TILE (columns per tile: two vectors),
//   WALK_ZERO(), WALK_ADD(a, b), WALK_MUL(a, b), WALK_LOAD(p), WALK_STORE(p, v) (aligned),
//   WALK_LOAD_FIRST(p, n) (a vector of p[0..<n], zeros after; n may be ≤ 0 or ≥ WALK_LANES),
// and STEP(K, ACC), which adds step K's products to the accumulator ACC from the tile in lo / hi.
// Four sums, so four steps in flight do not wait on one another's multiply-add (latency 4); the
// tile's input is loaded once into lo / hi.
#ifndef PARE_SLICED_WALK_H
#define PARE_SLICED_WALK_H

#define SLICED_WALK(STEP)                                                                          \
    for (ptrdiff_t s = sliceBegin; s < sliceEnd; s++) {                                            \
        WALK_VEC a0 = WALK_ZERO(), a1 = a0, a2 = a0, a3 = a0;                                      \
        for (ptrdiff_t t = 0; t < tiles; t++) {                                                    \
            ptrdiff_t k = stepStarts[s * tiles + t], end = stepStarts[s * tiles + t + 1];          \
            if (k == end) continue;                                                                \
            ptrdiff_t left = columns - t * WALK_TILE; /* the last tile may be short: masked loads */ \
            WALK_VEC lo = WALK_LOAD_FIRST(x + t * WALK_TILE, left);                                \
            WALK_VEC hi = WALK_LOAD_FIRST(x + t * WALK_TILE + WALK_LANES, left - WALK_LANES);      \
            for (; k + 4 <= end; k += 4) {                                                         \
                STEP(k, a0); STEP(k + 1, a1); STEP(k + 2, a2); STEP(k + 3, a3);                    \
            }                                                                                      \
            if (k < end) STEP(k, a0);                                                              \
            if (k + 1 < end) STEP(k + 1, a1);                                                      \
            if (k + 2 < end) STEP(k + 2, a2);                                                      \
        }                                                                                          \
        WALK_VEC sum = WALK_ADD(WALK_ADD(a0, a1), WALK_ADD(a2, a3));                               \
        float out[WALK_LANES] __attribute__((aligned(64)));                                        \
        WALK_STORE(out, WALK_MUL(sum, WALK_LOAD(scales + s * WALK_LANES)));                        \
        ptrdiff_t lanesUsed = rows - s * WALK_LANES < WALK_LANES ? rows - s * WALK_LANES : WALK_LANES; \
        for (ptrdiff_t j = 0; j < lanesUsed; j++) { /* back to row order */                        \
            int32_t r = rowOrder[s * WALK_LANES + j];                                              \
            y[r] = bias ? out[j] + bias[r] : out[j];                                               \
        }                                                                                          \
    }

#endif
