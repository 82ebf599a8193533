// CPareSystem: C library calls Swift's Glibc module does not expose, the SIGBUS guard for
// memory-mapped files, and the runtime's worker threads.
#ifndef CPARESYSTEM_H
#define CPARESYSTEM_H

#include <stddef.h>
#include <stdint.h>

/// Returns freed heap memory to the system (glibc's malloc_trim); does nothing on other C libraries.
void pare_release_freed_heap(void);

/// Registers the read-only mapping [base, base + length) with the SIGBUS guard (installing the
/// handler on first use) and returns its slot, or -1 when every slot is taken (the mapping is then
/// unguarded). A fault on a page of a registered mapping — the file was truncated by another
/// process while mapped — maps zero pages from there to the mapping's end and marks the slot, so the reader
/// sees zeros instead of dying, and `pare_mapping_faulted` tells it to discard what it read.
/// A SIGBUS anywhere else goes to the previous handler (by default: the process dies as before).
int pare_mapping_register(const void *base, size_t length);

/// Forgets slot `slot` (call before unmapping). Negative slots are ignored.
void pare_mapping_unregister(int slot);

/// 1 if a page of slot `slot`'s mapping has faulted since it was registered, else 0.
int pare_mapping_faulted(int slot);

/// A part of a job for `pare_pool_run`: `part` is in [0, parts).
typedef void (*pare_part_function)(void *context, ptrdiff_t part);

/// Runs `function(context, 0)` … `function(context, parts - 1)` on the calling thread and the
/// process's worker threads (started on first use, at most one fewer than the online CPUs; they
/// spin for 2 ms after a job, then sleep) and returns when all parts have run. Parts are claimed
/// in order, each exactly once; they must be independent. A call made while another job runs
/// (from a part, or from another thread) runs its parts on its own thread, in order.
void pare_pool_run(ptrdiff_t parts, pare_part_function function, void *context);

/// `pare_pool_run`, except that each part first waits (spinning, at most `timeout_ns`) until as many
/// parts as there are threads to run them have been claimed, so the first parts run on separate
/// threads: for warm-ups that must grow every thread's own buffers (dynamic claiming alone let the
/// calling thread run every part while a new worker was still starting).
void pare_pool_run_spread(ptrdiff_t parts, pare_part_function function, void *context, uint64_t timeout_ns);

#endif
