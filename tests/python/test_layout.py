#!/usr/bin/env python3
"""test_layout.py CC... : every struct the binding mirrors (python/ksyms/_native.py)
has the C header's size and every field the C header's offset.  A C
program is generated from the mirrors, compiled with the project's
compiler against include/ksyms.h, and run; a field added to the header
and not to the mirror changes the size (or a later offset) and fails here."""
import ctypes
import os
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import pylib  # noqa: E402

ksyms = pylib.need_library()
from ksyms import _native  # noqa: E402


def main():
    cc = sys.argv[1:] or ['cc']
    lines = ['#include <stddef.h>', '#include <stdio.h>', '#include <ksyms.h>', 'int main(void) {']
    want = []
    for cname, cls in _native.STRUCTS.items():
        lines.append('\tprintf("%%s %%zu\\n", "%s", sizeof(struct %s));' % (cname, cname))
        want.append('%s %d' % (cname, ctypes.sizeof(cls)))
        for field, _ in cls._fields_:
            lines.append('\tprintf("%%s.%%s %%zu\\n", "%s", "%s", offsetof(struct %s, %s));'
                         % (cname, field, cname, field))
            want.append('%s.%s %d' % (cname, field, getattr(cls, field).offset))
    lines += ['\treturn 0;', '}']
    with tempfile.TemporaryDirectory() as t:
        src, exe = os.path.join(t, 'layout.c'), os.path.join(t, 'layout')
        with open(src, 'w') as f:
            f.write('\n'.join(lines) + '\n')
        r = subprocess.run(cc + ['-std=c11', '-I', os.path.join(pylib.ROOT, 'include'), '-o', exe, src],
                           stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        if r.returncode:
            # a field the mirror has and the header does not: offsetof fails to compile
            print('FAIL: the mirrors of python/ksyms/_native.py do not compile against ksyms.h:')
            print(r.stdout.decode(errors='replace')[-3000:])
            return 1
        got = subprocess.run([exe], stdout=subprocess.PIPE, check=True).stdout.decode().split('\n')[:-1]
    bad = [(w, g) for w, g in zip(want, got) if w != g]
    for w, g in bad:
        print('FAIL: python %s, C %s' % (w, g.split()[-1]))
    print('%d structs, %d sizes and offsets compared, %d differ' % (len(_native.STRUCTS), len(want), len(bad)))
    if bad:
        print('update python/ksyms/_native.py to match include/ksyms.h')
    return 1 if bad or len(got) != len(want) else 0


if __name__ == '__main__':
    sys.exit(main())
