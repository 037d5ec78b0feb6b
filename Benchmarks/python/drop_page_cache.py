"""Drops files from the page cache, so that the worker started next reads its code from disk.

Usage: drop_page_cache.py [--python] PATH... A directory stands for every shared object below it; --python adds the
interpreter running this script: its executable, libpython, its extension modules and its environment's packages.

Why the shipped benchmark does this before it starts each worker: a file written moments before (order-worker by the
linker, the SDK's native library by pip) sits in the page cache in large folios, and Linux 6.18 maps a whole folio on
the first touch of any of its pages, so the resident size of the same binary moved by ~3 MiB with how recently it
was written. Read from disk, both workers map their code as fault-around maps it on any machine. Pages that another
running process has mapped (shared system libraries) stay cached.
"""

import os
import sys
import sysconfig


def files(paths):
    for path in paths:
        if os.path.isdir(path):
            for folder, _, names in os.walk(path):
                yield from (os.path.join(folder, name) for name in names if ".so" in name)
        else:
            yield path


def interpreter():
    library = os.path.join(sysconfig.get_config_var("LIBDIR") or "", sysconfig.get_config_var("LDLIBRARY") or "")
    return [os.path.realpath(sys.executable), library, sysconfig.get_config_var("DESTSHARED"), sys.prefix]


def main():
    paths = sys.argv[1:]
    if paths[:1] == ["--python"]:
        paths = paths[1:] + interpreter()
    for path in files(p for p in paths if p and os.path.exists(p)):
        fd = os.open(path, os.O_RDONLY)
        try:
            os.fdatasync(fd)  # dirty pages are not dropped
            os.posix_fadvise(fd, 0, 0, os.POSIX_FADV_DONTNEED)
        finally:
            os.close(fd)


if __name__ == "__main__":
    main()
