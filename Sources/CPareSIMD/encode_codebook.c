// The codebook encoder (Spec/ENCODINGS.md §2.5, see CPareSIMD.h): Lloyd iterations over the sorted
// non-zeros, then the final assignment, bit packing and error figures in one pass over the input.
#include "CPareSIMD.h"
#include "encode_common.h"
#include <math.h>

int pare_codebook_nearest(float x, const float *centroids, int count) {
    int low = 0, high = count - 1;
    while (low < high) {  // first centroid ≥ x (or the last)
        int mid = (low + high) / 2;
        if (centroids[mid] < x) low = mid + 1;
        else high = mid;
    }
    int best = low > 0 && fabsf(x - centroids[low - 1]) <= fabsf(x - centroids[low]) ? low - 1 : low;
    while (best > 0 && centroids[best - 1] == centroids[best]) best--;
    return best;
}

// P[i], the f64 sum of sorted[0..<i] added in order, from the sum kept at every 64th i.
static double prefix(const float *sorted, const double *checkpoints, ptrdiff_t i) {
    double sum = checkpoints[i >> 6];
    for (ptrdiff_t k = i & ~(ptrdiff_t)63; k < i; k++) sum += (double)sorted[k];
    return sum;
}

int pare_codebook_fit(const float *sorted, ptrdiff_t count, const double *checkpoints, float lo, float hi,
                      int iterations, int free, float *centroids) {
    if (!isfinite(hi - lo)) return -1;
    for (int i = 0; i < free; i++) centroids[i] = free == 1 ? lo : lo + (hi - lo) * (float)i / (float)(free - 1);
    float current[256];
    for (int round = 0; round < iterations; round++) {
        int moved = 0;
        ptrdiff_t start = 0;
        memcpy(current, centroids, sizeof(float) * (size_t)free);  // this round's assignment
        for (int i = 0; i < free; i++) {
            ptrdiff_t end = count;
            if (i < free - 1) {  // 1-D clusters are runs of the sorted values: the first index past run i
                ptrdiff_t low = start, high = count;
                while (low < high) {
                    ptrdiff_t mid = (low + high) / 2;
                    if (pare_codebook_nearest(sorted[mid], current, free) > i) high = mid;
                    else low = mid + 1;
                }
                end = low;
            }
            if (end > start) {
                float mean = (float)((prefix(sorted, checkpoints, end) - prefix(sorted, checkpoints, start)) /
                                     (double)(end - start));
                if (mean != centroids[i]) { centroids[i] = mean; moved = 1; }
            }
            start = end;
        }
        for (int i = 1; i < free; i++) {  // kept ascending
            float c = centroids[i];
            int j = i;
            while (j > 0 && centroids[j - 1] > c) { centroids[j] = centroids[j - 1]; j--; }
            centroids[j] = c;
        }
        if (!moved) break;
    }
    return 0;
}

// Where x ≤ the largest centroid, pare_codebook_nearest is monotone in x: between two distinct
// neighbours u < v it answers u up to the last float t with |t − u| ≤ |t − v| (both sides rounded,
// non-decreasing / non-increasing in t), then v. So the answer is the first index of the r-th
// distinct value, r = #{thresholds < x}. Above the largest centroid rounding can collapse the two
// distances, so those (few) values take pare_codebook_nearest itself.
struct assignment {
    float thresholds[256];  // ascending, padded with +∞ to `padded` entries
    int first[256];         // first index of each distinct centroid value
    int distinct, padded;
    float top;
};

