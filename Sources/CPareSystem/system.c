#include "CPareSystem.h"
#include <stdlib.h> /* defines __GLIBC__ on glibc */

#if defined(__GLIBC__)
#include <malloc.h>
#endif

void pare_release_freed_heap(void) {
#if defined(__GLIBC__)
    malloc_trim(0);
#endif
}
