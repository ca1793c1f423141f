"""Shared set-up of the Python binding's tests: the package and library of
the build tree (tests/python/meson.build sets PYTHONPATH and
KSYMS_LIBRARY), the fixture map, and an ASan build's runtime."""
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.normpath(os.path.join(HERE, '..', '..'))
FIXTURE = os.path.join(ROOT, 'tests', 'data', 'gen-fixture.map')
sys.path.insert(0, os.path.join(ROOT, 'tests', 'corpus'))


def need_library():
    """Import ksyms, or end the test: a sanitizer build whose runtime meson
    could not find is a skip that says so, never a pass."""
    missing = os.environ.get('KSYMS_SANITIZER_RUNTIME_MISSING')
    if missing:
        print('SKIPPED: this is a sanitizer build and its runtime (%s) was not found, so a Python process '
              'cannot load libksyms' % missing)
        sys.exit(77)
    if not os.environ.get('KSYMS_LIBRARY'):
        print('FAIL: KSYMS_LIBRARY is not set (run through meson test, which points it at the build tree)')
        sys.exit(1)
    import ksyms
    return ksyms


def read_map(path=FIXTURE, bits=64):
    """[(addr, type, name)] of a System.map-style file, in file order."""
    out = []
    mask = (1 << bits) - 1
    with open(path, 'rb') as f:
        for line in f:
            p = line.split()
            if len(p) >= 3:
                out.append((int(p[0], 16) & mask, p[1].decode(), p[2].decode('utf-8', 'surrogateescape')))
    return out


def map_text(syms, bits=64):
    w = bits // 4
    return ''.join('%0*x %s %s\n' % (w, a, t, n) for a, t, n in syms).encode('utf-8', 'surrogateescape')
