// A small pool of worker threads that spin briefly between jobs.
//
// Why not libdispatch: `DispatchQueue.concurrentPerform` wakes its worker threads through the
// kernel for every call, and on these VMs a wake-up takes tens of microseconds. Measured (2 cores,
// two parts per call): parts of 70 µs ran 0.81× of one thread, parts of 290 µs only 1.5× — a layer
// of LeNet at batch 64 is such a part, so `--threads 2` gained nothing. Workers that spin on a
// shared word for a while after each job start the next part within a few hundred nanoseconds
// (same measurement: 1.99× at 70 µs); after `PARE_POOL_SPIN_NS` without work they sleep on a
// condition variable so an idle process uses no CPU. The caller yields the CPU every few
// microseconds while it waits for the last parts, in case a worker shares its CPU. (Workers do not
// yield while they spin: measured, a yielding worker often let the caller run both parts itself.)
//
// One word holds the job's generation (high bits) and its next unclaimed part (low bits). A
// thread claims a part with a compare-and-swap on that word, so a worker that wakes late for a
// job that has already finished sees a newer generation (or no parts left) and can never claim a
// part of the next job with the old job's function. Each job takes two generations: a closed one
// (no part to claim) while its description is written, then the open one.
#define _GNU_SOURCE
#include "CPareSystem.h"

#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdint.h>
#include <time.h>
#include <unistd.h>
#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>
#define PARE_PAUSE() _mm_pause()
#else
#define PARE_PAUSE() ((void)0)
#endif

#define PART_BITS 24
#define PART_MASK ((UINT64_C(1) << PART_BITS) - 1)
#define MAX_WORKERS 63
#define PARE_POOL_SPIN_NS 2000000  // 2 ms: longer than the serial steps between a model's layers

static _Atomic uint64_t job_word;          // generation << PART_BITS | next part
static _Atomic ptrdiff_t parts_done;
static _Atomic ptrdiff_t job_parts;        // written before the generation is published
static pare_part_function job_function;
static void *job_context;

static pthread_mutex_t job_lock = PTHREAD_MUTEX_INITIALIZER;    // one job at a time
static pthread_mutex_t sleep_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t wake = PTHREAD_COND_INITIALIZER;
static _Atomic int sleepers;
static int workers;                        // started so far (guarded by job_lock)

static uint64_t now_ns(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (uint64_t)t.tv_sec * 1000000000u + (uint64_t)t.tv_nsec;
}

/// Claims and runs parts of generation `generation` until none is left.
static void run_parts(uint64_t generation) {
    uint64_t word = atomic_load_explicit(&job_word, memory_order_acquire);
    for (;;) {
        if ((word >> PART_BITS) != generation) return;
        ptrdiff_t part = (ptrdiff_t)(word & PART_MASK);
        // Acquire: a count written after a later job's closed word comes with that word (the CAS fails).
        if (part >= atomic_load_explicit(&job_parts, memory_order_acquire)) return;
        if (atomic_compare_exchange_weak_explicit(&job_word, &word, word + 1, memory_order_acq_rel, memory_order_acquire)) {
            // The job cannot finish before this part does, so its function and context stay valid.
            job_function(job_context, part);
            atomic_fetch_add_explicit(&parts_done, 1, memory_order_release);
            word = atomic_load_explicit(&job_word, memory_order_acquire);
        }
    }
}

static void *worker_main(void *unused) {
    (void)unused;
    uint64_t seen = atomic_load_explicit(&job_word, memory_order_acquire) >> PART_BITS;
    for (;;) {
        uint64_t generation = atomic_load_explicit(&job_word, memory_order_acquire) >> PART_BITS;
        if (generation == seen) {
            uint64_t start = now_ns();
            for (unsigned spins = 1;; spins++) {
                PARE_PAUSE();
                generation = atomic_load_explicit(&job_word, memory_order_acquire) >> PART_BITS;
                if (generation != seen) break;
                if ((spins & 255) == 0 && now_ns() - start > PARE_POOL_SPIN_NS) {
                    pthread_mutex_lock(&sleep_lock);
                    atomic_fetch_add(&sleepers, 1);  // seq_cst: pairs with the publisher's load
                    while ((generation = atomic_load(&job_word) >> PART_BITS) == seen) pthread_cond_wait(&wake, &sleep_lock);
                    atomic_fetch_sub(&sleepers, 1);
                    pthread_mutex_unlock(&sleep_lock);
                    break;
                }
            }
        }
        seen = generation;
        run_parts(generation);
    }
    return NULL;
}

