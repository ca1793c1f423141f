#!/usr/bin/env python3
"""elf-gen.py KSYMS DATA_DIR

`ksyms elf` and `ksyms btf` on kernels generated here (no corpus needed):
`ksyms gen` tables from the fixture System.map in several layouts, word
sizes and byte orders, raw and ELF, with a small BTF blob (tests/btf/mkbtf.py)
after them.  TAP output.
  - btf: the blob comes back byte for byte, found by the header scan (a
    table of text symbols only) and by __start_BTF/__stop_BTF (a table with
    data symbols); JSON says where; a kernel without BTF and BTF headers
    that lie about their lengths get one line and exit 1 (by the symbols:
    the error names the blob's offset);
  - elf: `readelf -a -W` warns of nothing, `nm -n` prints every symbol of
    `ksyms list` with its letter, `ksyms list` of the ELF is that of the
    image, the ELF has a .BTF section when the kernel has BTF, and the
    options (--runtime-text, --slide, --map) move or replace the symbols.
"""
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, '..', 'btf'))
import mkbtf  # noqa: E402

n = 0
failed = 0


def ok(cond, desc, detail=''):
    global n, failed
    n += 1
    print('%s %d - %s' % ('ok' if cond else 'not ok', n, desc))
    if not cond:
        failed += 1
        for ln in str(detail).splitlines()[:8]:
            print('#   ' + ln)
    return cond


def run(cmd, **kw):
    return subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, **kw)


def read_map(path):
    out = []
    for ln in open(path):
        a, t, name = ln.split()[:3]
        out.append([int(a, 16), t, name])
    return out


