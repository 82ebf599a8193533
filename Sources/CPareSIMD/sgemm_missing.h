// Stubs for architectures or compilers without the x86 vector builds: pare_kernels_supported()
// reports the generic set there, so these are never called.
#define PARE_MISSING_SGEMM(ISA)                                                                    \
    int pare_sgemm_accumulate_##ISA(int transA, int transB, ptrdiff_t m, ptrdiff_t n, ptrdiff_t k,  \
                                     float alpha, const float *a, ptrdiff_t lda, const float *b,     \
                                     ptrdiff_t ldb, float *c, ptrdiff_t ldc) { return -1; }          \
    ptrdiff_t pare_sgemm_packed_b_floats_##ISA(ptrdiff_t n, ptrdiff_t k) { return 0; }              \
    void pare_sgemm_pack_b_##ISA(int transB, ptrdiff_t n, ptrdiff_t k, const float *b, ptrdiff_t ldb, \
                                 float *packed) {}                                                  \
    int pare_sgemm_accumulate_packed_b_##ISA(int transA, int transB, ptrdiff_t m, ptrdiff_t n,      \
                                             ptrdiff_t k, float alpha, const float *a, ptrdiff_t lda, \
                                             const float *b, ptrdiff_t ldb, const float *packed,     \
                                             float *c, ptrdiff_t ldc) { return -1; }
