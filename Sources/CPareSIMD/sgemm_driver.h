// The cache-blocked sgemm and the few-row products, written once over a small vector vocabulary
// (vec, VL lanes, MR × NV·VL register tile, VLOAD/VFMA/…) that sgemm_avx512.c and sgemm_avx2.c
// define before including this file inside a `#pragma clang attribute push(target(...))`, so each
// includer compiles the same source for its own instruction set. Not a header for other code.
//
// Loop order (Goto / BLIS): column blocks of C (NC) → depth blocks (KC, B block packed) → row blocks
// (MC, A block packed) → B micro-panels (NR columns, stay in L1) → A micro-panels (MR rows, from L2)
// → the register tile. Packing turns all four transpose cases into one contiguous, zero-padded layout
// and applies alpha to A. Edge tiles run a tile function compiled for their exact row count and
// column vectors, and store through masks, so no edge is computed on a scratch copy.
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "scratch.h"

#define NR (VL * NV)
#define KC_MAX 256
#define MC_MAX (MR * 32)
#define NC_MAX (NR * 48)
#define SMALL_ROWS 4

static inline ptrdiff_t min_pd(ptrdiff_t a, ptrdiff_t b) { return a < b ? a : b; }

// Equal blocks of at most `max`, rounded up to `multiple`: no sliver at the end.
static ptrdiff_t balanced(ptrdiff_t total, ptrdiff_t max, ptrdiff_t multiple) {
    ptrdiff_t count = (total + max - 1) / max;
    ptrdiff_t even = (total + count - 1) / count;
    return (even + multiple - 1) / multiple * multiple;
}

// alpha · op(A)[i0 ..< i0+mc, p0 ..< p0+kc] as panels of MR rows: panel q, step p holds its MR rows.
static void pack_a(int transA, const float *a, ptrdiff_t lda, ptrdiff_t i0, ptrdiff_t mc, ptrdiff_t p0,
                   ptrdiff_t kc, float alpha, float *dst) {
    for (ptrdiff_t top = 0; top < mc; top += MR, dst += MR * kc) {
        ptrdiff_t valid = min_pd(MR, mc - top);
        if (!transA && valid == MR) {
            const float *rows = a + (i0 + top) * lda + p0;
            for (ptrdiff_t p = 0; p < kc; p++)
                for (int r = 0; r < MR; r++) dst[p * MR + r] = alpha * rows[r * lda + p];
        } else if (!transA) {
            const float *rows = a + (i0 + top) * lda + p0;
            for (ptrdiff_t p = 0; p < kc; p++)
                for (int r = 0; r < MR; r++) dst[p * MR + r] = r < valid ? alpha * rows[r * lda + p] : 0.0f;
        } else {
            for (ptrdiff_t p = 0; p < kc; p++) {
                const float *src = a + (p0 + p) * lda + i0 + top;
                for (int r = 0; r < MR; r++) dst[p * MR + r] = r < valid ? alpha * src[r] : 0.0f;
            }
        }
    }
}

// op(B)[p0 ..< p0+kc, j0 ..< j0+nc] as panels of NR columns: panel q, step p holds its NR columns.
static void pack_b(int transB, const float *b, ptrdiff_t ldb, ptrdiff_t p0, ptrdiff_t kc, ptrdiff_t j0,
                   ptrdiff_t nc, float *dst) {
    for (ptrdiff_t left = 0; left < nc; left += NR, dst += NR * kc) {
        ptrdiff_t valid = min_pd(NR, nc - left);
        if (!transB) {
            for (ptrdiff_t p = 0; p < kc; p++) {
                const float *src = b + (p0 + p) * ldb + j0 + left;
                float *to = dst + p * NR;
                if (valid == NR) {
                    for (int j = 0; j < NV; j++) VSTOREU(to + j * VL, VLOADU(src + j * VL));
                } else {
                    for (int j = 0; j < NV; j++) VSTOREU(to + j * VL, VLOADM(src + j * VL, vmask_first(valid - j * VL)));
                }
            }
        } else if (valid == NR) {
            // op(B)[p, j] = B[j, p]: NR rows of B read side by side, one step at a time.
            const float *cols = b + (j0 + left) * ldb + p0;
            for (ptrdiff_t p = 0; p < kc; p++)
                for (int j = 0; j < NR; j++) dst[p * NR + j] = cols[j * ldb + p];
        } else {
            const float *cols = b + (j0 + left) * ldb + p0;
            for (ptrdiff_t p = 0; p < kc; p++)
                for (int j = 0; j < NR; j++) dst[p * NR + j] = j < valid ? cols[j * ldb + p] : 0.0f;
        }
    }
}

