// The SIGBUS guard for memory-mapped input files (see CPareSystem.h).
//
// Why not sigsetjmp/siglongjmp: readers touch mapped bytes from arbitrary Swift code (CRC loops,
// the runtime's kernels), and jumping out of Swift frames skips their cleanup. Instead the handler
// repairs the fault — private zero pages replace the pages past the file's new end — flags the
// mapping, and returns; the reader finishes with zeros and then throws when it checks the flag.
// mmap is a plain system call on Linux, safe to make from a signal handler in practice.
#define _GNU_SOURCE
#include "CPareSystem.h"
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#define PARE_MAPPING_SLOTS 4096

struct pare_mapping_slot {
    _Atomic uintptr_t base; // 0: free
    _Atomic size_t length;
    _Atomic int faulted;
};

static struct pare_mapping_slot slots[PARE_MAPPING_SLOTS];
static struct sigaction previous;
static pthread_once_t install_once = PTHREAD_ONCE_INIT;

static void forward(int signal, siginfo_t *info, void *context) {
    if (previous.sa_flags & SA_SIGINFO) {
        if (previous.sa_sigaction) { previous.sa_sigaction(signal, info, context); return; }
    } else if (previous.sa_handler != SIG_DFL && previous.sa_handler != SIG_IGN && previous.sa_handler) {
        previous.sa_handler(signal);
        return;
    }
    // Default action: restore it and return; the faulting instruction runs again and the process
    // dies of SIGBUS as it would have without the guard.
    struct sigaction fallback;
    memset(&fallback, 0, sizeof fallback);
    fallback.sa_handler = SIG_DFL;
    sigaction(SIGBUS, &fallback, NULL);
}

static void handle(int signal, siginfo_t *info, void *context) {
    uintptr_t address = (uintptr_t)info->si_addr;
    for (int i = 0; i < PARE_MAPPING_SLOTS; i++) {
        uintptr_t base = atomic_load(&slots[i].base);
        if (base == 0) continue;
        size_t length = atomic_load(&slots[i].length);
        if (address < base || address - base >= length) continue;
        // Everything from the faulting page to the end of the mapping lies past the file's new end
        // too: replace it all at once, so a reader walking the rest faults no more.
        uintptr_t page = (uintptr_t)sysconf(_SC_PAGESIZE);
        uintptr_t start = address & ~(page - 1);
        size_t span = (size_t)(base + length - start + page - 1) & ~(page - 1);
        if (mmap((void *)start, span, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0) == MAP_FAILED) break;
        atomic_store(&slots[i].faulted, 1);
        return;
    }
    forward(signal, info, context);
}

static void install(void) {
    struct sigaction action;
    memset(&action, 0, sizeof action);
    action.sa_sigaction = handle;
    action.sa_flags = SA_SIGINFO | SA_NODEFER;
    sigemptyset(&action.sa_mask);
    sigaction(SIGBUS, &action, &previous);
}

int pare_mapping_register(const void *base, size_t length) {
    if (base == NULL || length == 0) return -1;
    pthread_once(&install_once, install);
    for (int i = 0; i < PARE_MAPPING_SLOTS; i++) {
        uintptr_t expected = 0;
        // Claim the slot with a placeholder so the handler never sees a half-written entry.
        if (atomic_compare_exchange_strong(&slots[i].base, &expected, (uintptr_t)1)) {
            atomic_store(&slots[i].faulted, 0);
            atomic_store(&slots[i].length, length);
            atomic_store(&slots[i].base, (uintptr_t)base);
            return i;
        }
    }
    return -1;
}

void pare_mapping_unregister(int slot) {
    if (slot < 0 || slot >= PARE_MAPPING_SLOTS) return;
    atomic_store(&slots[slot].length, 0);
    atomic_store(&slots[slot].base, 0);
}

int pare_mapping_faulted(int slot) {
    if (slot < 0 || slot >= PARE_MAPPING_SLOTS) return 0;
    return atomic_load(&slots[slot].faulted);
}
