#!/usr/bin/env python3
"""make-gen-fixture.py OUTDIR

Write the fixtures of tests/cli/gen-roundtrip.sh:

  gen-fixture.map   a 64-bit kernel-like System.map already in kallsyms
                    table order: text, init text, rodata, data, bss; aliases
                    that exercise every sort tie-break; weak symbols;
                    __start_/__stop_ pairs; one 250-character name (ULEB128
                    lengths, 6.1+); nothing any era's filter drops.
  gen-percpu.map    an x86-64-like list with a per-cpu area at 0 for
                    --absolute-percpu.

The table order is computed here independently of the C generator, from
kallsyms-format.md section 2.2: by address; then non-weak before weak;
then names that do not look linker-provided (__start_X, __stop_X, __end_X,
__X_start, __X_end, 8+ characters) first; then fewer leading underscores;
then input order.  Deterministic: the same seed gives the same files.
"""
import os
import random
import sys

WORDS = ['ext4', 'do', 'sys', 'read', 'write', 'page', 'alloc', 'free', 'lock', 'unlock', 'init', 'exit',
         'irq', 'dev', 'net', 'sock', 'tcp', 'udp', 'mm', 'vma', 'fault', 'sched', 'task', 'cpu', 'mutex',
         'spin', 'rcu', 'work', 'queue', 'timer', 'blk', 'bio', 'inode', 'dentry', 'file', 'open', 'mmap',
         'ioctl', 'pci', 'usb', 'drm', 'kvm', 'bpf', 'trace', 'event', 'perf', 'cgroup', 'xfs', 'nfs']
TAILS = ['', '', '', '', '.constprop.0', '.isra.0', '.cold', '.part.0']


def linker_provided(name):
    if len(name) < 8 or not name.startswith('__'):
        return False
    return (name[2:].startswith(('start_', 'stop_', 'end_')) or name.endswith('_start')
            or name.endswith('_end'))


def table_order(syms):
    """syms: (addr, type, name) in input order."""
    def key(e):
        i, (addr, typ, name) = e
        return (addr, typ in 'wW', linker_provided(name), len(name) - len(name.lstrip('_')), i)
    return [s for _, s in sorted(enumerate(syms), key=key)]


class Gen:
    def __init__(self, seed):
        self.r = random.Random(seed)
        self.syms = []

    def name(self):
        r = self.r
        n = '__' if r.randrange(8) == 0 else ''
        n += '_'.join(r.choice(WORDS) for _ in range(r.randint(1, 4)))
        if r.randrange(3) == 0:
            n += str(r.randrange(1000))
        return n + r.choice(TAILS)

    def add(self, addr, typ, name):
        self.syms.append((addr, typ, name))

    def alias(self, addr, typ, name):
        kind = self.r.randrange(5)
        if kind == 0:
            self.add(addr, typ, '_' + name)
        elif kind == 1:
            self.add(addr, 'W', name + '_alias')
        elif kind == 2:
            self.add(addr, typ, '__' + name + '_end')
        elif kind == 3:
            self.add(addr, 'V' if typ in 'dDbBrR' else 'W', name + '_weak')
        else:
            self.add(addr, typ, name)  # a duplicated static name

    def region(self, addr, count, types):
        for _ in range(count):
            typ = self.r.choice(types)
            name = self.name()
            self.add(addr, typ, name)
            if self.r.randrange(10) == 0:
                self.alias(addr, typ, name)
            addr += 16 * self.r.randint(1, 24)
        return addr


def kernel(g, text, ntext, ninit, ndata, long_name):
    a = text
    g.add(a, 'T', '_text')
    g.add(a, 'T', 'startup_64')
    a += 0x1000
    g.add(a, 'T', '_stext')
    a = g.region(a, ntext, 'tTtTtW')
    if long_name:
        g.add(a, 'T', ''.join(g.r.choice('qzjxkvQZJXKV0123456789_') for _ in range(250)))
        a += 0x40
    g.add(a, 'T', '_etext')
    a += 0x1000
    g.add(a, 'T', '_sinittext')
    a = g.region(a, ninit, 'tT')
    g.add(a, 'T', '_einittext')
    a += 0x1000
    g.add(a, 'R', '__start___ksymtab')
    a = g.region(a, ndata // 3, 'rR')
    g.add(a, 'R', '__stop___ksymtab')
    g.add(a, 'D', '_sdata')
    a = g.region(a, ndata // 3, 'dDV')
    g.add(a, 'B', '__bss_start')
    a = g.region(a, ndata // 3, 'bB')
    g.add(a, 'B', '_end')


def write(path, syms):
    with open(path, 'w') as f:
        for addr, typ, name in table_order(syms):
            f.write('%016x %s %s\n' % (addr, typ, name))


def main():
    if len(sys.argv) != 2:
        print(__doc__)
        return 2
    out = sys.argv[1]
    g = Gen(20260101)
    kernel(g, 0xffffffff81000000, 900, 200, 450, True)
    write(os.path.join(out, 'gen-fixture.map'), g.syms)

    p = Gen(20260102)
    p.add(0, 'D', '__per_cpu_start')
    a = 0
    for i in range(40):
        p.add(a, 'd' if i % 3 else 'D', 'pcpu_%s_%d' % (p.r.choice(WORDS), i))
        a += 0x40
    p.add(a, 'D', '__per_cpu_end')
    kernel(p, 0xffffffff81000000, 200, 40, 90, False)
    write(os.path.join(out, 'gen-percpu.map'), p.syms)
    return 0


if __name__ == '__main__':
    sys.exit(main())
