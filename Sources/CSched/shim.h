#ifndef CSCHED_SHIM_H
#define CSCHED_SHIM_H
// A thread's CPU affinity. glibc declares sched_setaffinity and sched_getaffinity only with _GNU_SOURCE,
// which Swift's Glibc module is built without; these call the system calls themselves.
#include <sys/syscall.h>
#include <sys/types.h>
#include <unistd.h>

/// Sets the CPUs thread `tid` (0: the caller) may run on; 0 or -1 with errno.
static inline int csched_set_affinity(pid_t tid, size_t size, const void *mask) {
    return syscall(SYS_sched_setaffinity, tid, size, mask) < 0 ? -1 : 0;
}

/// Reads them into `mask`; 0 or -1 with errno.
static inline int csched_get_affinity(pid_t tid, size_t size, void *mask) {
    return syscall(SYS_sched_getaffinity, tid, size, mask) < 0 ? -1 : 0;
}
#endif
