#!/usr/bin/env python3
"""strip.py MAP LOG: print LOG as a kernel without kallsyms would have printed it.

Every "name+0xoff/0xsize" becomes "0x" + the address as 16 (or 8) hex digits,
which is what %pS prints when CONFIG_KALLSYMS is off.  The address is the
symbol's address in MAP (a System.map or a /proc/kallsyms read with nokaslr)
plus the offset plus the KASLR slide taken from the log's "Kernel Offset:"
line.  Among symbols sharing a name, the one whose size (distance to the
next higher address, as the kernel computes it) matches the logged size is
used.  Names with a [module] and names MAP lacks are left as they are, and
counted on stderr.  Independent of ksyms on purpose: it makes the tests'
input.
"""
import bisect
import re
import sys

NAMED = re.compile(r'(?<![A-Za-z0-9_.$])([A-Za-z_.$][A-Za-z0-9_.$]*)\+0x([0-9a-f]+)/0x([0-9a-f]+)( \[[^\]]+\])?')
OFFSET = re.compile(r'Kernel Offset: 0x([0-9a-f]+) from 0x([0-9a-f]+)')


def read_map(path):
    syms = []
    for line in open(path, encoding='latin-1'):
        f = line.split()
        if len(f) < 3 or len(f) > 3:
            continue  # module lines have a 4th field
        if f[1] in 'AaUuNn':
            continue  # never resolves an address
        syms.append((int(f[0], 16), f[2]))
    addrs = sorted({a for a, _ in syms})
    by_name = {}
    for a, n in syms:
        i = bisect.bisect_right(addrs, a)
        size = addrs[i] - a if i < len(addrs) else None
        by_name.setdefault(n, []).append((a, size))
    return by_name, max(addrs)


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    by_name, top = read_map(sys.argv[1])
    text = open(sys.argv[2], encoding='latin-1').read()
    width = 16 if top > 0xffffffff else 8
    slide = 0
    m = OFFSET.search(text)
    if m:
        link_text = by_name.get('_text', [(int(m.group(2), 16), 0)])[0][0]
        slide = int(m.group(2), 16) + int(m.group(1), 16) - link_text
    mask = (1 << (4 * width)) - 1
    done = kept = 0

    def strip(m):
        nonlocal done, kept
        name, off, size, mod = m.group(1), int(m.group(2), 16), int(m.group(3), 16), m.group(4)
        cands = [a for a, s in by_name.get(name, []) if s == size]
        if mod or not cands:
            kept += 1
            return m.group(0)
        done += 1
        return '0x%0*x' % (width, (cands[0] + off + slide) & mask)

    out = []
    for line in text.splitlines(keepends=True):
        out.append(line if OFFSET.search(line) else NAMED.sub(strip, line))
    sys.stdout.write(''.join(out))
    print('strip.py: slide 0x%x, %d names stripped, %d kept' % (slide & mask, done, kept), file=sys.stderr)


main()
