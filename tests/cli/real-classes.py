#!/usr/bin/env python3
"""real-classes.py KSYMS MKCONTAINER DATADIR

Kinds of real kernel that ksyms once got wrong, rebuilt from generated
tables (`ksyms gen` on tests/data/gen-fixture.map, moved to each
architecture's addresses) with the one property of the real kernel that
broke it added by hand.  Each must list exactly the input symbols, at
exactly the input addresses, and `info --json` must give the expected
layout, word size, load address and verdict.  TAP output.

  rela-relbase   bullseye arm64 5.10: kallsyms_relative_base is 0 in the
                 image (boot-time RELA fills it), the word before
                 kallsyms_offsets is zero padding, so a reading 4 bytes early
                 had a non-zero "relative_base" (the last offset) and won.
                 Its relocation record also gives the load address (bookworm
                 arm64 6.1 reported it unknown).
  rela-deep      the same with the record of relative_base 4,500 records
                 into the run, as in a real kernel: the records before it
                 imply 8-aligned image bases that are not page-aligned, and
                 must not use up the 4,096 candidates the search tries.
  loongarch      sid loong64 7.2: an EFI zboot whose PE header says
                 loongarch64 around a 7.x kernel at 0x9000000000200000: read
                 as 32-bit with base 0x200000 and exit 0.  Once with the
                 kernel's own LoongArch Image header, once with only the
                 zboot header and words that hold their own address.
  past-the-cap   sid s390x 7.2: a stray zstd magic in the decompressor that
                 "decompresses" past the cap ended the search before the
                 real payload.  Here a zstd bomb before the payload.
  warning        a 7.x raw image read with a base off by a page: the
                 listing prints, with a warning on stderr, and --strict
                 exits 1 (a wrong address never passes silently).
"""
import json
import os
import struct
import subprocess
import sys
import tempfile

ksyms, mkcontainer, datadir = sys.argv[1:4]
tmp = tempfile.mkdtemp(prefix='ksyms-classes-')
n = 0
failed = 0


def ok(cond, desc, why=''):
    global n, failed
    n += 1
    print('%s %d - %s' % ('ok' if cond else 'not ok', n, desc))
    if not cond:
        failed += 1
        for line in str(why).splitlines()[:20]:
            print('#   ' + line)


