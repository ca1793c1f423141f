#!/usr/bin/env python3
"""bench.py KSYMS [--runs N] [--markdown]

Time `ksyms list` on every kernel of the corpus ($KSYMS_CORPUS, as
../shared/corpus/unpack prints it): best wall time of N runs (warm page
cache), user+sys CPU, and peak RSS (which includes the pages of the mapped
image that were read).  Prints one row per kernel.
"""
import os
import resource
import subprocess
import sys
import time


def measure(cmd, runs):
    best = None
    for _ in range(runs):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        t0 = time.perf_counter()
        p = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        _, status, ru = os.wait4(p.pid, 0)
        wall = time.perf_counter() - t0
        if status != 0:
            return None
        cpu = ru.ru_utime + ru.ru_stime
        rss = ru.ru_maxrss  # KiB on Linux
        if best is None or wall < best[0]:
            best = (wall, cpu, rss)
    return best


def main():
    args = sys.argv[1:]
    if not args:
        print(__doc__)
        return 2
    ksyms = args[0]
    runs = int(args[args.index('--runs') + 1]) if '--runs' in args else 5
    corpus = os.environ.get('KSYMS_CORPUS')
    if not corpus or not os.path.isdir(corpus):
        print('KSYMS_CORPUS must point at the unpacked corpus (../shared/corpus/unpack prints it)')
        return 1
    print('| kernel | container | size | symbols | list wall (best of %d) | CPU | peak RSS |' % runs)
    print('|---|---|---|---|---|---|---|')
    for kid in sorted(os.listdir(corpus)):
        d = os.path.join(corpus, kid)
        meta = {}
        try:
            with open(os.path.join(d, 'meta')) as f:
                for line in f:
                    k, _, v = line.partition(':')
                    meta[k.strip()] = v.strip()
        except OSError:
            continue
        img = os.path.join(d, meta['kernel_file'])
        r = measure([ksyms, 'list', img], runs)
        if r is None:
            print('| %s | %s | %.1f MB | - | fails | | |' % (kid, meta.get('container', '?'), os.path.getsize(img) / 1e6))
            continue
        n = subprocess.run([ksyms, 'list', img], capture_output=True).stdout.count(b'\n')
        print('| %s | %s | %.1f MB | %d | %.3f s | %.3f s | %d MB |' % (
            kid, meta.get('container', '?'), os.path.getsize(img) / 1e6, n, r[0], r[1], r[2] // 1024))
    return 0


if __name__ == '__main__':
    sys.exit(main())