// C[mr × ncols] += A panel · B panel. `mr` and `nv` are compile-time constants in every instance, so
// the loops unroll and the accumulators live in registers.
static inline __attribute__((always_inline)) void tile(const int mr, const int nv, ptrdiff_t kc,
                                                       const float *restrict ap, const float *restrict bp,
                                                       float *c, ptrdiff_t ldc, ptrdiff_t ncols) {
    vec acc[MR][NV];
    _Pragma("clang loop unroll(full)") for (int i = 0; i < mr; i++)
        for (int j = 0; j < nv; j++) acc[i][j] = VZERO();
    for (ptrdiff_t p = 0; p < kc; p++) {
        vec bv[NV];
        _Pragma("clang loop unroll(full)") for (int j = 0; j < nv; j++) bv[j] = VLOAD(bp + j * VL);
        _Pragma("clang loop unroll(full)") for (int i = 0; i < mr; i++) {
            vec av = VSET1(ap[i]);
            _Pragma("clang loop unroll(full)") for (int j = 0; j < nv; j++) acc[i][j] = VFMA(av, bv[j], acc[i][j]);
        }
        ap += MR;
        bp += NR;
    }
    if (ncols == nv * VL) {
        _Pragma("clang loop unroll(full)") for (int i = 0; i < mr; i++)
            _Pragma("clang loop unroll(full)") for (int j = 0; j < nv; j++) {
                float *to = c + i * ldc + j * VL;
                VSTOREU(to, VADD(VLOADU(to), acc[i][j]));
            }
    } else {
        _Pragma("clang loop unroll(full)") for (int i = 0; i < mr; i++)
            _Pragma("clang loop unroll(full)") for (int j = 0; j < nv; j++) {
                float *to = c + i * ldc + j * VL;
                vmask m = vmask_first(ncols - j * VL);
                VSTOREM(to, m, VADD(VLOADM(to, m), acc[i][j]));
            }
    }
}

typedef void (*tile_fn)(ptrdiff_t, const float *, const float *, float *, ptrdiff_t, ptrdiff_t);
#define TILE(R, V)                                                                                  \
    static void tile_##R##_##V(ptrdiff_t kc, const float *ap, const float *bp, float *c,           \
                               ptrdiff_t ldc, ptrdiff_t ncols) {                                    \
        tile(R, V, kc, ap, bp, c, ldc, ncols);                                                      \
    }
#define TILE_ROW(R) TILE(R, 1) TILE(R, 2)
TILE_ROW(1) TILE_ROW(2) TILE_ROW(3) TILE_ROW(4) TILE_ROW(5) TILE_ROW(6)
#if MR == 12
TILE_ROW(7) TILE_ROW(8) TILE_ROW(9) TILE_ROW(10) TILE_ROW(11) TILE_ROW(12)
#elif MR != 6
#error "sgemm_driver.h: MR must be 6 or 12"
#endif
#if NV != 2
#error "sgemm_driver.h: NV must be 2"
#endif
#define TILE_ENTRY(R) {tile_##R##_1, tile_##R##_2}
static const tile_fn tiles[MR][NV] = {
    TILE_ENTRY(1), TILE_ENTRY(2), TILE_ENTRY(3), TILE_ENTRY(4), TILE_ENTRY(5), TILE_ENTRY(6),
#if MR == 12
    TILE_ENTRY(7), TILE_ENTRY(8), TILE_ENTRY(9), TILE_ENTRY(10), TILE_ENTRY(11), TILE_ENTRY(12),
#endif
};

