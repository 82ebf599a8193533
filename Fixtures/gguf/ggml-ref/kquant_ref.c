// Reads little-endian f32 values (a multiple of 256) on stdin, writes ggml's Q6_K blocks
// (quantize_row_q6_K_ref, linked from ggml/src/ggml-quants.c) on stdout.
#include <stdio.h>
#include <stdlib.h>
#include <stdint.h>
void quantize_row_q6_K_ref(const float * x, void * y, int64_t k);
void quantize_row_q4_K_ref(const float * x, void * y, int64_t k);
int main(int argc, char ** argv) {
    size_t cap = 1 << 20, n = 0; float * x = malloc(cap * 4);
    size_t got; while ((got = fread(x + n, 4, cap - n, stdin)) > 0) { n += got; if (n == cap) { cap *= 2; x = realloc(x, cap * 4); } }
    if (n % 256) { fprintf(stderr, "%zu values: not a multiple of 256\n", n); return 1; }
    int q4k = argc > 1 && argv[1][0] == '4';
    size_t bytes = n / 256 * (q4k ? 144 : 210); void * y = malloc(bytes);
    if (q4k) quantize_row_q4_K_ref(x, y, n); else quantize_row_q6_K_ref(x, y, n);
    fwrite(y, 1, bytes, stdout); return 0;
}
