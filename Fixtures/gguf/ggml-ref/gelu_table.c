// ggml's GELU on the CPU backend (ggml_gelu, f32, GGML_GELU_FP16 table) applied to every f16 value,
// printed as the JSON fixture Fixtures/gguf/ggml-gelu.json: an FNV-1a 64 digest of the 65,536 f32
// results' bits (input order, NaN written as 0x7FC00000) and the results at a few inputs.
//   gcc -O1 gelu_table.c -I$LLAMA/ggml/include -L$BUILD/bin -lggml -lggml-base -lggml-cpu \
//       -Wl,-rpath,$BUILD/bin -o gelu_table && ./gelu_table > ../ggml-gelu.json
// ($LLAMA: vendor/llama.cpp of the llama-cpp-python 0.3.36 sdist; $BUILD: its cmake build directory.)
#include "ggml.h"
#include "ggml-cpu.h"
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

int main(void) {
    struct ggml_init_params params = { 64u << 20, NULL, false };
    struct ggml_context *ctx = ggml_init(params);
    struct ggml_tensor *x = ggml_new_tensor_1d(ctx, GGML_TYPE_F32, 65536);
    for (int i = 0; i < 65536; i++) ((float *)x->data)[i] = ggml_fp16_to_fp32((ggml_fp16_t)i);
    struct ggml_tensor *y = ggml_gelu(ctx, x);
    struct ggml_cgraph *graph = ggml_new_graph(ctx);
    ggml_build_forward_expand(graph, y);
    ggml_graph_compute_with_ctx(ctx, graph, 1);
    uint64_t hash = 0xcbf29ce484222325ull;
    uint32_t bits[65536];
    for (int i = 0; i < 65536; i++) {
        float v = ((float *)y->data)[i];
        memcpy(&bits[i], &v, 4);
        if (isnan(v)) bits[i] = 0x7FC00000u;
        for (int b = 0; b < 4; b++) { hash ^= (bits[i] >> (8 * b)) & 0xFF; hash *= 0x100000001b3ull; }
    }
    // 0xBFFF (-1.999) is an entry where evaluating 1 + 0.044715x·x without a fused multiply-add gives another f16.
    const int spots[] = { 0x0000, 0x0001, 0x3C00, 0xBC00, 0x4000, 0xC000, 0xBFFF, 0x3555, 0xB555, 0x4900,
                          0xC8FF, 0x48FF, 0xC900, 0x7C00, 0xFC00, 0x2E66, 0xBA00, 0x4248 };
    printf("{\"made_by\":\"Fixtures/gguf/ggml-ref/gelu_table.c against libggml-cpu of llama-cpp-python 0.3.36 (GGML_NATIVE, x86-64 AVX-512)\",\n");
    printf(" \"fnv1a64\":\"%016llx\",\n \"spots\":[", (unsigned long long)hash);
    for (size_t s = 0; s < sizeof spots / sizeof spots[0]; s++) printf("%s[%d,%u]", s ? "," : "", spots[s], bits[spots[s]]);
    printf("]}\n");
    ggml_free(ctx);
    return 0;
}
