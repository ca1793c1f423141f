#!/usr/bin/env python3
"""kcore.py KSYMS: /proc/kcore, read with pread (lib/input/kcore.c).  TAP.

A kcore is built here the way fs/proc/kcore.c lays one out (ELF64 core;
notes NT_PRSTATUS, NT_PRPSINFO, NT_TASKSTRUCT "CORE" and VMCOREINFO; a
KCORE_TEXT load of [_text, _end) with its physical address, a vmalloc load
with p_paddr -1 that claims far more than the file holds, a direct-map RAM
load) around the bytes of the corpus's 6.12 arm64 Image, at the addresses
that kernel ran at when its /proc/kallsyms was captured (booted without
KASLR).  Its file offsets are small (a real kcore's are 2^47 and more) so
that the file fits on a disk; the reader only follows them.  Judged against
that boot's /proc/kallsyms, not against ksyms: `list` must equal its vmlinux
part, with and without VMCOREINFO (then the load is told apart from the
direct map because its physical range lies inside a RAM load's).  Hostile variants (a text load
past the end of the file, no load that holds the kernel) must give one
clear error and exit 1.
"""
import os
import struct
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'corpus'))
import corpuslib as cl  # noqa: E402

ksyms = sys.argv[1]
corpus = cl.corpus_dir(tap=True)
kdir = os.path.join(corpus, '6.12-arm64')
image = os.path.join(kdir, 'vmlinuz-6.12.107+deb13-arm64')
for f in (image, os.path.join(kdir, 'proc-kallsyms'), os.path.join(kdir, 'System.map')):
    if not os.path.exists(f):
        cl.fail('corpus file missing: ' + f)

n = failed = 0


def ok(cond, desc, why=''):
    global n, failed
    n += 1
    print('%s %d - %s' % ('ok' if cond else 'not ok', n, desc))
    if not cond:
        failed += 1
        for line in str(why).splitlines()[:20]:
            print('#   ' + line)


def sysmap():
    m = {}
    with open(os.path.join(kdir, 'System.map')) as f:
        for line in f:
            a, t, name = line.split()[:3]
            m.setdefault(name, int(a, 16))
    return m


def note(name, ntype, desc):
    nb = name.encode() + b'\0'
    pad = lambda b: b + b'\0' * (-len(b) % 4)  # noqa: E731
    return struct.pack('<III', len(nb), len(desc), ntype) + pad(nb) + pad(desc)


def make_kcore(path, text_va, text_pa, data, vmcoreinfo=True, text_filesz=None, text_paddr_valid=True):
    """An ELF64 little-endian AArch64 core as fs/proc/kcore.c writes it."""
    notes = note('CORE', 1, b'\0' * 392) + note('CORE', 3, b'\0' * 136) + note('CORE', 4, b'\0' * 64)
    if vmcoreinfo:
        m = sysmap()
        vi = ('OSRELEASE=6.12.107+deb13-arm64\nPAGESIZE=4096\nSYMBOL(init_uts_ns)=%x\n'
              'SYMBOL(_stext)=%x\nNUMBER(VA_BITS)=48\nKERNELOFFSET=0\n' % (m['init_uts_ns'], m['_stext']))
        notes += note('VMCOREINFO', 0, vi.encode())
    page_offset = 0xffff000000000000
    ram_pa, ram_size = 0x40000000, 256 << 20  # holds the kernel's physical pages
    loads = [  # (vaddr, paddr, offset, filesz)
        (text_va, text_pa if text_paddr_valid else 2**64 - 1, 0x100000,
         text_filesz if text_filesz is not None else len(data)),
        (0xffff800000000000, 2**64 - 1, 0x100000, 0x7bfe00000000),       # vmalloc: no physical address
        (page_offset + ram_pa, ram_pa, 0x100000 + len(data) + 0x1000, ram_size),  # the direct map
    ]
    if not text_paddr_valid:
        loads[2] = (page_offset + ram_pa, ram_pa, 0x100000 + len(data) + 0x1000, ram_size)
    phoff, phnum = 64, 1 + len(loads)
    notes_off = phoff + 56 * phnum
    eh = struct.pack('<16sHHIQQQIHHHHHH', b'\x7fELF\x02\x01\x01' + b'\0' * 9, 4, 183, 1, 0, phoff, 0, 0, 64, 56,
                     phnum, 64, 0, 0)
    ph = struct.pack('<IIQQQQQQ', 4, 0, notes_off, 0, 0, len(notes), 0, 4)
    for va, pa, off, size in loads:
        ph += struct.pack('<IIQQQQQQ', 1, 7, off, va, pa, size, size, 4096)
    with open(path, 'wb') as f:
        f.write(eh + ph + notes)
        f.seek(0x100000)
        f.write(data)
        f.seek(loads[2][2] + ram_size - 1)
        f.write(b'\0')


def run(*args):
    return subprocess.run([ksyms] + list(args), stdout=subprocess.PIPE, stderr=subprocess.PIPE)


with open(image, 'rb') as f:
    img = f.read()
m = sysmap()
text_va = m['_text']
# [_text, _end): the Image, then zeros for what it does not hold (bss)
data = img + b'\0' * max(0, m['_end'] - text_va - len(img))
expected = cl.run(['grep', '-v', '\t\\[', os.path.join(kdir, 'proc-kallsyms')])

with tempfile.TemporaryDirectory(prefix='ksyms-kcore-') as tmp:
    kc = os.path.join(tmp, 'kcore')
    make_kcore(kc, text_va, 0x40200000, data)
    r = run('list', kc)
    ok(r.returncode == 0 and r.stdout == expected,
       'kcore with VMCOREINFO: list equals the booted kernel\'s /proc/kallsyms (%d lines)' % expected.count(b'\n'),
       r.stderr.decode(errors='replace'))
    ok(not r.stderr, 'no warning: the addresses were verified', r.stderr.decode(errors='replace'))
    r = run('info', kc)
    out = r.stdout.decode(errors='replace')
    ok(r.returncode == 0 and 'kcore' in out and 'read with pread' in out and 'load address:  0x%016x' % text_va in out,
       'info names the kcore layer and the load address', out[:2000])

    make_kcore(kc, text_va, 0x40200000, data, vmcoreinfo=False)
    r = run('list', kc)
    ok(r.returncode == 0 and r.stdout == expected,
       "kcore without VMCOREINFO: the load found inside a RAM load's physical range; list equals /proc/kallsyms",
       r.stderr.decode(errors='replace'))

    make_kcore(kc, text_va, 0x40200000, data, text_filesz=len(data) + (1 << 30))
    r = run('list', kc)
    ok(r.returncode == 1 and not r.stdout and r.stderr.count(b'\n') == 1 and b'kcore' in r.stderr,
       'a kernel load that runs past the file: one line, exit 1', r.stderr.decode(errors='replace'))

    make_kcore(kc, text_va, 0x40200000, data, vmcoreinfo=False, text_paddr_valid=False)
    r = run('list', kc)
    ok(r.returncode == 1 and not r.stdout and r.stderr.count(b'\n') == 1,
       'no load that holds the kernel: one line, exit 1', r.stderr.decode(errors='replace'))

print('1..%d' % n)
sys.exit(1 if failed else 0)