/// Online CPUs, capped; read once (glibc's sysconf reads a /sys file each time, ~20 µs here).
static int online_cpus(void) {
    static _Atomic int cached;
    int known = atomic_load_explicit(&cached, memory_order_relaxed);
    if (known) return known;
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    known = n < 1 ? 1 : (n > MAX_WORKERS + 1 ? MAX_WORKERS + 1 : (int)n);
    atomic_store_explicit(&cached, known, memory_order_relaxed);
    return known;
}

void pare_pool_run(ptrdiff_t parts, pare_part_function function, void *context) {
    if (parts <= 0) return;
    // A single part, a part that itself asks for parts, another thread's job in flight, or more
    // parts than the word can count: run here, in order (the parts are independent, so the
    // results are the same).
    if (parts == 1 || parts >= (ptrdiff_t)PART_MASK || pthread_mutex_trylock(&job_lock) != 0) {
        for (ptrdiff_t p = 0; p < parts; p++) function(context, p);
        return;
    }
    // More threads than cores would only take turns; extra parts are claimed by the threads there are.
    int wanted = (int)(parts - 1 < online_cpus() - 1 ? parts - 1 : online_cpus() - 1);
    while (workers < wanted) {
        pthread_t thread;
        pthread_attr_t attributes;
        pthread_attr_init(&attributes);
        pthread_attr_setdetachstate(&attributes, PTHREAD_CREATE_DETACHED);
        int failed = pthread_create(&thread, &attributes, worker_main, NULL);
        pthread_attr_destroy(&attributes);
        if (failed) break;  // fewer helpers: the calling thread claims the rest
        workers++;
    }
    // Close the previous job's word first: a worker that read it (all parts claimed) and is about to
    // compare its part number with `job_parts` must not find the next job's larger count there and
    // claim a part of the previous generation that the next job then runs again (seen under load:
    // one part ran twice). A closed word offers no part whatever `job_parts` holds.
    uint64_t generation = (atomic_load_explicit(&job_word, memory_order_relaxed) >> PART_BITS) + 1;
    atomic_store(&job_word, generation << PART_BITS | PART_MASK);
    atomic_store_explicit(&job_parts, parts, memory_order_release);
    job_function = function;
    job_context = context;
    atomic_store_explicit(&parts_done, 0, memory_order_relaxed);
    generation += 1;
    atomic_store(&job_word, generation << PART_BITS);  // seq_cst: pairs with a worker's sleepers increment
    if (atomic_load(&sleepers) > 0) {
        pthread_mutex_lock(&sleep_lock);
        pthread_cond_broadcast(&wake);
        pthread_mutex_unlock(&sleep_lock);
    }
    run_parts(generation);
    for (unsigned spins = 1; atomic_load_explicit(&parts_done, memory_order_acquire) < parts; spins++) {
        PARE_PAUSE();
        if ((spins & 255) == 0) sched_yield();
    }
    pthread_mutex_unlock(&job_lock);
}

/// A job whose parts meet before they run (see `pare_pool_run_spread`).
typedef struct {
    pare_part_function function;
    void *context;
    _Atomic ptrdiff_t arrived;
    ptrdiff_t expected;  // parts that can run at once: min(parts, online CPUs)
    uint64_t deadline;
} spread_job;

static void spread_part(void *raw, ptrdiff_t part) {
    spread_job *job = raw;
    atomic_fetch_add_explicit(&job->arrived, 1, memory_order_acq_rel);
    // Parts claimed after the first `expected` find the count reached and go straight on.
    for (unsigned spins = 1; atomic_load_explicit(&job->arrived, memory_order_acquire) < job->expected; spins++) {
        PARE_PAUSE();
        if ((spins & 255) == 0 && now_ns() > job->deadline) break;  // a thread that never came
    }
    job->function(job->context, part);
}

void pare_pool_run_spread(ptrdiff_t parts, pare_part_function function, void *context, uint64_t timeout_ns) {
    if (parts <= 0) return;
    ptrdiff_t cpus = online_cpus();
    spread_job job = {function, context, 0, parts < cpus ? parts : cpus, now_ns() + timeout_ns};
    pare_pool_run(parts, spread_part, &job);
}
