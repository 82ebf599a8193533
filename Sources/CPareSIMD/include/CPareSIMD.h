// CPareSIMD: the few kernels Swift's SIMD types cannot express. Swift has no variable in-register
// table lookup (vpermi2ps), which is what makes the batch-1 sliced sparse product fast: the input
// tile lives in two registers and every stored weight picks its input from them, no memory gather.
//
// Layout (the AVX-512 geometry; the AVX2 kernels use slices of 8 and tiles of 16) (built by Sources/PareRuntime/Kernels/SlicedWeights.swift; an in-memory form derived at
// load, not part of the file format): rows, reordered by how many values they store (most first,
// so rows of a slice need similar padding), in slices of 16 (one SIMD lane per row); columns in
// tiles of 32. Lane j of slice s is row rowOrder[16s+j]. Slice s, tile t holds steps
// stepStarts[s*tiles+t] ..< stepStarts[s*tiles+t+1]; each step is 16 lanes. Rows with fewer
// entries in that tile are padded with value 0, column 0.
//
// Two lane encodings:
//   packed (integer codings): one u32 per lane = (bf16 bits of the value) << 16 | column in tile.
//     bf16 holds every int8 / int4 value exactly, the permute reads only the low 5 bits, and one
//     AND recovers the exact value as a float: no widening, no int-to-float conversion per step.
//   f32: lanes[16k+j] = column in tile (u8), values[16k+j] = value (f32).
// Every array the kernels read per step must be 64-byte aligned (a 64-byte load that splits two
// cache lines costs about half again as much).
#ifndef CPARESIMD_H
#define CPARESIMD_H

#include <stddef.h>
#include <stdint.h>

// MARK: kernel sets (runtime CPU dispatch)
//
// One portable binary carries every set; PareKernels' `KernelSet` picks the best this CPU runs once
// (PARE_KERNELS may force a lower one) and passes it to the kernels below. Each set's functions
// are compiled with `__attribute__((target(...)))` and are only called after the check.

/// The baseline: PareKernels' / PareRuntime's Swift kernels (SSE2 on x86-64).
#define PARE_KERNELS_GENERIC 0
/// AVX2 + FMA (x86-64-v3): 8-lane kernels.
#define PARE_KERNELS_AVX2 1
/// AVX-512 F + DQ + BW + VL (x86-64-v4): 16-lane kernels.
#define PARE_KERNELS_AVX512 2

/// The best kernel set this CPU runs (PARE_KERNELS_*), from CPUID.
int pare_kernels_supported(void);

/// 1 when the CPU has AVX-512 VNNI (vpdpbusd), 0 otherwise.
int pare_cpu_has_avx512vnni(void);

// MARK: sgemm

/// C += alpha · op(A) · op(B), row-major, op(X) = X or its transpose; op(A) is m × k, op(B) k × n.
/// Blocked and packed for m > 4, dot products / row updates for m ≤ 4. Returns 0, or -1 when the
/// packing buffer could not be allocated (C untouched; the caller runs its own kernel).
int pare_sgemm_accumulate_avx512(int transA, int transB, ptrdiff_t m, ptrdiff_t n, ptrdiff_t k, float alpha,
                                 const float *a, ptrdiff_t lda, const float *b, ptrdiff_t ldb, float *c, ptrdiff_t ldc);
/// The same for AVX2 + FMA.
int pare_sgemm_accumulate_avx2(int transA, int transB, ptrdiff_t m, ptrdiff_t n, ptrdiff_t k, float alpha,
                               const float *a, ptrdiff_t lda, const float *b, ptrdiff_t ldb, float *c, ptrdiff_t ldc);

