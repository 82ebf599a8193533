// Packing buffers shared by the kernels of every instruction set (scratch.c): one 64-byte aligned
// buffer kept per thread (the largest it gave back) plus a few shared ones handed to whichever
// thread asks, so repeated products reuse pages the process already touched (a fresh allocation
// page-faults on first touch), each core mostly reuses lines already in its own cache, and a thread
// that exits hands its buffer to the shared slots.
#ifndef PARE_SCRATCH_H
#define PARE_SCRATCH_H
#include <stddef.h>

/// A buffer of at least `floats` floats (contents undefined), or NULL when allocation fails.
/// `*capacity` receives its size for pare_scratch_give.
float *pare_scratch_take(size_t floats, size_t *capacity);
/// Returns a buffer from pare_scratch_take; the pool keeps the largest few, frees the rest.
void pare_scratch_give(float *buffer, size_t capacity);
#endif
