// CPareSystem: C library calls Swift's Glibc module does not expose.
#ifndef CPARESYSTEM_H
#define CPARESYSTEM_H

/// Returns freed heap memory to the system (glibc's malloc_trim); does nothing on other C libraries.
void pare_release_freed_heap(void);

#endif