/// Floats of a whole-matrix packing of op(B) (k × n) for the AVX-512 sgemm: n rounded up to its
/// register tile's width, times k.
ptrdiff_t pare_sgemm_packed_b_floats_avx512(ptrdiff_t n, ptrdiff_t k);
/// The same for AVX2.
ptrdiff_t pare_sgemm_packed_b_floats_avx2(ptrdiff_t n, ptrdiff_t k);
/// Packs op(B) (k × n; B[j][p] when transB) into `packed` (pare_sgemm_packed_b_floats floats, 64-byte
/// aligned) as the blocked product packs it per call: every column block's depth blocks of panels.
/// The blocking depends on n and k only, so a weight packed once serves products of every m.
void pare_sgemm_pack_b_avx512(int transB, ptrdiff_t n, ptrdiff_t k, const float *b, ptrdiff_t ldb, float *packed);
/// The same for AVX2 (its own panel width: a packing is for the set that made it).
void pare_sgemm_pack_b_avx2(int transB, ptrdiff_t n, ptrdiff_t k, const float *b, ptrdiff_t ldb, float *packed);
/// pare_sgemm_accumulate_avx512 with op(B) already packed (pare_sgemm_pack_b_avx512 of the same b, n, k):
/// the blocked product reads `packed` instead of packing B per call, so threads that each take rows
/// of C share one packing; bit for bit the same C. m ≤ 4 still runs the few-row products on `b`.
int pare_sgemm_accumulate_packed_b_avx512(int transA, int transB, ptrdiff_t m, ptrdiff_t n, ptrdiff_t k, float alpha,
                                          const float *a, ptrdiff_t lda, const float *b, ptrdiff_t ldb,
                                          const float *packed, float *c, ptrdiff_t ldc);
/// The same for AVX2.
int pare_sgemm_accumulate_packed_b_avx2(int transA, int transB, ptrdiff_t m, ptrdiff_t n, ptrdiff_t k, float alpha,
                                        const float *a, ptrdiff_t lda, const float *b, ptrdiff_t ldb,
                                        const float *packed, float *c, ptrdiff_t ldc);

// MARK: int8 × int8 products (dense integer weights, dynamically quantized activations)
//
// Activations (llama.cpp's Q8_0 activations): each row (sample) i of x is quantized on the fly in
// blocks of `block` values along k (32, or a block coding's shorter segment; the last block may be
// shorter), symmetric per block: m = max |x| over the block; scale[i][b] = m / 127 rounded to f16 (the
// d ggml's quantize_row_q8_0 stores and multiplies by); q = clamp(round-half-even(x · (127 / m)), −127, 127)
// as s8 (blocks with m < PARE_INT8_MIN_RANGE give zeros and scale 0); sums[i][b] = 128 · Σ q over the
// block (what removes VNNI's weight offset). With `super` > 0 (llama.cpp's Q8_K activations, for
// k-quant weights; a multiple of `block`), m is taken over each `super` values instead and its scale
// 1 / (127 / m) in f32 (quantize_row_q8_K_ref's d) is written to each of their blocks' slots.
// Rows are padded with zeros to `ldq` (a multiple of 4). scales and sums are [m][⌈k / block⌉].
// Weights: packed once (pare_int8_pack) as panels of 16 output rows; panel p, group g (columns
// 4g…4g+3) is 64 bytes: row 16p + lane, its four columns, for lane 0…15; zero past the edges. For
// VNNI the bytes are q + 128 (u8; vpdpbusd takes the unsigned operand from the weights).
// Output, per block b: acc = Σ_block q_x · q_w (exact int32); d = ss ? ss[p][b][lane] · xs[i][b] : xs[i][b];
// sum = fma(float(acc), d, sum) from 0 in block order; y = (ws ? sum · ws[j] : sum) + bias[j]
// (bias 0 when NULL). ss holds a block coding's weight scales per [panel][block][lane] (16 floats per
// panel and block, zeros past the last row, 64-byte aligned: one vector load per block), ws a per-row
// coding's (whole panels). IntegerReference computes the same operations in the same order.