// out[0..<4] += the dot products of x with four rows of B (row stride ldb), k values each.
static void dot_four(const float *x, const float *b, ptrdiff_t ldb, ptrdiff_t k, float *out) {
    const float *r0 = b, *r1 = b + ldb, *r2 = b + 2 * ldb, *r3 = b + 3 * ldb;
    vec s0 = VZERO(), s1 = VZERO(), s2 = VZERO(), s3 = VZERO();
    vec t0 = VZERO(), t1 = VZERO(), t2 = VZERO(), t3 = VZERO();
    ptrdiff_t p = 0;
    for (; p + 2 * VL <= k; p += 2 * VL) {
        vec x0 = VLOADU(x + p), x1 = VLOADU(x + p + VL);
        s0 = VFMA(x0, VLOADU(r0 + p), s0); t0 = VFMA(x1, VLOADU(r0 + p + VL), t0);
        s1 = VFMA(x0, VLOADU(r1 + p), s1); t1 = VFMA(x1, VLOADU(r1 + p + VL), t1);
        s2 = VFMA(x0, VLOADU(r2 + p), s2); t2 = VFMA(x1, VLOADU(r2 + p + VL), t2);
        s3 = VFMA(x0, VLOADU(r3 + p), s3); t3 = VFMA(x1, VLOADU(r3 + p + VL), t3);
    }
    for (; p < k; p += VL) {
        vmask m = vmask_first(k - p);
        vec x0 = VLOADM(x + p, m);
        s0 = VFMA(x0, VLOADM(r0 + p, m), s0);
        s1 = VFMA(x0, VLOADM(r1 + p, m), s1);
        s2 = VFMA(x0, VLOADM(r2 + p, m), s2);
        s3 = VFMA(x0, VLOADM(r3 + p, m), s3);
    }
    out[0] += VHSUM(VADD(s0, t0));
    out[1] += VHSUM(VADD(s1, t1));
    out[2] += VHSUM(VADD(s2, t2));
    out[3] += VHSUM(VADD(s3, t3));
}

// One dot product with dot_four's exact arithmetic (same accumulators, same order), so a C column
// gives the same bits whether it falls in a group of four or not (column bands stay exact).
static float dot_one(const float *x, const float *r0, ptrdiff_t k) {
    vec s0 = VZERO(), t0 = VZERO();
    ptrdiff_t p = 0;
    for (; p + 2 * VL <= k; p += 2 * VL) {
        s0 = VFMA(VLOADU(x + p), VLOADU(r0 + p), s0);
        t0 = VFMA(VLOADU(x + p + VL), VLOADU(r0 + p + VL), t0);
    }
    for (; p < k; p += VL) {
        vmask m = vmask_first(k - p);
        s0 = VFMA(VLOADM(x + p, m), VLOADM(r0 + p, m), s0);
    }
    return VHSUM(VADD(s0, t0));
}

// y[0..<n] += alpha · x[0..<n].
static void axpy(float alpha, const float *x, float *y, ptrdiff_t n) {
    vec a = VSET1(alpha);
    ptrdiff_t j = 0;
    for (; j + VL <= n; j += VL) VSTOREU(y + j, VFMA(a, VLOADU(x + j), VLOADU(y + j)));
    if (j < n) {
        vmask m = vmask_first(n - j);
        VSTOREM(y + j, m, VFMA(a, VLOADM(x + j, m), VLOADM(y + j, m)));
    }
}

// C with a few rows (batch-1 inference): dot products / row updates straight from B, no packing.
static int small_rows(int transA, int transB, ptrdiff_t m, ptrdiff_t n, ptrdiff_t k, float alpha,
                      const float *a, ptrdiff_t lda, const float *b, ptrdiff_t ldb, float *c, ptrdiff_t ldc) {
    // One row of alpha · op(A), contiguous: on the stack when short (batch-1 inference), else pooled.
    float local[4096] __attribute__((aligned(64)));
    size_t capacity = 0;
    float *x = k <= 4096 ? local : pare_scratch_take((size_t)k, &capacity);
    if (!x) return -1;
    for (ptrdiff_t i = 0; i < m; i++) {
        for (ptrdiff_t p = 0; p < k; p++) x[p] = alpha * (transA ? a[p * lda + i] : a[i * lda + p]);
        float *row = c + i * ldc;
        if (transB) {
            ptrdiff_t j = 0;
            for (; j + 4 <= n; j += 4) dot_four(x, b + j * ldb, ldb, k, row + j);
            for (; j < n; j++) row[j] += dot_one(x, b + j * ldb, k);
        } else {
            for (ptrdiff_t p = 0; p < k; p++) axpy(x[p], b + p * ldb, row, n);
        }
    }
    if (x != local) pare_scratch_give(x, capacity);
    return 0;
}

// Where op(B)'s block (jc, pc) sits in a whole-matrix packing (pack_b's panels for every column block
// jc and depth block pc, the blocks of one jc side by side in pc order): the same blocking the
// product uses, which depends on n and k only, so one packing serves every m.
static ptrdiff_t packed_block_offset(ptrdiff_t jc, ptrdiff_t nc, ptrdiff_t pc, ptrdiff_t k) {
    return jc * k + (nc + NR - 1) / NR * NR * pc;
}

