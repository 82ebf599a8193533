// Link stubs for the parts of ggml that ggml-quants.c names but the reference quantizers never call.
#include <stdlib.h>
#include <stddef.h>
void ggml_abort(const char * file, int line, const char * fmt, ...) { abort(); }
size_t ggml_row_size(int type, long long ne) { abort(); }
const char * ggml_type_name(int type) { abort(); }
size_t ggml_type_size(int type) { abort(); }