def run(*args, check=True):
    r = subprocess.run([ksyms] + list(args), stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    if check and r.returncode != 0:
        raise RuntimeError('ksyms %s exited %d: %s' % (' '.join(args), r.returncode, r.stderr.decode()))
    return r


def path(name):
    return os.path.join(tmp, name)


def fixture(new_base, max_name=511):
    """gen-fixture.map with _text moved to @new_base: [(addr, type, name)],
    names longer than @max_name left out (KSYM_NAME_LEN was 128 before 6.1)."""
    out = []
    with open(os.path.join(datadir, 'gen-fixture.map')) as f:
        for line in f:
            a, t, name = line.split()
            if len(name) <= max_name:
                out.append((int(a, 16) - 0xffffffff81000000 + new_base, t, name))
    return out


def cover_text(data, syms, base):
    """A real image holds its text: grow the generated one (tables and
    filler) with zeros until every text symbol lies inside it."""
    end = max(a for a, t, s in syms if t in 'tT') - base + 1
    if len(data) < end:
        data += bytes(end - len(data))
    data += bytes(-len(data) % 4096)


def write_map(syms, name):
    with open(path(name), 'w') as f:
        for a, t, s in syms:
            f.write('%016x %s %s\n' % (a, t, s))
    return path(name)


def listing(syms):
    return ''.join('%016x %s %s\n' % (a, t, s) for a, t, s in syms).encode()


def info(img, *extra):
    return json.loads(run('info', '--json', *extra, img).stdout)


def same_listing(img, syms, desc, *extra):
    r = run('list', *extra, img, check=False)
    want = listing(syms)
    if r.returncode != 0 or r.stdout != want:
        got = r.stdout.decode(errors='replace').splitlines()
        exp = want.decode().splitlines()
        first = next((i for i in range(min(len(got), len(exp))) if got[i] != exp[i]), min(len(got), len(exp)))
        ok(False, desc, 'exit %d, %d lines for %d; first difference at line %d: %r vs %r\n%s' % (
            r.returncode, len(got), len(exp), first + 1, got[first] if first < len(got) else None,
            exp[first] if first < len(exp) else None, r.stderr.decode()))
        return r
    ok(True, desc)
    return r


# ---------------------------------------------------------------------------
# rela-relbase: a 5.10-layout arm64 raw image whose relative_base is left to
# an R_AARCH64_RELATIVE record, with zero padding before the offsets.

R_AARCH64_RELATIVE = 1027
ARM64_BASE = 0xffff800010000000   # the image's first byte (5.10 arm64's _text)


def rela_relbase(deep=False):
    """deep: the record of relative_base sits 4,500 records into a run of
    5,000, behind records whose places imply 8-aligned image bases that are
    not page-aligned (as in a real kernel, where it follows the records of
    the text and data before it): only page-aligned bases are candidates, so
    the search's budget of 4,096 candidates is not spent before it."""
    tag = 'rela-deep' if deep else 'rela-relbase'
    syms = fixture(ARM64_BASE, 127)
    # an even count: the offsets then end right at relative_base, with no
    # padding between, as in the real kernel
    if len(syms) % 2:
        syms.pop(len(syms) // 2)
    img = path(tag + '.img')
    run('gen', '--layout', '5.10', '--bits', '64', '--endian', 'little', '-f', '-o', img,
        write_map(syms, tag + '.map'))
    t = info(img)['tables']
    rb, offs = t['kallsyms_relative_base']['offset'], t['kallsyms_offsets']['offset']
    data = bytearray(open(img, 'rb').read())
    relbase = struct.unpack_from('<Q', data, rb)[0]
    ok(relbase == syms[0][0] and struct.unpack_from('<I', data, rb - 4)[0] != 0,
       '%s: the generated image has relative_base %#x and a non-zero last offset before it' % (tag, relbase))
    # what the boot-time relocation fills in is 0 in the image; so is the
    # padding in front of kallsyms_offsets, as in the real 5.10 kernel
    struct.pack_into('<Q', data, rb, 0)
    struct.pack_into('<I', data, offs - 4, 0)
    cover_text(data, syms, ARM64_BASE)
    # words the relocations fill in: every 16th (deep: every 2nd) word of
    # the filler is 0; the RELA run follows (the record of relative_base
    # among them)
    data += b'\0' * (-len(data) % 4096)
    targets = len(data)
    nwords, every, at = (10400, 2, 4500) if deep else (1024, 16, 40)
    words = bytearray((i * 37 + 11) & 0xff or 1 for i in range(8 * nwords))
    records = []
    for k in range(0, nwords, every):
        # deep: no other place is on relative_base's page offset, so every
        # other record implies a base that is 8-aligned but not page-aligned
        if deep and (8 * k - rb) % 4096 == 0:
            continue
        struct.pack_into('<Q', words, 8 * k, 0)
        records.append((ARM64_BASE + targets + 8 * k, syms[k % len(syms)][0]))
    records.insert(at, (ARM64_BASE + rb, relbase))
    if deep:
        ok(at > 4096 and sum((p - rb - ARM64_BASE) % 4096 == 0 for p, a in records) == 1,
           '%s: %d records, the one of relative_base at %d, the only one on its page offset' % (tag, len(records), at))
    data += words
    for place, addend in records:
        data += struct.pack('<QQQ', place, R_AARCH64_RELATIVE, addend)
    open(img, 'wb').write(data)

    same_listing(img, syms, '%s: every symbol at its address (relative_base from its RELA record)' % tag)
    i = info(img)
    ok(i['relative_base'] == '%#x' % relbase and i['relative_base_inferred'],
       '%s: relative_base %s inferred (want %#x)' % (tag, i['relative_base'], relbase))
    ok(i['tables']['kallsyms_relative_base']['offset'] == rb and i['tables']['kallsyms_offsets']['offset'] == offs,
       '%s: the tables where they are, not 4 bytes early' % tag)
    ok(i['load_address'] == '%#x' % ARM64_BASE and 'relocation record' in i['load_address_source'],
       '%s: load address %s from %s (want %#x from the relocation record)'
       % (tag, i['load_address'], i['load_address_source'], ARM64_BASE))


def rela_deep():
    rela_relbase(deep=True)


# ---------------------------------------------------------------------------
# loongarch: a 7.x kernel at 0x9000000000200000 inside an EFI zboot.

LA_BASE = 0x9000000000200000
LA_WINDOW = 0x9000000000000000
PE_LOONGARCH64 = 0x6264


def loongarch_image(header, self_pointers):
    syms = fixture(LA_BASE)
    raw = path('la.raw')
    run('gen', '--layout', '7.0', '--bits', '64', '--endian', 'little', '--base', hex(LA_BASE), '-f', '-o', raw,
        write_map(syms, 'la.map'))
    data = bytearray(open(raw, 'rb').read())
    text = [a for a, t, s in syms if t in 'tT']
    if header:
        # arch/loongarch/kernel/head.S: "MZ", the entry's physical address,
        # the image size, the load offset, LINUX_PE_MAGIC, the PE header
        stext = next(a for a, t, s in syms if s == '_stext')
        data[0:0x48] = bytes(0x48)
        data[0:2] = b'MZ'
        struct.pack_into('<QQQ', data, 8, stext - LA_WINDOW, len(data), LA_BASE - LA_WINDOW)
        struct.pack_into('<II', data, 0x38, 0x818223cd, 0x40)
        struct.pack_into('<4sH', data, 0x40, b'PE\0\0', PE_LOONGARCH64)
    # function pointers in the data (ops tables), which the checks count
    for k in range(160):
        struct.pack_into('<Q', data, 0x400 + 8 * k, text[(k * 7) % len(text)])
    cover_text(data, syms, LA_BASE)
    if self_pointers:
        # empty list_heads hold their own address
        tail = len(data) - 0x800
        for k in range(64):
            off = tail + 16 * k
            struct.pack_into('<QQ', data, off, LA_BASE + off, LA_BASE + off)
    open(raw, 'wb').write(data)
    stream = path('la.zst')
    subprocess.run(['zstd', '-q', '-f', '-19', raw, '-o', stream], check=True)
    img = path('la-zboot-%d%d' % (header, self_pointers))
    subprocess.run([sys.executable, mkcontainer, 'zboot', stream, 'zstd', img, hex(PE_LOONGARCH64)], check=True)
    return img, syms


def loongarch():
    for header, selfp, how in ((True, False, 'its LoongArch Image header'),
                               (False, True, 'words that hold their own address')):
        img, syms = loongarch_image(header, selfp)
        what = 'loongarch (%s)' % how
        r = same_listing(img, syms, what + ': every symbol at its 64-bit address')
        i = info(img)
        ok(i['bits'] == 64 and i['arch'] == 'loongarch64',
           what + ': %s-bit %s (from %s)' % (i['bits'], i['arch'], i['arch_source']))
        ok(i['load_address'] == '%#x' % LA_BASE, what + ': load address %s' % i['load_address'],
           i['load_address_source'])
        ok(i['addresses_verified'] and not r.stderr,
           what + ': addresses verified, no warning', json.dumps(i['checks']) + r.stderr.decode())


# ---------------------------------------------------------------------------
# past-the-cap: a compressed stream past --max-output before the payload.

def past_the_cap():
    syms = fixture(0xffffffff81000000)
    raw = path('cap.raw')
    run('gen', '--layout', '6.4', '-f', '-o', raw, write_map(syms, 'cap.map'))
    payload = subprocess.run(['zstd', '-q', '-c', '-19', raw], stdout=subprocess.PIPE, check=True).stdout
    bomb = subprocess.run(['zstd', '-q', '-c', '-19'], input=bytes(48 << 20), stdout=subprocess.PIPE,
                          check=True).stdout
    # a decompressor's code and rodata: no header says where the payload is
    code = bytes((i * 13 + 5) & 0xff for i in range(0x3000))
    img = path('cap.img')
    open(img, 'wb').write(code + bomb + code[:0x800] + payload)
    same_listing(img, syms, 'past-the-cap: the payload after a stream past --max-output decodes',
                 '--max-output', '32M')
    r = run('list', '--max-output', '16K', img, check=False)
    ok(r.returncode == 1 and b'limit' in r.stderr and not r.stdout,
       'past-the-cap: with every candidate past the cap, the cap is the error', r.stderr.decode())


# ---------------------------------------------------------------------------
# warning: addresses that a check contradicts are never silent.

def warning():
    syms = fixture(0xffff800080000000)
    text = [a for a, t, s in syms if t in 'tT']
    raw = path('warn.raw')
    run('gen', '--layout', '7.0', '--base', '0xffff800080000000', '-f', '-o', raw, write_map(syms, 'warn.map'))
    data = bytearray(open(raw, 'rb').read())
    cover_text(data, syms, 0xffff800080000000)
    data += bytes(8 * 1024)
    for k in range(1024):
        struct.pack_into('<Q', data, len(data) - 8 * 1024 + 8 * k, text[(k * 7) % len(text)])
    open(raw, 'wb').write(data)
    r = run('list', '--base', '0xffff800080000000', raw, check=False)
    ok(r.returncode == 0 and r.stdout == listing(syms) and not r.stderr,
       'warning: with the right base the listing is exact and verified', r.stderr.decode())
    r = run('list', '--base', '0xffff800080001000', raw, check=False)
    ok(r.returncode == 0 and r.stdout and b'could not be verified' in r.stderr
       and b'pointers check failed' in r.stderr, 'warning: a base off by a page lists with a warning',
       r.stderr.decode())
    r = run('list', '--strict', '--base', '0xffff800080001000', raw, check=False)
    ok(r.returncode == 1 and not r.stdout and b'--strict' in r.stderr, 'warning: ... and --strict exits 1',
       r.stderr.decode())
    i = info(raw, '--base', '0xffff800080001000')
    ok(i['addresses_verified'] is False and any(c['name'] == 'pointers' and not c['held'] for c in i['checks']),
       'warning: info --json says addresses_verified false, with the failed check', json.dumps(i['checks']))


for test in (rela_relbase, rela_deep, loongarch, past_the_cap, warning):
    try:
        test()
    except Exception as e:  # a crash of the harness is a failure, not a skip
        ok(False, '%s: %s' % (test.__name__, e))
print('1..%d' % n)
subprocess.run(['rm', '-rf', tmp])
sys.exit(1 if failed else 0)