// The blocked product; `prepacked` (a whole-matrix packing of op(B), or NULL) replaces pack_b.
static int blocked(int transA, int transB, ptrdiff_t m, ptrdiff_t n, ptrdiff_t k, float alpha, const float *a,
                   ptrdiff_t lda, const float *b, ptrdiff_t ldb, const float *prepacked, float *c, ptrdiff_t ldc) {
    ptrdiff_t kcBlock = balanced(k, KC_MAX, 1);
    ptrdiff_t mcBlock = balanced(m, MC_MAX, MR);
    ptrdiff_t ncBlock = balanced(n, NC_MAX, NR);
    // B panels are read with aligned loads: start them on a cache line (each panel is NR·kc floats).
    ptrdiff_t aFloats = (mcBlock * kcBlock + 15) / 16 * 16;
    size_t capacity;
    float *packedA = pare_scratch_take((size_t)aFloats + (prepacked ? 0 : (size_t)ncBlock * (size_t)kcBlock), &capacity);
    if (!packedA) return -1;
    float *packedB = packedA + aFloats;
    for (ptrdiff_t jc = 0; jc < n; jc += ncBlock) {
        ptrdiff_t nc = min_pd(ncBlock, n - jc);
        for (ptrdiff_t pc = 0; pc < k; pc += kcBlock) {
            ptrdiff_t kc = min_pd(kcBlock, k - pc);
            const float *bBlock = packedB;
            if (prepacked) bBlock = prepacked + packed_block_offset(jc, nc, pc, k);
            else pack_b(transB, b, ldb, pc, kc, jc, nc, packedB);
            for (ptrdiff_t ic = 0; ic < m; ic += mcBlock) {
                ptrdiff_t mc = min_pd(mcBlock, m - ic);
                pack_a(transA, a, lda, ic, mc, pc, kc, alpha, packedA);
                for (ptrdiff_t jr = 0; jr < nc; jr += NR) {
                    ptrdiff_t ncols = min_pd(NR, nc - jr);
                    int nv = (int)((ncols + VL - 1) / VL);
                    const float *bPanel = bBlock + jr * kc;
                    for (ptrdiff_t ir = 0; ir < mc; ir += MR) {
                        int mr = (int)min_pd(MR, mc - ir);
                        tiles[mr - 1][nv - 1](kc, packedA + ir * kc, bPanel, c + (ic + ir) * ldc + jc + jr, ldc, ncols);
                    }
                }
            }
        }
    }
    pare_scratch_give(packedA, capacity);
    return 0;
}

int FN(pare_sgemm_accumulate)(int transA, int transB, ptrdiff_t m, ptrdiff_t n, ptrdiff_t k, float alpha,
                              const float *a, ptrdiff_t lda, const float *b, ptrdiff_t ldb, float *c, ptrdiff_t ldc) {
    if (m <= 0 || n <= 0 || k <= 0) return 0;
    if (m <= SMALL_ROWS) return small_rows(transA, transB, m, n, k, alpha, a, lda, b, ldb, c, ldc);
    return blocked(transA, transB, m, n, k, alpha, a, lda, b, ldb, NULL, c, ldc);
}

ptrdiff_t FN(pare_sgemm_packed_b_floats)(ptrdiff_t n, ptrdiff_t k) {
    return n <= 0 || k <= 0 ? 0 : (n + NR - 1) / NR * NR * k;
}

void FN(pare_sgemm_pack_b)(int transB, ptrdiff_t n, ptrdiff_t k, const float *b, ptrdiff_t ldb, float *packed) {
    if (n <= 0 || k <= 0) return;
    ptrdiff_t kcBlock = balanced(k, KC_MAX, 1);
    ptrdiff_t ncBlock = balanced(n, NC_MAX, NR);
    for (ptrdiff_t jc = 0; jc < n; jc += ncBlock) {
        ptrdiff_t nc = min_pd(ncBlock, n - jc);
        for (ptrdiff_t pc = 0; pc < k; pc += kcBlock)
            pack_b(transB, b, ldb, pc, min_pd(kcBlock, k - pc), jc, nc, packed + packed_block_offset(jc, nc, pc, k));
    }
}

int FN(pare_sgemm_accumulate_packed_b)(int transA, int transB, ptrdiff_t m, ptrdiff_t n, ptrdiff_t k, float alpha,
                                       const float *a, ptrdiff_t lda, const float *b, ptrdiff_t ldb,
                                       const float *packed, float *c, ptrdiff_t ldc) {
    if (m <= 0 || n <= 0 || k <= 0) return 0;
    if (m <= SMALL_ROWS) return small_rows(transA, transB, m, n, k, alpha, a, lda, b, ldb, c, ldc);
    return blocked(transA, transB, m, n, k, alpha, a, lda, b, ldb, packed, c, ldc);
}
