// What the converter's fused encoders (encode_int8.c, encode_q4_0.c) share.
#ifndef PARE_ENCODE_COMMON_H
#define PARE_ENCODE_COMMON_H
#include <stdint.h>
#include <string.h>

// Clones for AVX2 and the baseline, picked once by the loader (ifunc): the same IEEE operations in
// the same order, so the bytes and error sums are the same on every CPU; only the width differs.
#if defined(__x86_64__) && defined(__clang__) && defined(__ELF__)
#define PARE_ENCODE_CLONES __attribute__((target_clones("avx2", "default")))
#else
#define PARE_ENCODE_CLONES
#endif

// |x|'s bits as int32: ordered like |x| for every float (NaN and ∞ above every finite value) and
// never negative, so maxima vectorize as integer compares (SSE2's signed compare takes them).
static inline int32_t magnitude_bits(float x) {
    int32_t bits;
    memcpy(&bits, &x, 4);
    return bits & 0x7FFFFFFF;
}
#endif