/// Blocks quantize below this max |x| to zero (avoids 127 / m overflowing to infinity).
#define PARE_INT8_MIN_RANGE 1e-30f

/// Bytes of the packed form of a rows × columns int8 weight.
ptrdiff_t pare_int8_packed_bytes(ptrdiff_t rows, ptrdiff_t columns);
/// Packs `w` (row-major int8) into `packed` (pare_int8_packed_bytes, 64-byte aligned), as q + 128 when
/// `offset` (VNNI). Returns 1 when some weight is −128 (the AVX2 kernel cannot take those), else 0.
int pare_int8_pack(const int8_t *w, ptrdiff_t rows, ptrdiff_t columns, int8_t *packed, int offset);
/// Q4_0 weights kept at 4 bits (`nibbles` in the kernels, as ggml's q4_0 × q8_0 reads its blocks):
/// the same panels, but groups 2h and 2h + 1 share 64 bytes, byte = (q_2h + 8) | (q_2h+1 + 8) << 4
/// (q within −8…7; 8 past the edges). columns must be a multiple of 8. The kernels unpack in
/// registers: u8 q + 8 for VNNI (offset removed with 8 · Σ q per block), q for AVX2.
ptrdiff_t pare_q4_packed_bytes(ptrdiff_t rows, ptrdiff_t columns);
/// Packs `w` (row-major int8, each within −8…7) into `packed` (pare_q4_packed_bytes, 64-byte aligned).
void pare_q4_pack(const int8_t *w, ptrdiff_t rows, ptrdiff_t columns, uint8_t *packed);

/// Quantizes m rows of k floats (row stride ldx), each multiplied by `prescale` first (a model's input
/// scale, so the input need not be copied and scaled; 1 leaves x as it is), in blocks as above. Returns
/// 0, or -1 when some value is infinite or NaN or an f16 scale overflows (q is then incomplete; the
/// caller keeps the f32 path).
int pare_int8_quantize_blocks_avx512(const float *x, float prescale, ptrdiff_t m, ptrdiff_t k, ptrdiff_t ldx, ptrdiff_t block, ptrdiff_t super,
                                     int8_t *q, ptrdiff_t ldq, float *scales, int32_t *sums);
/// The same compiled for AVX2 (identical results).
int pare_int8_quantize_blocks_avx2(const float *x, float prescale, ptrdiff_t m, ptrdiff_t k, ptrdiff_t ldx, ptrdiff_t block, ptrdiff_t super,
                                   int8_t *q, ptrdiff_t ldq, float *scales, int32_t *sums);

/// y (m × n, row stride ldy) with AVX-512 VNNI (weights packed with offset, or as nibbles when
/// `nibbles`, then block a multiple of 8) for the output panels
/// [panelBegin, panelEnd) (16 outputs each); ss / ws as above (one of them NULL); bias may be NULL.
void pare_int8_gemm_blocks_vnni(ptrdiff_t m, ptrdiff_t n, ptrdiff_t k, ptrdiff_t block, int nibbles, const int8_t *xq,
                                ptrdiff_t ldq, const float *xs, const int32_t *xsums, const uint8_t *packed,
                                const float *ss, const float *ws, const float *bias, float *y, ptrdiff_t ldy,
                                ptrdiff_t panelBegin, ptrdiff_t panelEnd);
/// The same with AVX2 (weights packed without offset, free of −128; xsums unused).
void pare_int8_gemm_blocks_avx2(ptrdiff_t m, ptrdiff_t n, ptrdiff_t k, ptrdiff_t block, int nibbles, const int8_t *xq,
                                ptrdiff_t ldq, const float *xs, const int8_t *packed, const float *ss,
                                const float *ws, const float *bias, float *y, ptrdiff_t ldy,
                                ptrdiff_t panelBegin, ptrdiff_t panelEnd);
