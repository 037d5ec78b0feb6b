"""Resident memory of a running executable by ELF section, for Benchmarks/shipped.sh.

Usage: resident_sections.py PID EXECUTABLE. Prints "section size_kib resident_kib" for the sections of
EXECUTABLE loaded at run time (from `readelf -SW`), largest resident first, using the present bit of
/proc/PID/pagemap. It tells what of a statically linked executable's RSS is code (.text), relocations,
symbol tables or read-only data (ICU's tables sit in .rodata/.data).
"""

import struct
import subprocess
import sys

SHF_ALLOC = "A"


def sections(executable):
    out = subprocess.run(["readelf", "-SW", executable], check=True, capture_output=True, text=True).stdout
    for line in out.splitlines():
        line = line.replace("[ ", "[")
        fields = line.split()
        if len(fields) < 8 or not fields[0].startswith("[") or not fields[1].startswith("."):
            continue
        name, address, size, flags = fields[1], int(fields[3], 16), int(fields[5], 16), fields[7]
        if address and size and SHF_ALLOC in flags:
            yield name, address, size


def main():
    pid, executable = int(sys.argv[1]), sys.argv[2]
    with open(f"/proc/{pid}/maps") as maps:
        base = min(int(line.split("-")[0], 16) for line in maps if line.rstrip().endswith(executable.split("/")[-1]))
    rows = []
    with open(f"/proc/{pid}/pagemap", "rb") as pagemap:
        for name, address, size in sections(executable):
            resident = 0
            page = (base + address) // 4096
            while page * 4096 < base + address + size:
                pagemap.seek(page * 8)
                if struct.unpack("Q", pagemap.read(8))[0] >> 63:
                    resident += 4
                page += 1
            rows.append((resident, size // 1024, name))
    for resident, size, name in sorted(rows, reverse=True):
        print(name, size, resident)


if __name__ == "__main__":
    main()
