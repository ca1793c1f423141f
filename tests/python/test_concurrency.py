#!/usr/bin/env python3
"""Many handles at once: threads (concurrent.futures) and processes
(multiprocessing), each with its own tables, on kernels generated in
different layouts; every answer is checked against the fixture map."""
import concurrent.futures
import multiprocessing
import os
import random
import sys
import tempfile
import threading
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import pylib  # noqa: E402

ksyms = pylib.need_library()
FIX = pylib.read_map()
LAYOUTS = ['6.4', '6.2', '6.1', '5.10', '4.6', '7.0']
BASE = 0xffffffff81000000
SHORT = [s for s in FIX if len(s[2]) < 128]


def work(path, seed, rounds=5):
    """Open PATH, list it, look names and addresses up, symbolize: returns
    what went wrong (an empty list if nothing)."""
    want = SHORT if '/short-' in path else FIX
    r = random.Random(seed)
    bad = []
    names = dict((n, a) for a, _, n in reversed(want))
    text = sorted({a for a, _, _ in want if names['_stext'] <= a < names['_etext']})
    for _ in range(rounds):
        with ksyms.open(path, base=BASE) as k:
            got = [(s.addr, s.type, s.name) for s in k]
            if got != want:
                bad.append('%s: listing differs' % path)
            for a, t, n in r.sample(want, 50):
                if (a, t, n) not in [tuple(s)[:3] for s in k.lookup_name(n)]:
                    bad.append('%s: lookup_name(%s)' % (path, n))
            for a in r.sample(text[:-1], 50):
                m = k.lookup_addr(a + 1)
                if m is None or m.symbol.addr != a or m.offset != 1:
                    bad.append('%s: lookup_addr(%#x) = %s' % (path, a + 1, m))
            out = k.symbolize('[<%016x>]\n' % (text[10] + 3))
            if '+0x3/' not in out:
                bad.append('%s: symbolize: %r' % (path, out))
    return bad


def make_kernels(d):
    paths = []
    for layout in LAYOUTS:
        syms = SHORT if layout in ('5.10', '4.6') else FIX
        g = ksyms.generate(syms, layout=layout, base=BASE, elf=layout != '7.0')
        p = os.path.join(d, '%s-%s' % ('short' if syms is SHORT else 'full', layout))
        with open(p, 'wb') as f:
            f.write(g.data)
        paths.append(p)
    return paths


class Concurrency(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.TemporaryDirectory()
        cls.paths = make_kernels(cls.tmp.name)

    @classmethod
    def tearDownClass(cls):
        cls.tmp.cleanup()

    def test_threads(self):
        jobs = [(p, i) for i, p in enumerate(self.paths * 4)]
        with concurrent.futures.ThreadPoolExecutor(max_workers=8) as ex:
            results = list(ex.map(lambda j: work(*j), jobs))
        self.assertEqual([b for r in results for b in r], [])
        self.assertEqual(len(results), len(jobs))

    def test_threads_really_overlap(self):
        """The library calls release the GIL: threads are inside libksyms at the same time."""
        inside = []
        lock = threading.Lock()
        barrier = threading.Barrier(4)

        def one(p):
            barrier.wait()
            with ksyms.open(p, base=BASE) as k:
                with lock:
                    inside.append(len(k))
            return True

        with concurrent.futures.ThreadPoolExecutor(max_workers=4) as ex:
            self.assertTrue(all(ex.map(one, self.paths[:4])))
        self.assertEqual(len(inside), 4)

    def test_processes(self):
        for method in ('fork', 'spawn'):
            with self.subTest(start_method=method):
                ctx = multiprocessing.get_context(method)
                with ctx.Pool(2) as pool:
                    results = pool.starmap(work, [(p, i) for i, p in enumerate(self.paths)])
                self.assertEqual([b for r in results for b in r], [])

    def test_generate_in_threads(self):
        def gen(layout):
            g = ksyms.generate(SHORT, layout=layout, base=BASE, elf=True)
            with ksyms.open(g.data) as k:
                return [(s.addr, s.type, s.name) for s in k] == SHORT
        with concurrent.futures.ThreadPoolExecutor(max_workers=6) as ex:
            self.assertTrue(all(ex.map(gen, LAYOUTS * 2)))


if __name__ == '__main__':
    unittest.main(verbosity=2)
