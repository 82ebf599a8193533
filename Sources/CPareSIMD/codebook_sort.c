// The codebook encoder's sorted non-zeros (see CPareSIMD.h): a radix sort of order-preserving 32-bit
// keys, most significant 11 bits first (one scatter from the input into buckets), then each bucket by
// its low 21 bits (two least-significant-digit passes through a scratch as large as the largest
// bucket), and the f64 prefix sums of the sorted values every 64 entries.
#include "CPareSIMD.h"
#include "encode_common.h"
#include <math.h>

#pragma clang fp contract(off)

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

PARE_ENCODE_CLONES int pare_codebook_scan(const float *x, ptrdiff_t count, ptrdiff_t *histogram,
                                          struct pare_codebook_scan_result *result) {
    memset(histogram, 0, sizeof(ptrdiff_t) * 2048);
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
        histogram[order_key(v) >> 21]++;
    }
    if (!finite) return -1;
    result->nonZeros = nonZeros;
    result->hasZero = nonZeros < count;
    result->lo = nonZeros ? lo : 0;
    result->hi = nonZeros ? hi : 0;
    ptrdiff_t largest = 0;
    for (int b = 0; b < 2048; b++) largest = histogram[b] > largest ? histogram[b] : largest;
    result->largestBucket = largest;
    return 0;
}

// keys[0..<n] sorted by their low 21 bits (the high 11 are equal), through scratch[0..<n].
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
    ptrdiff_t low[2048] = {0}, mid[1024] = {0};
    for (ptrdiff_t i = 0; i < n; i++) {
        low[keys[i] & 0x7FF]++;
        mid[(keys[i] >> 11) & 0x3FF]++;
    }
    ptrdiff_t total = 0;
    for (int d = 0; d < 2048; d++) { ptrdiff_t c = low[d]; low[d] = total; total += c; }
    total = 0;
    for (int d = 0; d < 1024; d++) { ptrdiff_t c = mid[d]; mid[d] = total; total += c; }
    for (ptrdiff_t i = 0; i < n; i++) scratch[low[keys[i] & 0x7FF]++] = keys[i];
    for (ptrdiff_t i = 0; i < n; i++) keys[mid[(scratch[i] >> 11) & 0x3FF]++] = scratch[i];
}

PARE_ENCODE_CLONES void pare_codebook_sort(const float *x, ptrdiff_t count, const ptrdiff_t *histogram,
                                           float *sorted, uint32_t *scratch, double *checkpoints) {
    uint32_t *keys = (uint32_t *)sorted;
    ptrdiff_t starts[2049];
    starts[0] = 0;
    for (int b = 0; b < 2048; b++) starts[b + 1] = starts[b] + histogram[b];
    ptrdiff_t nonZeros = starts[2048];
    ptrdiff_t next[2048];
    memcpy(next, starts, sizeof next);
    for (ptrdiff_t i = 0; i < count; i++) {
        if (x[i] == 0) continue;
        uint32_t key = order_key(x[i]);
        keys[next[key >> 21]++] = key;
    }
    for (int b = 0; b < 2048; b++) sort_bucket(keys + starts[b], starts[b + 1] - starts[b], scratch);
    // Keys back to values in place; P[i] = P[i − 1] + s[i − 1] in f64, sequentially, kept at every 64th i.
    double sum = 0;
    for (ptrdiff_t i = 0; i < nonZeros; i++) {
        if ((i & 63) == 0) checkpoints[i >> 6] = sum;
        float v = key_value(keys[i]);
        sorted[i] = v;
        sum += (double)v;
    }
    if ((nonZeros & 63) == 0) checkpoints[nonZeros >> 6] = sum;
}
