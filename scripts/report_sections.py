#!/usr/bin/env python3
"""Writes sections into a markdown report (BENCHMARKS.md) without losing the others.

    report_sections.py [--keep-header] REPORT HEADER_FILE NAME=SECTION_FILE ...

The report is the header followed by sections, each between `<!-- section: NAME -->` and
`<!-- /section: NAME -->`. The named sections are replaced in place (or appended when new); every
other section already in the report is kept as it was, so `bash scripts/bench.sh orders` or
`make drill` refreshes its own figures and leaves the rest of the record alone. The header is
HEADER_FILE; with --keep-header, the report's own header (what precedes its first section) stays,
and HEADER_FILE only starts a report that has none (the drill keeps the header `make bench` wrote).
"""
import re
import sys
from pathlib import Path

SECTION = re.compile(r"<!-- section: (\S+) -->\n.*?<!-- /section: \1 -->\n", re.S)


def main() -> None:
    args = sys.argv[1:]
    keep_header = bool(args) and args[0] == "--keep-header"
    if keep_header:
        args = args[1:]
    report, header_file, *pairs = args
    fresh = {}
    for pair in pairs:
        name, _, path = pair.partition("=")
        fresh[name] = Path(path).read_text().rstrip("\n") + "\n"

    path = Path(report)
    kept = path.read_text() if path.exists() else ""
    sections = [(m.group(1), m.group(0)) for m in SECTION.finditer(kept)]
    names = [name for name, _ in sections]
    for name in fresh:
        if name not in names:
            sections.append((name, ""))

    first = SECTION.search(kept)
    header = kept[: first.start()] if first else kept
    if not (keep_header and header.strip()):
        header = Path(header_file).read_text()
    parts = [header.rstrip("\n") + "\n"]
    for name, text in sections:
        if name in fresh:
            text = f"<!-- section: {name} -->\n{fresh[name]}<!-- /section: {name} -->\n"
        parts.append("\n" + text)
    path.write_text("".join(parts))


if __name__ == "__main__":
    main()
