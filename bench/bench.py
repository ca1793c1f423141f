#!/usr/bin/env python3
"""bench.py KSYMS [--runs N] [--codecs]

Time `ksyms list` on every kernel of the corpus ($KSYMS_CORPUS, as
../shared/corpus/unpack prints it): best wall time of N runs (warm page
cache), user+sys CPU, and peak RSS (which includes the pages of the mapped
image that were read).  Prints one row per kernel.

--codecs: for each compressed kernel, CPU time (best of N) of `ksyms list`
(which stops decompressing after the kallsyms tables where it can), of
`ksyms list --unexported` (which needs the whole kernel), and of the
codec's own tool decompressing the payload alone (`xz -dc` ...), with the
ratios; the payload is cut out where `ksyms info --json` says it is.
"""
import json
import tempfile
import os
import resource
import subprocess
import sys
import time


def read_meta(d):
    meta = {}
    try:
        with open(os.path.join(d, 'meta')) as f:
            for line in f:
                k, _, v = line.partition(':')
                meta[k.strip()] = v.strip()
    except OSError:
        return None
    return meta


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


CODEC_TOOLS = {'gzip': ['gzip', '-dc'], 'xz': ['xz', '-dc'], 'lzma': ['xz', '--format=lzma', '-dc'],
               'bzip2': ['bzip2', '-dc'], 'lzo': ['lzop', '-dc'], 'lz4': ['lz4', '-dc'], 'zstd': ['zstd', '-dc']}


def cpu_best(cmd, runs, stdin=None):
    best = None
    for _ in range(runs):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        with open(stdin, 'rb') if stdin else open(os.devnull, 'rb') as f:
            p = subprocess.Popen(cmd, stdin=f, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            _, status, ru = os.wait4(p.pid, 0)
        if status != 0:
            return None
        cpu = ru.ru_utime + ru.ru_stime
        best = cpu if best is None else min(best, cpu)
    return best


def payload(ksyms, img):
    """(codec, file offset, size, full output size, the chain) of the first
    compressed stream of @img, from `ksyms info --json`."""
    info = json.loads(subprocess.run([ksyms, 'info', '--json', img], capture_output=True, check=True).stdout)
    base = 0
    for layer in info['chain']:
        desc = layer['description']
        codec = next((c for c in CODEC_TOOLS if layer['format'] == c or (c + ' stream') in desc), None)
        if codec:
            chain = ' → '.join(l['format'] for l in info['chain'])
            return codec, base + layer['offset'], layer['size'], layer['out_size'], chain
        base += layer['offset']
    return None


def codecs(ksyms, corpus, kernels, runs):
    print('| kernel | chain | `ksyms list` | `list --unexported` (whole kernel) | codec tool `-dc` | list / tool |')
    print('|---|---|---|---|---|---|')
    for kid, img in kernels:
        p = payload(ksyms, img)
        if not p:
            continue
        codec, off, size, out_size, chain = p
        with open(img, 'rb') as f, tempfile.NamedTemporaryFile(delete=False) as t:
            f.seek(off)
            t.write(f.read(size))
        try:
            tool = cpu_best(CODEC_TOOLS[codec], runs, stdin=t.name)
        finally:
            os.unlink(t.name)
        fast = cpu_best([ksyms, 'list', img], runs)
        full = cpu_best([ksyms, 'list', '--unexported', img], runs)
        print('| %s | %s | %.2f s | %.2f s | %s %.2f s | %.2f |' % (kid, chain, fast, full, codec, tool, fast / tool))
    return 0


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
    if '--codecs' in args:
        kernels = []
        for kid in sorted(os.listdir(corpus)):
            meta = read_meta(os.path.join(corpus, kid))
            if meta:
                kernels.append((kid, os.path.join(corpus, kid, meta['kernel_file'])))
        return codecs(ksyms, corpus, kernels, runs)
    print('| kernel | container | size | symbols | list wall (best of %d) | CPU | peak RSS |' % runs)
    print('|---|---|---|---|---|---|---|')
    for kid in sorted(os.listdir(corpus)):
        d = os.path.join(corpus, kid)
        meta = read_meta(d)
        if not meta:
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
