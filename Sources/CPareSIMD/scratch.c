#include "scratch.h"
#include <pthread.h>
#include <stdlib.h>

#define POOL_SLOTS 4
static pthread_mutex_t pool_lock = PTHREAD_MUTEX_INITIALIZER;
static float *pool_buffers[POOL_SLOTS];
static size_t pool_capacity[POOL_SLOTS];
static void pare_scratch_give_shared(float *buffer, size_t capacity);

// Each thread first keeps one buffer of its own: with two threads taking turns at the shared slots,
// a thread often got the buffer the other had just packed into, and writing lines that sit in the
// other core's cache made sgemm halves on two threads slower than the whole on one (measured, 128 ×
// 300 × 784: 0.89× of one thread with shared slots only, 1.56× with a buffer per thread).
typedef struct { float *buffer; size_t capacity; } own_slot;
static pthread_key_t own_key;
static pthread_once_t own_once = PTHREAD_ONCE_INIT;

static void own_release(void *slot) {
    own_slot *own = slot;
    pare_scratch_give_shared(own->buffer, own->capacity);
    free(own);
}
static void own_init(void) { pthread_key_create(&own_key, own_release); }

/// The calling thread's slot, or NULL when it cannot have one (allocation failed).
static own_slot *own(void) {
    pthread_once(&own_once, own_init);
    own_slot *slot = pthread_getspecific(own_key);
    if (!slot && (slot = calloc(1, sizeof *slot)) && pthread_setspecific(own_key, slot) != 0) {
        free(slot);
        slot = NULL;
    }
    return slot;
}

float *pare_scratch_take(size_t floats, size_t *capacity) {
    own_slot *mine = own();
    if (mine && mine->buffer && mine->capacity >= floats) {
        float *buffer = mine->buffer;
        *capacity = mine->capacity;
        mine->buffer = NULL;
        mine->capacity = 0;
        return buffer;
    }
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
    own_slot *mine = own();
    if (mine && (!mine->buffer || mine->capacity < capacity)) {
        // Keep the larger one here; the other goes to the shared slots.
        float *spare = mine->buffer;
        size_t spareCapacity = mine->capacity;
        mine->buffer = buffer;
        mine->capacity = capacity;
        buffer = spare;
        capacity = spareCapacity;
    }
    pare_scratch_give_shared(buffer, capacity);
}

static void pare_scratch_give_shared(float *buffer, size_t capacity) {
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
