#include "scratch.h"
#include <pthread.h>
#include <stdlib.h>

#define POOL_SLOTS 4
static pthread_mutex_t pool_lock = PTHREAD_MUTEX_INITIALIZER;
static float *pool_buffers[POOL_SLOTS];
static size_t pool_capacity[POOL_SLOTS];

float *pare_scratch_take(size_t floats, size_t *capacity) {
    pthread_mutex_lock(&pool_lock);
    int best = -1;
    for (int i = 0; i < POOL_SLOTS; i++)
        if (pool_buffers[i] && pool_capacity[i] >= floats && (best < 0 || pool_capacity[i] < pool_capacity[best])) best = i;
    if (best >= 0) {
        float *buffer = pool_buffers[best];
        *capacity = pool_capacity[best];
        pool_buffers[best] = NULL;
        pool_capacity[best] = 0;
        pthread_mutex_unlock(&pool_lock);
        return buffer;
    }
    pthread_mutex_unlock(&pool_lock);
    size_t bytes = (floats * sizeof(float) + 63) / 64 * 64;
    if (bytes == 0) bytes = 64;
    float *buffer = aligned_alloc(64, bytes);
    *capacity = buffer ? bytes / sizeof(float) : 0;
    return buffer;
}

void pare_scratch_give(float *buffer, size_t capacity) {
    if (!buffer) return;
    pthread_mutex_lock(&pool_lock);
    // An empty slot, else replace the smallest buffer if this one is larger.
    int slot = -1;
    for (int i = 0; i < POOL_SLOTS; i++)
        if (!pool_buffers[i]) { slot = i; break; }
    if (slot < 0) {
        int smallest = 0;
        for (int i = 1; i < POOL_SLOTS; i++)
            if (pool_capacity[i] < pool_capacity[smallest]) smallest = i;
        if (pool_capacity[smallest] < capacity) {
            float *old = pool_buffers[smallest];
            pool_buffers[smallest] = buffer;
            pool_capacity[smallest] = capacity;
            buffer = old;
        }
        pthread_mutex_unlock(&pool_lock);
        free(buffer);
        return;
    }
    pool_buffers[slot] = buffer;
    pool_capacity[slot] = capacity;
    pthread_mutex_unlock(&pool_lock);
}
