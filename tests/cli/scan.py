#!/usr/bin/env python3
"""scan.py KSYMS DATADIR gen|corpus

`ksyms scan` over a temporary folder, each result judged against facts the
scan did not produce:

  gen     kernels made here with `ksyms gen` from tests/data/gen-fixture.map
          (ELF and gzip, 64-bit little-endian and 32-bit big-endian, one with
          a BTF blob (tests/btf/mkbtf.py), one with an IKCONFIG blob): the symbol
          count is the map's line count, the load address the base given to
          gen (the map's _text); beside them files that are no kernel (empty,
          text, random bytes, a kernel cut in half), links to files (followed),
          to folders (skipped), a dangling link and a fifo (skipped, -v says
          so), and a missing path (exit 1); a worker killed while it reads a
          file costs that file's line only.  TAP.
  corpus  every kernel of the real-kernel corpus ($KSYMS_CORPUS), linked into
          the folder, with System.map beside one and a kernel cut short: the
          symbol count is the booted kernel's /proc/kallsyms line count where
          it was captured, and equals `info --json`'s everywhere; the load
          address equals `info --json`'s and System.map's _text (or _start,
          when the image begins before _text); BTF and IKCONFIG are found
          where the kernel's config has them.  Exit 77 without a corpus
          (tests/corpus/corpuslib.py).

Both: -j 1 and -j 2 give the same bytes (gen: text and JSON; corpus: JSON); every JSON line
parses and has the keys of `info --json` that scan reports, with the same
values.
"""
import gzip
import json
import os
import random
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import zlib

ksyms, datadir, mode = os.path.abspath(sys.argv[1]), sys.argv[2], sys.argv[3]
here = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(here, '..', 'corpus'))
import corpuslib  # noqa: E402
sys.path.insert(0, os.path.join(here, '..', 'btf'))
import mkbtf  # noqa: E402

TAP = mode == 'gen'
n = 0
fails = 0
# keys scan shares with info --json, and so must agree on
SHARED = ['source', 'chain', 'btf', 'banner', 'arch', 'arch_source', 'bits', 'endian', 'num_syms', 'load_address',
          'load_address_source', 'addresses_verified', 'verify_note']


def report(ok, name, detail=''):
    global n, fails
    n += 1
    name = name.replace('\n', '\\n')
    if TAP:
        print('%s %d - %s' % ('ok' if ok else 'not ok', n, name))
    elif not ok:
        print('FAIL: ' + name)
    if not ok:
        fails += 1
        for line in str(detail).splitlines()[:20]:
            print('#   ' + line)


def run(*args, cwd=None):
    r = subprocess.run([ksyms] + list(args), stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=cwd)
    return r.returncode, r.stdout, r.stderr


def jsonl(out, what):
    try:
        return [json.loads(line) for line in out.decode('utf-8').splitlines()]
    except (ValueError, UnicodeDecodeError) as e:
        report(False, '%s: JSON Lines parse' % what, '%s %r' % (e, out[:300]))
        return None


def same_across_jobs(args, what):
    """-j 1 and -j 2: the same output, the same exit status"""
    r1 = run('scan', '-j', '1', *args)
    r2 = run('scan', '-j', '2', *args)
    report(r1[0] == r2[0] and r1[1] == r2[1], '%s: -j 1 and -j 2 give the same output' % what,
           'exit %d vs %d\n%s\n---\n%s' % (r1[0], r2[0], r1[1].decode(errors='replace'),
                                          r2[1].decode(errors='replace')))
    return r2


def agrees_with_info(obj, what):
    rc, out, err = run('info', '--json', obj['path'])
    info = jsonl(out, 'info --json ' + obj['path']) if rc == 0 else None
    if not info:
        report(False, '%s: info --json reads it too' % what, err)
        return None
    diff = {k: (obj.get(k), info[0].get(k)) for k in SHARED if obj.get(k) != info[0].get(k)}
    report(not diff, '%s: the keys scan shares with info --json have its values' % what, diff)
    return info[0]