/// Block offsets (q4_K's w = scale · q + offset per block of `block` inputs): for each row i and block b
/// in order, t = xs[i][b] · float(xsums[i][b] / 128) (the block's dx · Σ qx) and
/// y[i][r] = fma(offsets[b][r], t, y[i][r]) for r < n; run after the product. AVX2 + FMA (VNNI CPUs have
/// them too).
void pare_int8_add_block_offsets_avx2(ptrdiff_t m, ptrdiff_t n, ptrdiff_t nb, const float *xs, const int32_t *xsums,
                                      const float *offsets, float *y, ptrdiff_t ldy);

// MARK: the converter's fused encoders

/// Symmetric int8 of a dense rows × columns f32 tensor, as PareEncodings' Int8Coding writes it
/// (scale = max|x| / 127 per row or per tensor, q = clamp(roundHalfAway(x / scale), −127, 127), 0 when
/// the scale is 0), with the error figures of decoding it (q · scale) in the same pass: the largest
/// |x − x'|, Σ (x − x')² and Σ x², in double, in element order. q holds rows × columns bytes, scales
/// rows (per channel) or 1 entries. Returns 0, or -1 when a value is infinite or NaN (outputs undefined).
int pare_encode_int8_symmetric(const float *x, ptrdiff_t rows, ptrdiff_t columns, int perChannel, int8_t *q,
                               float *scales, float *maxError, double *errorSquares, double *signalSquares);

/// GGUF Q4_0 blocks of `count` f32 values (18 bytes per 32, the last block zero-padded), as PareEncodings'
/// Q4_0Coding writes them, with the error figures of decoding them (as pare_encode_int8_symmetric).
/// Returns 0, or -1 when a value is not finite or too large for the f16 block scale.
int pare_encode_q4_0(const float *x, ptrdiff_t count, uint8_t *blocks, float *maxError, double *errorSquares,
                     double *signalSquares);

/// The kernel set the fused encoders below use by default: pare_kernels_supported(), lowered by
/// PARE_KERNELS=avx2|generic like PareKernels' KernelSet (read once; an unknown value is ignored).
int pare_encoder_kernels(void);

/// GGUF Q8_0 blocks of `count` f32 values (34 bytes per 32: f16 d = max|x| / 127, then
/// q = clamp(roundHalfAway(x · (1 / d)), −128, 127); the last block zero-padded), as PareEncodings'
/// Q8_0Coding writes them, with the error figures of decoding them (as pare_encode_int8_symmetric).
/// `kernels` (PARE_KERNELS_*) picks the compiled set, lowered to what the CPU runs; every set gives the
/// same bytes and figures. Returns 0, or -1 when a value is not finite or too large for the f16 scale.
int pare_encode_q8_0(int kernels, const float *x, ptrdiff_t count, uint8_t *blocks, float *maxError,
                     double *errorSquares, double *signalSquares);

/// Symmetric int4 of a dense rows × columns f32 tensor, as PareEncodings' Int4Coding writes it (scale =
/// max|x| / 7 per row or per tensor, q = clamp(roundHalfAway(x / scale), −7, 7), 0 when the scale is 0,
/// stored as nibbles q + 8, element 2i low and 2i + 1 high in byte i, an odd count's last high nibble 0),
/// with the error figures of decoding it (as pare_encode_int8_symmetric). packed holds
/// ⌈rows · columns / 2⌉ bytes, scales rows (per channel) or 1. `kernels` as for pare_encode_q8_0.
/// Returns 0, or -1 when a value is infinite or NaN (outputs undefined).
int pare_encode_int4_symmetric(int kernels, const float *x, ptrdiff_t rows, ptrdiff_t columns, int perChannel,
                               uint8_t *packed, float *scales, float *maxError, double *errorSquares,
                               double *signalSquares);

/// The codebook sort's first digit: the top 11 bits of the order keys; pare_codebook_scan's histogram
/// has one entry per value of it.
#define PARE_CODEBOOK_TOP_BITS 11
#define PARE_CODEBOOK_BUCKETS 2048

