// The packed weight layout shared by the int8 × int8 kernels (see CPareSIMD.h), built once per weight.
#include "CPareSIMD.h"

ptrdiff_t pare_int8_packed_bytes(ptrdiff_t rows, ptrdiff_t columns) {
    ptrdiff_t panels = (rows + 15) / 16, groups = (columns + 3) / 4;
    return panels * groups * 64;
}

int pare_int8_pack(const int8_t *w, ptrdiff_t rows, ptrdiff_t columns, int8_t *packed, int offset) {
    ptrdiff_t panels = (rows + 15) / 16, groups = (columns + 3) / 4;
    int hasMinus128 = 0;
    uint8_t flip = offset ? 0x80 : 0;  // q + 128 as u8 is q with its top bit flipped
    for (ptrdiff_t p = 0; p < panels; p++) {
        for (ptrdiff_t g = 0; g < groups; g++) {
            int8_t *to = packed + (p * groups + g) * 64;
            for (int lane = 0; lane < 16; lane++) {
                ptrdiff_t r = p * 16 + lane;
                for (int b = 0; b < 4; b++) {
                    ptrdiff_t c = g * 4 + b;
                    int8_t q = (r < rows && c < columns) ? w[r * columns + c] : 0;
                    hasMinus128 |= q == -128;
                    to[lane * 4 + b] = (int8_t)((uint8_t)q ^ flip);
                }
            }
        }
    }
    return hasMinus128;
}

ptrdiff_t pare_q4_packed_bytes(ptrdiff_t rows, ptrdiff_t columns) {
    ptrdiff_t panels = (rows + 15) / 16, pairs = (columns + 7) / 8;
    return panels * pairs * 64;
}

void pare_q4_pack(const int8_t *w, ptrdiff_t rows, ptrdiff_t columns, uint8_t *packed) {
    ptrdiff_t panels = (rows + 15) / 16, pairs = (columns + 7) / 8;
    for (ptrdiff_t p = 0; p < panels; p++) {
        for (ptrdiff_t h = 0; h < pairs; h++) {
            uint8_t *to = packed + (p * pairs + h) * 64;
            for (int lane = 0; lane < 16; lane++) {
                ptrdiff_t r = p * 16 + lane;
                for (int b = 0; b < 4; b++) {
                    ptrdiff_t c0 = h * 8 + b, c1 = c0 + 4;
                    int lo = (r < rows && c0 < columns) ? w[r * columns + c0] : 0;
                    int hi = (r < rows && c1 < columns) ? w[r * columns + c1] : 0;
                    to[lane * 4 + b] = (uint8_t)((lo + 8) | ((hi + 8) << 4));
                }
            }
        }
    }
}
