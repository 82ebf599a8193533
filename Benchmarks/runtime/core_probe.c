// What two cores does the VM give right now? Runs THREADS threads, each doing the same fixed amount of
// register-only vector arithmetic (twelve independent multiply-add chains: no memory traffic, no
// sharing), and prints the wall seconds. `2 × seconds(1) / seconds(2)` is the machine's own scaling
// at that moment: 2.0 when both virtual CPUs run on cores of their own, less when the host shares
// one core between them or stalls one. threads.sh runs it beside every 1-/2-thread pair of `pare`
// so a ratio can be read against what the machine gave in the same seconds.
//
//   cc -O2 -march=native -pthread core_probe.c -o core_probe && ./core_probe THREADS [MILLION_STEPS]
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

typedef float vec8 __attribute__((vector_size(32)));

static long steps;

static double now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

static void *work(void *out) {
    vec8 chain[12];
    for (int j = 0; j < 12; j++) chain[j] = (vec8){0} + (float)j;
    const vec8 m = (vec8){0} + 0.999999f, b = (vec8){0} + 1e-7f;
    for (long i = 0; i < steps; i++) {
        for (int j = 0; j < 12; j++) chain[j] = chain[j] * m + b;
    }
    float sum = 0;
    for (int j = 0; j < 12; j++) sum += chain[j][0];
    *(volatile float *)out = sum;  // keeps the loop
    return NULL;
}

int main(int argc, char **argv) {
    int threads = argc > 1 ? atoi(argv[1]) : 1;
    steps = (argc > 2 ? atol(argv[2]) : 10) * 1000000L;
    if (threads < 1 || threads > 64 || steps < 1) return 2;
    pthread_t id[64];
    float out[64];
    double start = now();
    for (int t = 0; t < threads; t++) pthread_create(&id[t], NULL, work, &out[t]);
    for (int t = 0; t < threads; t++) pthread_join(id[t], NULL);
    printf("%.6f\n", now() - start);
    return 0;
}