/// What pare_codebook_scan finds in a codebook stream.
struct pare_codebook_scan_result {
    ptrdiff_t nonZeros;       // values ≠ 0 (−0 counts as 0)
    ptrdiff_t largestBucket;  // the most non-zeros sharing their top 11 order-key bits (pare_codebook_sort's scratch)
    int hasZero;              // 1 when a value is ±0: the codebook pins entry 0 to 0
    float lo, hi;             // min and max of the non-zeros (0 and 0 without any)
};

/// Whether any of the `count` values is ±0 (*hasZero = 1: the codebook pins entry 0). Returns 0, or -1
/// when a value is infinite or NaN.
int pare_codebook_check(const float *x, ptrdiff_t count, int *hasZero);

/// The codebook fit's sample of a long stream (Spec/ENCODINGS.md §2.5): sample[k] = x[p_k] with
/// p_k = ⌊((k · 0x9E3779B97F4A7C15) mod 2^64) · count / 2^64⌋, k = 0…samples − 1.
void pare_codebook_sample(const float *x, ptrdiff_t count, ptrdiff_t samples, float *sample);

/// One pass over a codebook stream (Spec/ENCODINGS.md §2.5): its non-zero count, range and zeros, and
/// `histogram` (PARE_CODEBOOK_BUCKETS entries) of the non-zeros' top order-key bits for pare_codebook_sort.
/// Returns 0, or -1 when a value is infinite or NaN (the result is then unset).
int pare_codebook_scan(const float *x, ptrdiff_t count, ptrdiff_t *histogram, struct pare_codebook_scan_result *result);

/// The non-zeros of x (count < 2^32) ascending into `sorted` (nonZeros entries), by a radix sort that needs `scratch`
/// of largestBucket entries, and the f64 prefix sums P[i] = Σ sorted[0..<i] (added in order) at every
/// 64th i into `checkpoints` (nonZeros / 64 + 1 entries). `histogram` is pare_codebook_scan's.
void pare_codebook_sort(const float *x, ptrdiff_t count, const ptrdiff_t *histogram, float *sorted,
                        uint32_t *scratch, double *checkpoints);

/// The codebook's `free` centroids (1…256) fit to the `count` sorted non-zeros with range [lo, hi]:
/// linear initialisation and up to `iterations` Lloyd rounds, as Spec/ENCODINGS.md §2.5 defines them.
/// Returns 0, or -1 when hi − lo overflows f32.
int pare_codebook_fit(const float *sorted, ptrdiff_t count, const double *checkpoints, float lo, float hi,
                      int iterations, int free, float *centroids);

/// Index of the entry nearest x in the ascending `centroids` (count ≥ 1); ties to the lowest index.
int pare_codebook_nearest(float x, const float *centroids, int count);

/// Each of the `count` finite values' codebook index (2^bits entries; entry 0 is the pinned 0 when
/// pinZero), packed `bits` wide LSB first into ⌈count · bits / 8⌉ bytes, with the error figures of
/// decoding them (as pare_encode_int8_symmetric). Returns 0, or -1 when a codebook entry is not finite.
int pare_codebook_assign(const float *x, ptrdiff_t count, int bits, const float *codebook, int pinZero,
                         uint8_t *packed, float *maxError, double *errorSquares, double *signalSquares);

/// The stored-value counts TensorEncoder.smallestStructure compares: non-zeros (csr, bitmask) and
/// csr_delta entries (a filler every `maxGap` columns of zeros) of a dense rows × columns tensor.
void pare_count_stored(const float *x, ptrdiff_t rows, ptrdiff_t columns, ptrdiff_t maxGap,
                       ptrdiff_t *nonZeros, ptrdiff_t *deltaStored);