static void prepare_assignment(const float *centroids, int free, struct assignment *a) {
    a->distinct = 0;
    for (int i = 0; i < free; i++)
        if (i == 0 || centroids[i] != centroids[i - 1]) a->first[a->distinct++] = i;
    for (int j = 0; j + 1 < a->distinct; j++) {
        float u = centroids[a->first[j]], v = centroids[a->first[j + 1]];
        uint32_t low, high;  // order keys: the predicate holds at u (low), fails at v (high)
        memcpy(&low, &u, 4);
        memcpy(&high, &v, 4);
        low = low & 0x80000000u ? ~low : low | 0x80000000u;
        high = high & 0x80000000u ? ~high : high | 0x80000000u;
        while (high - low > 1) {
            uint32_t mid = low + (high - low) / 2, bits = mid & 0x80000000u ? mid & 0x7FFFFFFFu : ~mid;
            float t;
            memcpy(&t, &bits, 4);
            if (fabsf(t - u) <= fabsf(t - v)) low = mid;
            else high = mid;
        }
        uint32_t bits = low & 0x80000000u ? low & 0x7FFFFFFFu : ~low;
        memcpy(&a->thresholds[j], &bits, 4);
    }
    a->padded = 1;
    while (a->padded < a->distinct) a->padded *= 2;
    for (int j = a->distinct - 1; j < a->padded; j++) a->thresholds[j] = INFINITY;
    a->top = centroids[free - 1];
}

typedef float f32x8 __attribute__((vector_size(32)));
typedef int32_t i32x8 __attribute__((vector_size(32)));

// rank[e] = #{thresholds < x[e]}: for small codebooks eight values at a time against every threshold
// (the counts stay in registers), for large ones a branchless binary search over the padded thresholds.
static void ranks(const float *x, int n, const struct assignment *a, int32_t *rank) {
    int used = a->distinct - 1, e = 0;
    if (used <= 31) {
        for (; e + 8 <= n; e += 8) {
            f32x8 v;
            memcpy(&v, x + e, sizeof v);
            i32x8 count = {0};
            for (int j = 0; j < used; j++) count -= (i32x8)(v > a->thresholds[j]);  // true is −1
            memcpy(rank + e, &count, sizeof count);
        }
    }
    for (; e < n; e++) {
        int position = 0;
        for (int step = a->padded / 2; step > 0; step /= 2)
            position += a->thresholds[position + step - 1] < x[e] ? step : 0;
        rank[e] = position;
    }
}

PARE_ENCODE_CLONES int pare_codebook_assign(const float *x, ptrdiff_t count, int bits, const float *codebook,
                                            int pinZero, uint8_t *packed, float *maxError,
                                            double *errorSquares, double *signalSquares) {
    const int offset = pinZero ? 1 : 0, free = (1 << bits) - offset;
    const float *centroids = codebook + offset;
    for (int i = 0; i < (1 << bits); i++)
        if (!isfinite(codebook[i])) return -1;
    struct assignment a;
    prepare_assignment(centroids, free, &a);
    int32_t worstBits = 0;
    double errors = 0, signal = 0;
    uint32_t acc = 0;
    int held = 0;
    uint8_t *out = packed;
    enum { chunk = 256 };
    int32_t rank[chunk];
    for (ptrdiff_t base = 0; base < count; base += chunk) {
        int n = count - base < chunk ? (int)(count - base) : chunk;
        const float *v = x + base;
        ranks(v, n, &a, rank);
        for (int e = 0; e < n; e++) {
            float value = v[e];
            int index;
            if (value == 0) {
                index = 0;  // only streams with zeros reach here, and those pin entry 0
            } else {
                index = (value > a.top ? pare_codebook_nearest(value, centroids, free) : a.first[rank[e]]) + offset;
                // A value closer to the pinned zero than to any free centroid takes the zero.
                if (pinZero && fabsf(value) <= fabsf(value - codebook[index])) index = 0;
            }
            acc |= (uint32_t)index << held;
            held += bits;
            if (held >= 8) { *out++ = (uint8_t)acc; acc >>= 8; held -= 8; }
            float decoded = codebook[index];
            float diff = value == decoded ? 0.0f : fabsf(value - decoded);
            int32_t diffBits = magnitude_bits(diff);
            worstBits = diffBits > worstBits ? diffBits : worstBits;
            errors += (double)diff * (double)diff;
            signal += (double)value * (double)value;
        }
    }
    if (held > 0) *out = (uint8_t)acc;
    memcpy(maxError, &worstBits, 4);
    *errorSquares = errors;
    *signalSquares = signal;
    return 0;
}