def write_map(path, syms, bits):
    with open(path, 'w') as f:
        for a, t, name in syms:
            f.write('%0*x %s %s\n' % (bits // 4, a & ((1 << bits) - 1), t, name))


class Gen:
    def __init__(self, ksyms, tmp, fixture):
        self.ksyms, self.tmp, self.fixture = ksyms, tmp, fixture

    def image(self, name, layout, bits, endian, btf=None, btf_symbols=False, opts=()):
        """A generated kernel with @btf appended (4-aligned); with
        @btf_symbols, __start_BTF/__stop_BTF name it (two passes: the
        symbols' addresses do not change the tables' size)."""
        syms = read_map(self.fixture)
        if bits == 32:
            syms = [[0xc1000000 + (a - 0xffffffff81000000), t, nm] for a, t, nm in syms]
        base = syms[0][0] & ~0xfff
        path = os.path.join(self.tmp, name)
        extra = []
        # a raw image's bytes cover every symbol but the bss, as a real one's do
        cover = max(a for a, t, nm in syms if t not in 'bB') + 0x100 - base
        is_elf = '--elf' in opts
        for attempt in range(2):
            if btf is not None and btf_symbols:
                start = base + (attempt and size_aligned or 0x100000)
                extra = [[start, 'R', '__start_BTF'], [start + len(btf), 'R', '__stop_BTF']]
            mp = path + '.map'
            write_map(mp, sorted(syms + extra, key=lambda s: s[0]), bits)
            r = run([self.ksyms, 'gen', '-f', '-l', layout, '--bits', str(bits), '--endian', endian,
                     '--base', '%#x' % base] + list(opts) + ['-o', path, mp])
            if r.returncode:
                raise RuntimeError(r.stderr.decode())
            size = os.path.getsize(path) if is_elf else max(os.path.getsize(path), cover)
            size_aligned = (size + 3) & ~3
            if not (btf is not None and btf_symbols):
                break
        with open(path, 'ab') as f:
            f.write(b'\0' * (size - os.path.getsize(path)))
            if btf is not None:
                f.write(b'\0' * (size_aligned - size) + btf)
        return path, base, mp


def check_btf(g, ksyms):
    blob = mkbtf.blob()
    for name, opts, syms, how in (('btf-scan', ['--text-only'], False, 'scan for the BTF header'),
                                  ('btf-syms', [], True, '__start_BTF/__stop_BTF symbols')):
        path, base, _ = g.image(name, '6.4', 64, 'little', blob, syms, opts)
        r = run([ksyms, 'btf', '--base', '%#x' % base, path])
        ok(r.returncode == 0 and r.stdout == blob, 'btf: %s gives the blob back byte for byte' % how,
           r.stderr.decode())
        r = run([ksyms, 'btf', '--json', '--base', '%#x' % base, path])
        j = json.loads(r.stdout or b'{}')
        ok(j.get('found_by') == how and j.get('types') == 9 and j.get('size') == len(blob),
           'btf --json: %s, 9 types, %d bytes' % (how, len(blob)), r.stdout.decode())
    blob_be = mkbtf.blob(be=True)
    path, _, _ = g.image('btf-be', '6.2', 32, 'big', blob_be, False, ['--text-only'])
    r = run([ksyms, 'btf', path])
    ok(r.returncode == 0 and r.stdout == blob_be, 'btf: a big-endian 32-bit kernel\'s blob', r.stderr.decode())
    path, _, _ = g.image('nobtf', '6.4', 64, 'little', None, False, ['--text-only'])
    r = run([ksyms, 'btf', path])
    err = r.stderr.decode()
    ok(r.returncode == 1 and not r.stdout and err.count('\n') == 1 and 'has no BTF' in err,
       'btf: a kernel without BTF: one line, exit 1', err)
    for lie in ('type_len', 'str_len', 'str_off', 'hdr_len', 'vlen', 'name_off', 'type_ref', 'kind', 'no_nul'):
        bad = mkbtf.blob(lie=lie)
        path, _, _ = g.image('lie-' + lie, '6.4', 64, 'little', bad, False, ['--text-only'])
        r = run([ksyms, 'btf', path])
        err = r.stderr.decode()
        ok(r.returncode == 1 and not r.stdout and 'has no BTF' in err,
           'btf: a header that lies (%s) is no BTF to the scan' % lie, err)
        path, base, _ = g.image('lie-syms-' + lie, '6.4', 64, 'little', bad, True)
        r = run([ksyms, 'btf', '--base', '%#x' % base, path])
        err = r.stderr.decode()
        ok(r.returncode == 1 and not r.stdout and re.search(r'BTF at __start_BTF \(offset 0x[0-9a-f]+\)', err),
           'btf: a lying blob at __start_BTF (%s) is an error naming its offset' % lie, err)
        r = run([ksyms, 'elf', '--base', '%#x' % base, '-o', '-', path])
        ok(r.returncode == 0 and r.stdout[:4] == b'\x7fELF', 'elf: still written around a lying BTF (%s)' % lie,
           r.stderr.decode())


def nm_pairs(text, mask):
    out = {}
    for ln in text.splitlines():
        p = ln.split()
        if len(p) >= 3:
            out.setdefault((int(p[0], 16) & mask, p[2]), []).append(p[1])
    return out


def loaded(elf):
    """The addresses the ELF's first PT_LOAD has bytes for."""
    for ln in run(['readelf', '-l', '-W', elf]).stdout.decode().splitlines():
        p = ln.split()
        if p[:1] == ['LOAD']:
            return int(p[2], 16), int(p[2], 16) + int(p[4], 16)
    return 0, 0


def check_elf(g, ksyms):
    have = shutil.which('readelf') and shutil.which('nm')
    cases = [('e64', '6.4', 64, 'little', [], True), ('e32be', '6.2', 32, 'big', [], False),
             ('e70', '7.0', 64, 'little', [], False), ('etext', '6.4', 64, 'little', ['--text-only'], True),
             ('eelf', '6.4', 64, 'little', ['--elf'], True), ('eelf32', '6.2', 32, 'little', ['--elf'], False)]
    for name, layout, bits, endian, opts, btf in cases:
        path, base, _ = g.image(name, layout, bits, endian, mkbtf.blob(be=endian == 'big') if btf else None,
                                btf and '--text-only' not in opts, opts)
        # a generated raw image states no load address: --base, as for a real one whose base is unknown
        extra = ['--base', '%#x' % base] if '--elf' not in opts else []
        elf = path + '.elf'
        r = run([ksyms, 'elf', '-f', '-o', elf] + extra + [path])
        if not ok(r.returncode == 0, 'elf: %s (%s, %d-bit %s%s) written' % (name, layout, bits, endian,
                                                                          ', ELF' if '--elf' in opts else ''),
                  r.stderr.decode()):
            continue
        lst = run([ksyms, 'list'] + extra + [path]).stdout.decode()
        lst_elf = run([ksyms, 'list', elf]).stdout.decode()
        ok(lst and lst == lst_elf, 'elf: %s: ksyms list of the ELF is that of the image' % name)
        if not have:
            print('ok %d # SKIP readelf/nm not installed' % (n + 1))
            continue
        r = run(['readelf', '-a', '-W', elf])
        warn = [ln for ln in (r.stdout + r.stderr).decode(errors='replace').splitlines()
                if ln.startswith('readelf:')]
        ok(r.returncode == 0 and not warn, 'elf: %s: readelf -a -W warns of nothing' % name, '\n'.join(warn))
        mask = (1 << bits) - 1
        nm = nm_pairs(run(['nm', '-n', elf]).stdout.decode(), mask)
        ks = nm_pairs(lst, mask)
        # gen --elf loads only the tables: past them nm sees no bytes, so bss
        lo, hi = loaded(elf)
        diff = [(hex(a), s, nm.get((a, s)), t) for (a, s), t in ks.items()
                if sorted(nm.get((a, s), [])) != sorted(t) and lo <= a < hi]
        ok(set(nm) == set(ks) and not diff, 'elf: %s: nm -n prints %d symbols with ksyms\'s letters' % (name, len(ks)),
           'only nm: %s\nonly ksyms: %s\nletters: %s' % (sorted(set(nm) - set(ks))[:3], sorted(set(ks) - set(nm))[:3],
                                                        diff[:5]))
        secs = run(['readelf', '-S', '-W', elf]).stdout.decode()
        ok((' .BTF ' in secs) == btf, 'elf: %s: %s .BTF section' % (name, 'a' if btf else 'no'), secs)
    # rebasing: every non-absolute symbol moves by the slide, once
    path, base, mp = g.image('slide', '6.4', 64, 'little', None, False, [])
    text = next(a for a, t, s in read_map(mp) if s == '_text')
    runs = {}
    for label, opt in (('plain', []), ('slide', ['--slide', '0x20000000']),
                       ('runtime-text', ['--runtime-text', '%#x' % (text + 0x20000000)])):
        r = run([ksyms, 'elf', '-f', '--base', '%#x' % base, '-o', path + '.' + label] + opt + [path])
        runs[label] = nm_pairs(run(['nm', '-n', path + '.' + label]).stdout.decode(), ~0) if have else {}
    if have:
        moved = {(a + 0x20000000, s): t for (a, s), t in runs['plain'].items()}
        ok(runs['slide'] == moved and runs['runtime-text'] == moved,
           'elf: --slide N and --runtime-text _TEXT+N move every symbol by N')
    # --map: the symbols of another source, the bytes of the image
    sub = os.path.join(g.tmp, 'sub.map')
    with open(sub, 'w') as f:
        f.writelines(ln for ln in open(mp) if ' t ' not in ln)
    r = run([ksyms, 'elf', '-f', '--base', '%#x' % base, '--map', sub, '-o', path + '.map.elf', path])
    if have and ok(r.returncode == 0, 'elf --map: written', r.stderr.decode()):
        got = nm_pairs(run(['nm', '-n', path + '.map.elf']).stdout.decode(), ~0)
        want = nm_pairs(open(sub).read(), ~0)
        ok(set(got) == set(want), 'elf --map: the ELF has the map\'s %d symbols, not the image\'s' % len(want))


def main():
    ksyms, data = sys.argv[1], sys.argv[2]
    with tempfile.TemporaryDirectory(prefix='ksyms-elf-gen-') as tmp:
        g = Gen(ksyms, tmp, os.path.join(data, 'gen-fixture.map'))
        check_btf(g, ksyms)
        check_elf(g, ksyms)
    print('1..%d' % n)
    sys.exit(1 if failed else 0)


if __name__ == '__main__':
    main()