// MARK: sparse int8 × int8 (int8 / int4 weights with per-row scales, any sparse structure)
//
// Built by Sources/PareRuntime/Kernels/SparseIntegerWeights.swift: rows in slices of 8 (most stored
// first, grouped so a slice's rows fill the same tiles), columns in tiles of 32 (= the activation
// blocks). Slice s starts at step sliceStarts[s]; its tiles follow in order, tile t with
// stepCounts[s*tiles+t] steps (0–8). A step is a 64-byte record (64-byte aligned): 32 bytes of
// columns, then 32 bytes of q (s8, never −128); byte 4j + e is entry e of lane j (row
// rowOrder[8s+j]); a column c within the tile is stored as c (c < 16) or 0x80 | (c − 16); padding is
// column 0, q 0.
// Input: one sample quantized as for the dense integer kernels (blocks of 32: q in xq, padded with
// zeros to 32 · tiles bytes; scales xs per block). Per lane, per tile t in order: acc = Σ q_x · q_w
// (exact int32), sum = fma(float(acc), xs[t], sum) (a tile with no step adds exactly 0);
// y[r] = sum · scales[lane] (+ bias[r]) — the dense integer product's formula over the stored values.

/// y[r] for the rows of slices [sliceBegin, sliceEnd) (lanes past `rows` write nothing).
void pare_sliced_int8_gemv_avx2(const int8_t *xq, const float *xs, ptrdiff_t rows, ptrdiff_t tiles,
                                const ptrdiff_t *sliceStarts, const uint8_t *stepCounts, const uint8_t *steps,
                                const int32_t *rowOrder, const float *scales, const float *bias, float *y,
                                ptrdiff_t sliceBegin, ptrdiff_t sliceEnd);

// MARK: sliced batch-1 sparse products

/// y[r] = scale * sum over row r's steps of value * x[column] (+ bias[r]) for the rows of slices
/// [sliceBegin, sliceEnd), packed lanes. `scales` has one entry per lane (slices × 16, in lane
/// order), `rowOrder` the row of each lane; `bias` (rows entries, by row) may be NULL; lanes past
/// `rows` are padding and write nothing.
void pare_sliced_gemv_packed_avx512(const float *x, ptrdiff_t columns, ptrdiff_t rows, ptrdiff_t tiles,
                             const ptrdiff_t *stepStarts, const int32_t *rowOrder, const uint32_t *packed,
                             const float *scales, const float *bias, float *y,
                             ptrdiff_t sliceBegin, ptrdiff_t sliceEnd);

/// The same with f32 lanes (u8 columns and f32 values).
void pare_sliced_gemv_f32_avx512(const float *x, ptrdiff_t columns, ptrdiff_t rows, ptrdiff_t tiles,
                          const ptrdiff_t *stepStarts, const int32_t *rowOrder, const uint8_t *lanes, const float *values,
                          const float *scales, const float *bias, float *y,
                          ptrdiff_t sliceBegin, ptrdiff_t sliceEnd);

/// The AVX2 kernels: the same arrangement with slices of 8 rows (ymm lanes) and tiles of 16 columns
/// (two ymm registers of input; each step permutes both with vpermps and blends on column bit 3).
void pare_sliced_gemv_packed_avx2(const float *x, ptrdiff_t columns, ptrdiff_t rows, ptrdiff_t tiles,
                                  const ptrdiff_t *stepStarts, const int32_t *rowOrder, const uint32_t *packed,
                                  const float *scales, const float *bias, float *y,
                                  ptrdiff_t sliceBegin, ptrdiff_t sliceEnd);
/// The AVX2 kernel with f32 lanes.
void pare_sliced_gemv_f32_avx2(const float *x, ptrdiff_t columns, ptrdiff_t rows, ptrdiff_t tiles,
                               const ptrdiff_t *stepStarts, const int32_t *rowOrder, const uint8_t *lanes, const float *values,
                               const float *scales, const float *bias, float *y,
                               ptrdiff_t sliceBegin, ptrdiff_t sliceEnd);

#endif
