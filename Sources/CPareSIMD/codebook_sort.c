// The codebook encoder's sorted non-zeros (see CPareSIMD.h): a radix sort of order-preserving 32-bit
// keys, the top 11 bits first (one scatter from the input into 2048 buckets), then each bucket by its
// low 21 bits (two least-significant-digit passes through a scratch as large as the largest bucket,
// while the bucket is in cache), and the f64 prefix sums of the sorted values every 64 entries. A
// global three-pass LSD sort is slower here (its scatters span the whole array) and needs a second
// array of every value.
#include "CPareSIMD.h"
#include "encode_common.h"
#include <math.h>

#pragma clang fp contract(off)

#define TOP_BITS PARE_CODEBOOK_TOP_BITS
#define BUCKETS PARE_CODEBOOK_BUCKETS
_Static_assert(BUCKETS == 1 << TOP_BITS, "one histogram entry per top digit");
#define LOW_BITS ((33 - TOP_BITS) / 2)    // the first per-bucket digit
#define MID_BITS (32 - TOP_BITS - LOW_BITS)  // the second

// Negative floats: all bits flipped; non-negative: the sign bit set. Unsigned order = float order.
static inline uint32_t order_key(float x) {
    uint32_t bits;
    memcpy(&bits, &x, 4);
    return bits & 0x80000000u ? ~bits : bits | 0x80000000u;
}

static inline float key_value(uint32_t key) {
    uint32_t bits = key & 0x80000000u ? key & 0x7FFFFFFFu : ~key;
    float x;
    memcpy(&x, &bits, 4);
    return x;
}

PARE_ENCODE_CLONES int pare_codebook_check(const float *x, ptrdiff_t count, int *hasZero) {
    int32_t most = 0, zero = 0;
    for (ptrdiff_t i = 0; i < count; i++) {
        int32_t bits = magnitude_bits(x[i]);
        most = bits > most ? bits : most;
        zero |= bits == 0;
    }
    *hasZero = zero;
    return most < 0x7F800000 ? 0 : -1;
}

void pare_codebook_sample(const float *x, ptrdiff_t count, ptrdiff_t samples, float *sample) {
    for (ptrdiff_t k = 0; k < samples; k++) {
        uint64_t weyl = (uint64_t)k * 0x9E3779B97F4A7C15u;  // mod 2^64
        sample[k] = x[(ptrdiff_t)(((unsigned __int128)weyl * (uint64_t)count) >> 64)];
    }
}

PARE_ENCODE_CLONES int pare_codebook_scan(const float *x, ptrdiff_t count, ptrdiff_t *histogram,
                                          struct pare_codebook_scan_result *result) {
    memset(histogram, 0, sizeof(ptrdiff_t) * BUCKETS);
    ptrdiff_t nonZeros = 0;
    int finite = 1;
    float lo = INFINITY, hi = -INFINITY;
    for (ptrdiff_t i = 0; i < count; i++) {
        float v = x[i];
        finite &= magnitude_bits(v) < 0x7F800000;
        if (v == 0) continue;
        nonZeros++;
        lo = v < lo ? v : lo;
        hi = v > hi ? v : hi;
        histogram[order_key(v) >> (32 - TOP_BITS)]++;
    }
    if (!finite) return -1;
    result->nonZeros = nonZeros;
    result->hasZero = nonZeros < count;
    result->lo = nonZeros ? lo : 0;
    result->hi = nonZeros ? hi : 0;
    ptrdiff_t largest = 0;
    for (int b = 0; b < BUCKETS; b++) largest = histogram[b] > largest ? histogram[b] : largest;
    result->largestBucket = largest;
    return 0;
}

// keys[0..<n] sorted by their low 32 − TOP_BITS bits (the high ones are equal), through scratch[0..<n].
static void sort_bucket(uint32_t *keys, ptrdiff_t n, uint32_t *scratch) {
    if (n <= 48) {
        for (ptrdiff_t i = 1; i < n; i++) {
            uint32_t key = keys[i];
            ptrdiff_t j = i;
            while (j > 0 && keys[j - 1] > key) { keys[j] = keys[j - 1]; j--; }
            keys[j] = key;
        }
        return;
    }
    // 32-bit counts: the fit sorts at most 2^20 values (its sample; Spec/ENCODINGS.md §2.5).
    uint32_t low[1 << LOW_BITS] = {0}, mid[1 << MID_BITS] = {0};
    const uint32_t lowMask = (1u << LOW_BITS) - 1, midMask = (1u << MID_BITS) - 1;
    for (ptrdiff_t i = 0; i < n; i++) {
        low[keys[i] & lowMask]++;
        mid[(keys[i] >> LOW_BITS) & midMask]++;
    }
    uint32_t total = 0;
    for (int d = 0; d < 1 << LOW_BITS; d++) { uint32_t c = low[d]; low[d] = total; total += c; }
    total = 0;
    for (int d = 0; d < 1 << MID_BITS; d++) { uint32_t c = mid[d]; mid[d] = total; total += c; }
    for (ptrdiff_t i = 0; i < n; i++) scratch[low[keys[i] & lowMask]++] = keys[i];
    for (ptrdiff_t i = 0; i < n; i++) keys[mid[(scratch[i] >> LOW_BITS) & midMask]++] = scratch[i];
}

PARE_ENCODE_CLONES void pare_codebook_sort(const float *x, ptrdiff_t count, const ptrdiff_t *histogram,
                                           float *sorted, uint32_t *scratch, double *checkpoints) {
    uint32_t *keys = (uint32_t *)sorted;
    ptrdiff_t starts[BUCKETS + 1];
    starts[0] = 0;
    for (int b = 0; b < BUCKETS; b++) starts[b + 1] = starts[b] + histogram[b];
    ptrdiff_t nonZeros = starts[BUCKETS];
    ptrdiff_t next[BUCKETS];
    memcpy(next, starts, sizeof next);
    for (ptrdiff_t i = 0; i < count; i++) {
        if (x[i] == 0) continue;
        uint32_t key = order_key(x[i]);
        keys[next[key >> (32 - TOP_BITS)]++] = key;
    }
    // Each bucket sorted, then (while in cache) its keys turned back into values in place and the
    // running P[i] = P[i − 1] + s[i − 1], in f64 and in order, kept at every 64th i.
    double sum = 0;
    for (int b = 0; b < BUCKETS; b++) {
        sort_bucket(keys + starts[b], starts[b + 1] - starts[b], scratch);
        for (ptrdiff_t i = starts[b]; i < starts[b + 1]; i++) {
            if ((i & 63) == 0) checkpoints[i >> 6] = sum;
            float v = key_value(keys[i]);
            sorted[i] = v;
            sum += (double)v;
        }
    }
    if ((nonZeros & 63) == 0) checkpoints[nonZeros >> 6] = sum;
}