def walked_order(paths):
    """the order scan promises: each folder's names sorted bytewise"""
    return sorted(paths, key=lambda p: [os.fsencode(c) for c in p.split('/')])


# ----------------------------------------------------------------------------
def gen_map(tmp, bits, types=None):
    """the fixture (moved to 0xc0000000 for 32 bits), only the symbols of
    @types if given"""
    lines = []
    with open(os.path.join(datadir, 'gen-fixture.map')) as f:
        for line in f:
            a, t, name = line.split()
            if types and t not in types:
                continue
            a = int(a, 16)
            if bits == 32:
                a = a - 0xffffffff81000000 + 0xc0000000
            lines.append('%0*x %s %s' % (bits // 4, a, t, name))
    p = os.path.join(tmp, 'map-%d-%d' % (bits, len(lines)))
    with open(p, 'w') as f:
        f.write('\n'.join(lines) + '\n')
    return p, len(lines)


def gen_kernel(tmp, out, bits, endian, base, banner, types=None):
    m, count = gen_map(tmp, bits, types)
    rc, _, err = run('gen', '--elf', '--bits', str(bits), '--endian', endian, '--base', hex(base), '--banner', banner,
                     '-f', '-o', out, m)
    if rc:
        raise RuntimeError('ksyms gen: ' + err.decode(errors='replace'))
    return count


def gen_mode():
    tmp = tempfile.mkdtemp(prefix='ksyms-scan-')
    root = os.path.join(tmp, 'tree')
    for d in ('boot', 'boot/old', 'firmware', 'other'):
        os.makedirs(os.path.join(root, d))
    p = lambda *x: os.path.join(root, *x)  # noqa: E731
    want = {}  # path -> (num_syms, load, btf, ikconfig)
    b64, b32 = 0xffffffff81000000, 0xc0000000
    want[p('boot', 'vmlinux-64')] = (gen_kernel(tmp, p('boot', 'vmlinux-64'), 64, 'little', b64,
                                                'Linux version 6.6.6-scan64 (t@t) #1 SMP'), b64, False, False)
    want[p('boot', 'old', 'vmlinux-32be')] = (gen_kernel(tmp, p('boot', 'old', 'vmlinux-32be'), 32, 'big', b32,
                                                         'Linux version 5.5.5-scan32 (t@t) #1'), b32, False, False)
    # BTF (tests/btf/mkbtf.py's blob) in a kernel of text symbols only, as
    # without CONFIG_KALLSYMS_ALL: no __start_BTF to go by, found by its header
    want[p('firmware', 'Image-btf')] = (gen_kernel(tmp, p('firmware', 'Image-btf'), 64, 'little', b64,
                                                   'Linux version 6.7.0-btf (t@t) #1', 'tT'), b64, True, False)
    with open(p('firmware', 'Image-btf'), 'ab') as f:
        f.write(bytes(-f.tell() % 8) + mkbtf.blob())
    # gzip around the 64-bit kernel
    with open(p('boot', 'vmlinux-64'), 'rb') as f:
        k64 = f.read()
    with open(p('boot', 'vmlinuz-64.gz'), 'wb') as f:
        f.write(gzip.compress(k64, 6))
    want[p('boot', 'vmlinuz-64.gz')] = want[p('boot', 'vmlinux-64')]
    # IKCONFIG: kernel/configs.c's markers around the gzipped .config
    cfg = b'CONFIG_IKCONFIG=y\nCONFIG_SCAN_TEST=y\n'
    with open(p('firmware', 'with-config'), 'wb') as f:
        f.write(k64 + b'\0' * 64 + b'IKCFG_ST' + gzip.compress(cfg) + b'IKCFG_ED' + b'\0' * 64)
    want[p('firmware', 'with-config')] = (want[p('boot', 'vmlinux-64')][0], b64, False, True)
    # no kernel: a kernel cut in half, random bytes, text, nothing
    none = {p('other', 'half'): k64[:len(k64) // 2], p('other', 'random'): random.Random(18).randbytes(1 << 16),
            p('other', 'README'): b'not a kernel\n' * 100, p('other', 'empty'): b''}
    for path, data in none.items():
        with open(path, 'wb') as f:
            f.write(data)
    # a name with a newline and a backslash: still one line
    none[p('other', 'new\nline\\')] = b'x'
    with open(p('other', 'new\nline\\'), 'wb') as f:
        f.write(b'x')
    # links: to a file (scanned), to a folder (skipped), nowhere, a loop; a fifo
    os.symlink(p('boot', 'vmlinux-64'), p('other', 'link-to-kernel'))
    want[p('other', 'link-to-kernel')] = want[p('boot', 'vmlinux-64')]
    os.symlink(p('boot'), p('other', 'link-to-boot'))
    os.symlink('..', p('boot', 'old', 'loop'))
    os.symlink(p('nowhere'), p('other', 'dangling'))
    os.mkfifo(p('other', 'fifo'))

    # text, -j 1 and -j 2
    rc, out, err = same_across_jobs([root], 'gen tree (text)')
    report(rc == 0, 'scan exits 0 when every file was read, kernel or not', err)
    report(err == b'', 'nothing on stderr without -v (and no progress line: stderr is no terminal)', err)
    lines = out.decode().splitlines()
    paths = [l.split(':', 1)[0].replace('\\x0a', '\n').replace('\\x5c', '\\') for l in lines]
    files = list(want) + list(none)
    report(paths == walked_order(files), 'one line per file, in walk order (each folder sorted)',
           '\n'.join(paths))
    for line in lines:
        path, rest = line.split(':', 1)
        if path in want:
            syms, base, has_btf, has_cfg = want[path]
            ok = ('kernel ' in rest and '%d symbols' % syms in rest and 'load %#x' % base in rest and
                  (', btf' in rest) == has_btf and (', ikconfig' in rest) == has_cfg)
            report(ok, 'text: %s: a kernel, %d symbols, load %#x, btf %s, ikconfig %s'
                   % (os.path.relpath(path, root), syms, base, has_btf, has_cfg), line)
        else:
            report(rest.lstrip().startswith('no kernel'), 'text: %s: no kernel' % os.path.relpath(path, root), line)
    col = {len(l) - len(l.split(':', 1)[1].lstrip()) for l in lines}
    report(len(col) == 1, 'text: the results start in one column', '\n'.join(lines))

    # JSON
    rc, out, err = same_across_jobs(['--json', root], 'gen tree (JSON)')
    objs = jsonl(out, 'scan --json') or []
    report([o.get('path') for o in objs] == walked_order(files), 'JSON: one object per file, in walk order')
    for o in objs:
        rel = os.path.relpath(o['path'], root)
        if o['path'] in want:
            syms, base, has_btf, has_cfg = want[o['path']]
            report(o['kernel'] is True and o['error'] is None and o['failed'] is False and o['num_syms'] == syms and
                   o['load_address'] == '%#x' % base and (o['btf'] is not None) == has_btf and
                   (not has_btf or o['btf']['types'] == 9) and o['ikconfig'] is has_cfg,
                   'JSON: %s: kernel, %d symbols, load %#x, btf %s, ikconfig %s' % (rel, syms, base, has_btf, has_cfg),
                   o)
            agrees_with_info(o, 'JSON: ' + rel)
        else:
            report(o['kernel'] is False and o['failed'] is False and o['error'], 'JSON: %s: no kernel, and why' % rel,
                   o)
    chains = {os.path.relpath(o['path'], root): [c['format'] for c in o.get('chain', [])] for o in objs}
    report(chains.get('boot/vmlinuz-64.gz', [None])[0] == 'gzip', 'JSON: the chain of the gzip kernel starts with gzip',
           chains)

    # -v says what was skipped
    rc, out, err = run('scan', '-v', root)
    e = err.decode()
    for what, why in (('other/fifo', 'a fifo'), ('other/link-to-boot', 'symbolic link to a directory'),
                      ('other/dangling', 'dangling'), ('boot/old/loop', 'symbolic link to a directory')):
        report("'%s': skipped: " % p(what) in e and why in e, '-v: %s skipped (%s)' % (what, why), e)
    # --follow: the link into boot is walked, the loop back up is not
    rc, out, err = run('scan', '--follow', '-v', p('other'), p('boot'))
    report(rc == 0 and p('other', 'link-to-boot', 'vmlinux-64').encode() in out and 'loop' in err.decode(),
           '--follow walks links to folders and stops at a loop', out + err)
    # a path that is not there: exit 1, a line for it, the others still scanned
    rc, out, err = run('scan', p('missing'), p('boot', 'vmlinux-64'))
    report(rc == 1 and re.search(rb'missing: +error: ', out) and b'vmlinux-64: ' in out,
           'a missing path: exit 1 and its line',
           out + err)
    rc, out, err = run('scan', '--json', p('missing'))
    objs = jsonl(out, 'scan --json missing') or [{}]
    report(rc == 1 and objs[0].get('failed') is True and objs[0].get('kernel') is False, 'JSON: a missing path fails',
           out)
    rc, out, err = run('scan')
    report(rc == 2 and not out and err.startswith(b'ksyms: scan: '), 'no PATH: usage error, exit 2', err)
    crash(tmp)
    # info over several files: one JSON object per line
    rc, out, err = run('info', '--json', p('boot', 'vmlinux-64'), p('firmware', 'Image-btf'))
    objs = jsonl(out, 'info --json over two files')
    report(rc == 0 and objs is not None and len(objs) == 2, 'info --json over two files: two lines', out + err)
    shutil.rmtree(tmp)
    print('1..%d' % n)


def crash(tmp):
    """a worker that dies on a file (here killed with SIGSEGV while it reads
    200 MB of gzipped zeros) costs that file's line, and nothing else"""
    d = os.path.join(tmp, 'crash')
    os.makedirs(d)
    with open(os.path.join(d, 'a-random'), 'wb') as f:
        f.write(random.Random(1).randbytes(4096))
    with open(os.path.join(d, 'b-slow.gz'), 'wb') as f:
        z = zlib.compressobj(1, zlib.DEFLATED, 31)
        chunk = bytes(1 << 20)
        for _ in range(200):
            f.write(z.compress(chunk))
        f.write(z.flush())
    with open(os.path.join(d, 'c-random'), 'wb') as f:
        f.write(random.Random(2).randbytes(4096))
    # A sanitizer build would catch the SIGSEGV itself and exit 1; the test
    # is about a worker that dies of a signal, so let the signal through.
    env = dict(os.environ)
    for var in ('ASAN_OPTIONS', 'UBSAN_OPTIONS'):
        env[var] = ':'.join(filter(None, [env.get(var), 'handle_segv=0']))
    proc = subprocess.Popen([ksyms, 'scan', '-j', '1', d], stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
    killed = False
    deadline = time.time() + 60
    while not killed and proc.poll() is None and time.time() < deadline:
        try:
            with open('/proc/%d/task/%d/children' % (proc.pid, proc.pid)) as f:
                kids = [int(x) for x in f.read().split()]
        except OSError:
            kids = []
        for kid in kids:
            try:
                with open('/proc/%d/maps' % kid) as f:
                    if 'b-slow.gz' in f.read():
                        os.kill(kid, signal.SIGSEGV)
                        killed = True
            except OSError:
                pass
        time.sleep(0.01)
    out, err = proc.communicate()
    if not killed:
        report(False, 'crash: the worker reading b-slow.gz was seen and killed', out + err)
        return
    lines = out.decode().splitlines()
    report(proc.returncode == 1 and len(lines) == 3 and re.search(r'b-slow\.gz: +error: ksyms crashed on it \(signal 11', lines[1])
           and 'c-random: ' in lines[2] and 'no kernel' in lines[2],
           'crash: the file whose worker died says so, the next file is still read, exit 1', out + err)


# ----------------------------------------------------------------------------
def corpus_mode():
    corpus = corpuslib.corpus_dir()
    kids = sorted(k for k in os.listdir(corpus) if os.path.isfile(os.path.join(corpus, k, 'meta')))
    if not kids:
        corpuslib.fail('no kernel in the corpus at %s' % corpus)
    tmp = tempfile.mkdtemp(prefix='ksyms-scan-corpus-')
    kernels = {}
    for kid in kids:
        k = corpuslib.Kernel(kid)
        link = os.path.join(tmp, kid)
        os.symlink(k.image, link)
        kernels[link] = k
    os.symlink(kernels[os.path.join(tmp, kids[0])].path('System.map'), os.path.join(tmp, 'System.map'))
    with open(kernels[os.path.join(tmp, kids[-1])].image, 'rb') as f:
        data = f.read()
    with open(os.path.join(tmp, 'cut-short'), 'wb') as f:
        f.write(data[:len(data) // 3])
    with open(os.path.join(tmp, 'random'), 'wb') as f:
        f.write(random.Random(18).randbytes(1 << 20))

    rc, out, err = same_across_jobs(['--json', tmp], 'corpus (JSON)')
    report(rc == 0, 'scan exits 0', err)
    objs = jsonl(out, 'scan --json corpus') or []
    by_path = {o['path']: o for o in objs}
    for link, k in kernels.items():
        o = by_path.get(link)
        if not o or not o.get('kernel'):
            report(False, '%s: a kernel' % k.id, o)
            continue
        info = agrees_with_info(o, k.id)
        proc = k.proc_kallsyms()
        if proc is not None:
            report(o['num_syms'] == len(proc), '%s: %d symbols, as the booted kernel\'s /proc/kallsyms'
                   % (k.id, len(proc)), o['num_syms'])
        smap = {name: a for a, t, name in k.system_map()}
        text = smap.get('_text')
        ok = {text}
        if smap.get('_start') is not None and text is not None and smap['_start'] < text:
            ok.add(smap['_start'])  # riscv: the Image header is at _start, before _text
        report(o['load_address'] is not None and int(o['load_address'], 16) in ok,
               '%s: load address %s is System.map\'s _text (or _start)' % (k.id, o['load_address']),
               [hex(x) for x in ok if x is not None])
        report(o['addresses_verified'] is True, '%s: addresses verified' % k.id, o.get('verify_note'))
        btf = 'CONFIG_DEBUG_INFO_BTF=y' in k.config
        report((o.get('btf') is not None) == btf, '%s: BTF %s, as its config says' % (k.id, 'found' if btf else 'none'),
               o.get('btf'))
        cfg = 'CONFIG_IKCONFIG=y' in k.config
        report(o.get('ikconfig') is cfg, '%s: IKCONFIG %s, as its config says' % (k.id, cfg), o.get('ikconfig'))
        if info:
            report(o['release'] and o['release'] in (info.get('banner') or ''), '%s: release %s from the banner'
                   % (k.id, o['release']))
    for name in ('System.map', 'cut-short', 'random'):
        o = by_path.get(os.path.join(tmp, name), {})
        report(o.get('kernel') is False and o.get('failed') is False and o.get('error'),
               '%s: no kernel, a line that says why' % name, o)
    rc, out, err = run('scan', '-j', '2', tmp)
    report(rc == 0 and len(out.splitlines()) == len(objs), 'text: one line per file', out)
    shutil.rmtree(tmp)
    print('%d checks, %d failed' % (n, fails))


if mode == 'gen':
    gen_mode()
else:
    corpus_mode()
sys.exit(1 if fails else 0)
