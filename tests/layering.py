#!/usr/bin/env python3
"""layering.py LIBKSYMS.a [NM]

The library's layering, checked on what the compiler produced: every
object file in the static libksyms (one per source file) is read with nm,
each undefined symbol is matched to the object that defines it,
and the calls between folders must follow the house of lib/README.md:

    entry (lib/*.c)
      -> source, symbolize, exports, verify, gen, config, dmesg, btf, elfout
      -> kallsyms
      -> input, table
      -> kernel, decompress
      -> core

A folder may call its own files and the folders below it, never one above
or beside it on the same floor; and no two files may call each other
(within a folder, the face calls its helpers, never the reverse).  Calls
that the compiler inlined are not seen, which is why the folders' includes
are checked too: a file may include only headers of the folders it may
call.  TAP output.
"""
import collections
import glob
import os
import re
import subprocess
import sys

# what each folder may call, besides itself (transitively closed below)
ALLOWED = {
    'core': [],
    'decompress': ['core'],
    'kernel': ['core'],
    'input': ['kernel', 'decompress'],
    'table': ['core'],
    'kallsyms': ['kernel', 'table'],
    'source': ['kernel', 'table'],
    'symbolize': ['table'],
    'exports': ['kernel', 'table'],
    'verify': ['kernel', 'table'],
    'gen': ['kernel', 'kallsyms'],
    'config': ['input', 'decompress', 'kernel'],
    'btf': ['kernel', 'table'],
    'dmesg': ['input', 'kernel', 'table'],
    'elfout': ['kernel', 'table'],
    'entry': ['source', 'symbolize', 'exports', 'verify', 'gen', 'config', 'dmesg', 'btf', 'elfout', 'kallsyms',
              'input', 'table'],
}


def closure():
    out = {}
    for f in ALLOWED:
        seen, todo = set(), list(ALLOWED[f])
        while todo:
            x = todo.pop()
            if x not in seen:
                seen.add(x)
                todo.extend(ALLOWED[x])
        seen.add('core')
        out[f] = seen
    return out


def folder_of(src):
    """'kallsyms/locate.c' -> 'kallsyms'; 'pipeline.c' -> 'entry'."""
    return src.split('/')[0] if '/' in src else 'entry'


def source_of(obj):
    """meson names objects after their path with '/' as '_': map back by
    the files that exist under lib/."""
    base = os.path.basename(obj)[:-2]
    return SOURCES.get(base)


def main():
    archive = sys.argv[1]
    nm = sys.argv[2] if len(sys.argv) > 2 else 'nm'
    libdir = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'lib')
    global SOURCES
    SOURCES = {}
    for path in glob.glob(os.path.join(libdir, '**', '*.c'), recursive=True):
        rel = os.path.relpath(path, libdir)
        SOURCES[rel.replace('/', '_')] = rel
    defs, uses = {}, collections.defaultdict(set)
    out = subprocess.run([nm, archive], stdout=subprocess.PIPE, check=True).stdout.decode()
    src = None
    for line in out.splitlines():
        if line.endswith('.o:'):
            src = source_of(line[:-1])
            continue
        p = line.split()
        if not src:
            continue
        if len(p) == 3 and p[1] in 'TDRBW':
            defs[p[2]] = src
        elif len(p) == 2 and p[0] == 'U':
            uses[src].add(p[1])
    allowed = closure()
    n = 0
    bad = 0

    def report(ok, desc, detail=()):
        nonlocal n, bad
        n += 1
        print('%s %d - %s' % ('ok' if ok else 'not ok', n, desc))
        for d in detail:
            print('#   ' + d)
        bad += not ok

    report(len(defs) > 100 and len(uses) > 20, 'read %d objects, %d definitions' % (len(uses), len(defs)))
    calls = collections.defaultdict(set)
    for src, us in uses.items():
        for u in us:
            d = defs.get(u)
            if d and d != src:
                calls[src].add((d, u))
    # calls between folders
    wrong = []
    for src in sorted(calls):
        f = folder_of(src)
        for d, u in sorted(calls[src]):
            g = folder_of(d)
            if g != f and g not in allowed[f]:
                wrong.append('%s calls %s in %s (%s may call %s)' % (src, u, d, f, ', '.join(sorted(allowed[f]))))
    report(not wrong, 'every call goes down the house', wrong)
    # no two files call each other
    circles = sorted({' <-> '.join(sorted((s, d))) for s in calls for d, _ in calls[s]
                      if any(x == s for x, _ in calls.get(d, ()))})
    report(not circles, 'no two files call each other', circles)
    # includes, which see what inlining hides
    wrong = []
    for rel in sorted(set(SOURCES.values()) | {os.path.relpath(h, libdir) for h in
                                               glob.glob(os.path.join(libdir, '**', '*.h'), recursive=True)}):
        f = folder_of(rel)
        if f not in allowed:
            continue
        with open(os.path.join(libdir, rel)) as fh:
            for m in re.finditer(r'^#include "([^"]+)"', fh.read(), re.M):
                inc = m.group(1)
                if '/' not in inc:
                    continue  # own folder, or ksyms.h
                g = inc.split('/')[0]
                if g != f and g not in allowed[f]:
                    wrong.append('%s includes %s' % (rel, inc))
    report(not wrong, 'every include goes down the house', wrong)
    print('1..%d' % n)
    return 1 if bad else 0


if __name__ == '__main__':
    sys.exit(main())
