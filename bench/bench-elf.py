#!/usr/bin/env python3
"""bench-elf.py KSYMS IMAGE... [--runs N]

What `ksyms elf` and `ksyms btf` cost on top of reading the tables: for each
image, the CPU time (user + system, best of N runs) and peak RSS of
`ksyms list`, `ksyms info` (decodes after decompressing the whole kernel),
`ksyms elf -o FILE` (in the system's temporary folder) and `ksyms btf -o
FILE`, and the kernel's decompressed size and symbol count.  The budgets
(issue 16): elf at most 0.3 s more than list; btf at most 10 ms more than
info, which locates the tables in the whole kernel as btf does; peak memory
at most the decompressed kernel + the symbol table + 64 MiB.
"""
import json
import os
import resource
import subprocess
import sys
import tempfile


def measure(cmd, runs):
    best = None
    for _ in range(runs):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        p = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        _, status, ru = os.wait4(p.pid, 0)
        if status:
            raise SystemExit('%s failed' % ' '.join(cmd))
        cpu = ru.ru_utime + ru.ru_stime
        if best is None or cpu < best[0]:
            best = (cpu, ru.ru_maxrss / 1024)
        del before
    return best


def main():
    args = sys.argv[1:]
    runs = 5
    if '--runs' in args:
        i = args.index('--runs')
        runs = int(args[i + 1])
        del args[i:i + 2]
    ksyms, images = args[0], args[1:]
    print('| kernel | decompressed | symbols | list | info | elf | elf - list | btf | btf - info | peak RSS elf / budget |')
    print('|---|---|---|---|---|---|---|---|---|---|')
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, 'out')
        for img in images:
            info = json.loads(subprocess.run([ksyms, 'info', '--json', img], stdout=subprocess.PIPE).stdout)
            size = info['chain'][-1]['out_size']
            n = info['num_syms']
            lst = measure([ksyms, 'list', img], runs)
            inf = measure([ksyms, 'info', img], runs)
            elf = measure([ksyms, 'elf', '-f', '-o', out, img], runs)
            btf = measure([ksyms, 'btf', '-f', '-o', out, img], runs) if info.get('btf') else None
            # the symbol table: names and 8+4+4+1 bytes of arrays per symbol, as lib/table holds it
            names = sum(len(l) for l in subprocess.run([ksyms, 'list', img], stdout=subprocess.PIPE).stdout.split(b'\n'))
            budget = (size + names + 17 * n) / 2**20 + 64
            name = os.path.basename(os.path.dirname(img)) or img
            print('| %s | %.1f MB | %d | %.3f s | %.3f s | %.3f s | %+.3f s | %s | %s | %.0f / %.0f MB |' % (
                name, size / 1e6, n, lst[0], inf[0], elf[0], elf[0] - lst[0],
                '%.3f s' % btf[0] if btf else '-', '%+.3f s' % (btf[0] - inf[0]) if btf else '-', elf[1], budget))


if __name__ == '__main__':
    main()
