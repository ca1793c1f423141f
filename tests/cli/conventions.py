#!/usr/bin/env python3
"""conventions.py KSYMS

The command line's promises, on small inputs made here (TAP):
  - every command accepts exactly the options its --help lists (each listed
    option is accepted; every option any command knows and this one does
    not list is refused), and the commands that read a kernel share the
    input options;
  - usage errors: exit 2, one line on stderr that starts with 'ksyms: ',
    nothing on stdout; --version; -o FILE (and no file left on failure);
  - every --json output parses, with hostile names (quotes, backslashes,
    control bytes, 0xff, valid multibyte UTF-8) written so that they come
    back byte for byte (the KEY_hex rule);
  - with no SRC, the running kernel, from a fake root ($KSYMS_SYSROOT):
    /proc/kallsyms, else the image when the slide is known, else one line
    saying how to get permission; config from /proc/config.gz or /boot.
"""
import gzip
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

ksyms = os.path.abspath(sys.argv[1])
tmp = tempfile.mkdtemp()
n = 0
fails = 0

COMMANDS = ['info', 'scan', 'list', 'addr2sym', 'sym2addr', 'symbolize', 'diff', 'check-map', 'config', 'extract', 'gen']
# the commands that read a kernel and what they share
INPUT = ['--base', '--arch', '--bits', '--endian', '--source', '--max-symbols', '--max-name-len', '--strict',
         '--max-output', '--max-depth', '--verbose']
IMAGE_ONLY = ['--max-output', '--max-depth', '--verbose']
SHARED = {'info': INPUT, 'scan': INPUT, 'list': INPUT, 'addr2sym': INPUT, 'sym2addr': INPUT, 'symbolize': INPUT, 'diff': INPUT,
          'check-map': INPUT, 'config': IMAGE_ONLY, 'extract': IMAGE_ONLY}
# a value each option with an argument takes without complaint
VALUES = {'--base': '0x1000', '--arch': 'x86_64', '--bits': '64', '--endian': 'little', '--source': 'auto',
          '--max-symbols': '100', '--max-name-len': '100', '--max-output': '1G', '--max-depth': '4',
          '--slide': '0', '--runtime-text': '0', '--kallsyms': 'K', '--step': '0', '--layout': '6.4',
          '--source-a': 'auto', '--source-b': 'auto', '--banner': 'Linux version 1', '--type': 'T',
          '--jobs': '2'}


def d(*parts):
    return ' '.join(x.decode(errors='replace') if isinstance(x, bytes) else str(x) for x in parts)


def report(ok, name, detail=''):
    global n, fails
    n += 1
    print('%s %d - %s' % ('ok' if ok else 'not ok', n, name))
    if not ok:
        fails += 1
        for line in d(detail).splitlines()[:20]:
            print('#   ' + line)


def run(args, env=None, stdin=b''):
    e = dict(os.environ)
    e.pop('KSYMS_SYSROOT', None)
    e.update(env or {})
    r = subprocess.run([ksyms] + args, input=stdin, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=e,
                       cwd=tmp)
    return r.returncode, r.stdout, r.stderr


def path(name):
    return os.path.join(tmp, name)


def write(name, data):
    with open(path(name), 'wb') as f:
        f.write(data)
    return path(name)


def help_options(cmd):
    rc, out, _ = run([cmd, '--help'])
    opts = {}
    for line in out.decode().splitlines():
        m = re.match(r'^  (?:-(\w), )?\s*--([\w-]+)(?: (\S+))?', line)
        if m:
            opts['--' + m.group(2)] = (m.group(1), m.group(3))
    return rc, opts


def one_line_usage_error(rc, out, err):
    lines = err.decode(errors='replace').splitlines()
    return rc == 2 and not out and len(lines) == 1 and lines[0].startswith('ksyms: ')


# ----------------------------------------------------------------------------
def options():
    every = {}
    helps = {}
    for cmd in COMMANDS:
        rc, opts = help_options(cmd)
        report(rc == 0 and '--help' in opts, '%s --help: exit 0, lists --help' % cmd)
        helps[cmd] = opts
        every.update(opts)
        for o in SHARED.get(cmd, []):
            report(o in opts, '%s --help lists the shared %s' % (cmd, o))
        if cmd in SHARED and SHARED[cmd] == IMAGE_ONLY:
            for o in set(INPUT) - set(IMAGE_ONLY):
                report(o not in opts, '%s does not take %s' % (cmd, o))
    for cmd in COMMANDS:
        # every listed option at once (one run: this also runs under Valgrind)
        args, shorts = [cmd], [cmd]
        for o, (short, arg) in sorted(helps[cmd].items()):
            if o in ('--help', '--list-layouts'):
                continue
            args += [o] + ([VALUES.get(o, 'X')] if arg else [])
            if short:
                shorts += ['-' + short] + ([VALUES.get(o, 'X')] if arg else [])
        rc, out, err = run(args + ['--help'])
        report(rc == 0 and out.startswith(b'usage: ksyms ' + cmd.encode()),
               '%s accepts every option its --help lists' % cmd, err)
        rc, out, err = run(shorts + ['--help'])
        report(rc == 0, '%s accepts every short option its --help lists' % cmd, err)
        # and refuses each that another command knows and its help does not list
        for o, (short, arg) in sorted(every.items()):
            if o in helps[cmd]:
                continue
            rc, out, err = run([cmd, o] + ([VALUES.get(o, 'X')] if arg else []) + ['--help'])
            report(one_line_usage_error(rc, out, err) and b'unknown option' in err,
                   '%s refuses %s (not in its --help)' % (cmd, o), err)
    # --strict is one option everywhere it is (the shared input table)
    for cmd in COMMANDS:
        rc, out, err = run([cmd, '--bogus-option'])
        report(one_line_usage_error(rc, out, err) and err.startswith(b'ksyms: %s: unknown option' % cmd.encode()),
               '%s: an unknown option is one line prefixed ksyms:' % cmd, err)
        rc, out, err = run([cmd, '-Z'])
        report(one_line_usage_error(rc, out, err), '%s: an unknown short option' % cmd, err)
    rc, out, err = run(['list', '--max-output'])
    report(one_line_usage_error(rc, out, err) and b'needs an argument' in err, 'a missing argument', err)
    rc, out, err = run(['list', '--max-depth', '0', 'x'])
    report(one_line_usage_error(rc, out, err) and b'--max-depth' in err, 'a bad limit names its option', err)
    rc, out, err = run(['--version'])
    report(rc == 0 and out.startswith(b'ksyms '), '--version', d(out, err))
    rc, out, err = run(['nosuchcommand'])
    report(rc == 2 and not out and err.startswith(b'ksyms: '), 'an unknown command', err)


# ----------------------------------------------------------------------------
# Hostile names: they go through a System.map, the image ksyms gen makes of
# it, and every --json.
# Control bytes in a name are refused by every reader (a System.map line
# with one is malformed; no kallsyms token holds one), and the decoder does
# not take multibyte UTF-8 in names yet: those come through the map only,
# control bytes through log text, file names and .config values.
IMG_NAMES = [b'quo"te', b'back\\slash', b'ff\xffbyte', b'</script>&amp;']
MAP_NAMES = IMG_NAMES + [b'utf8_\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80', b'bad_utf8_\xc3(\xe0\x80\xaf\xed\xa0\x80']
HOSTILE = MAP_NAMES
BASE = 0xffffffff81000000


def fixture_map(names=IMG_NAMES):
    lines = [b'%016x T _stext' % BASE, b'%016x T _text' % BASE]
    addr = BASE + 0x100
    for name in names:
        lines.append(b'%016x T %s' % (addr, name))
        addr += 0x100
    lines.append(b'%016x T plain_func' % addr)
    lines.append(b'%016x T _etext' % (addr + 0x100))
    lines.append(b'%016x D some_data' % (BASE + 0x100000))
    lines.append(b'%016x B _end' % (BASE + 0x200000))
    return b'\n'.join(lines) + b'\n'


def unhex(obj, key):
    """The exact bytes of member KEY: KEY_hex if present, else its UTF-8."""
    if key + '_hex' in obj:
        return bytes.fromhex(obj[key + '_hex'])
    return obj[key].encode('utf-8')


def parse_lines(out, what):
    try:
        return [json.loads(l) for l in out.decode('utf-8').splitlines()]
    except Exception as e:  # noqa: BLE001
        report(False, what + ': every line parses', '%s\n%r' % (e, out[:500]))
        return None


def no_surrogates(out):
    return not re.search(rb'\\u[dD][89abAB]', out)


def hostile_json(sm, img):
    for src, label, HOSTILE in ((sm, 'System.map', MAP_NAMES), (img, 'image', IMG_NAMES)):
        rc, out, err = run(['list', '--json', src])
        objs = parse_lines(out, 'list --json ' + label)
        if objs is not None:
            names = [unhex(o, 'name') for o in objs]
            report(rc == 0 and all(h in names for h in HOSTILE), 'list --json (%s): every name back exactly' % label,
                   d(err, repr(names)))
            report(no_surrogates(out), 'list --json (%s): no lone surrogates' % label)
        addrs = ['%x' % (BASE + 0x100 * (k + 1) + 4) for k in range(len(HOSTILE))]
        rc, out, err = run(['addr2sym', '--json', src] + addrs)
        objs = parse_lines(out, 'addr2sym --json ' + label)
        if objs is not None:
            got = [unhex(o, 'name') for o in objs]
            sym = [unhex(o, 'symbol') for o in objs]
            report(rc == 0 and got == HOSTILE, 'addr2sym --json (%s): names back exactly' % label, d(err, repr(got)))
            report(sym == [h + b'+0x4/0x100' for h in HOSTILE], 'addr2sym --json (%s): symbol back exactly' % label,
                   repr(sym))
        names = [h.decode('utf-8', 'surrogateescape') for h in HOSTILE]
        r = subprocess.run([ksyms, 'sym2addr', '--json', src] + [os.fsencode(x) for x in names],
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        objs = parse_lines(r.stdout, 'sym2addr --json ' + label)
        if objs is not None:
            report(r.returncode == 0 and [unhex(o, 'name') for o in objs] == HOSTILE and
                   [unhex(o, 'query') for o in objs] == HOSTILE, 'sym2addr --json (%s): names and queries back' % label,
                   d(r.stderr, repr(objs)))
    # symbolize: the log's own bytes come back in "text"
    log = b''.join(b'[    1.0] ? 0x%016x %s\xff\x01\x1b[0m\xc3\xa9\n' % (BASE + 0x100 * (k + 1) + 8, b'x"\\' * k)
                   for k in range(len(HOSTILE)))
    rc, out, err = run(['symbolize', '--json', '--slide', '0', sm], stdin=log)
    try:
        obj = json.loads(out.decode('utf-8'))
        syms = [unhex(f, 'symbol') for f in obj['findings'] if 'symbol' in f]
        report(rc == 0 and syms == HOSTILE, 'symbolize --json: symbols back exactly', d(err, repr(syms)))
        texts = [unhex(f, 'text') for f in obj['findings']]
        report(all(t.startswith(b'0x') for t in texts), 'symbolize --json: the log\'s text back exactly',
               repr(texts))
        report(no_surrogates(out), 'symbolize --json: no lone surrogates')
    except Exception as e:  # noqa: BLE001
        report(False, 'symbolize --json parses', d(e, out[:300]))
    # diff: the two lists differ in every hostile name
    other = write('other.map', fixture_map(MAP_NAMES).replace(b' T ', b' t '))
    rc, out, err = run(['diff', '--json', '-a', sm, other])
    try:
        obj = json.loads(out.decode('utf-8'))
        got = [unhex(d['a'], 'name') for d in obj['differences'] if 'a' in d]
        report(rc == 1 and all(h in got for h in HOSTILE), 'diff --json: names back exactly', d(err, repr(got)))
    except Exception as e:  # noqa: BLE001
        report(False, 'diff --json parses', d(e, out[:300]))
    # info and check-map: a hostile file name
    hostile_file = os.path.join(os.fsencode(tmp), b'map "\xff\x01.map')
    shutil.copy(sm, hostile_file)
    r = subprocess.run([ksyms, 'info', '--json', hostile_file], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        obj = json.loads(r.stdout.decode('utf-8'))
        report(r.returncode == 0 and unhex(obj, 'file') == hostile_file, 'info --json: a hostile file name back')
    except Exception as e:  # noqa: BLE001
        report(False, 'info --json parses', '%s %r' % (e, r.stdout[:300]))
    r = subprocess.run([ksyms, 'check-map', '--json', '-k', hostile_file, hostile_file], stdout=subprocess.PIPE,
                       stderr=subprocess.PIPE)
    try:
        obj = json.loads(r.stdout.decode('utf-8'))
        report(r.returncode == 0 and unhex(obj, 'map') == hostile_file and obj['match'] is True,
               'check-map --json: a hostile file name back', r.stderr)
    except Exception as e:  # noqa: BLE001
        report(False, 'check-map --json parses', '%s %r' % (e, r.stdout[:300]))
    # info over several files: one object per line
    rc, out, err = run(['info', '--json', sm, img, sm])
    objs = parse_lines(out, 'info --json over three files')
    report(objs is not None and len(objs) == 3 and rc == 0, 'info --json over three files: three lines', err)


# ----------------------------------------------------------------------------
# The running kernel, in a fake root.
RELEASE = os.uname().release


def fake_root(name, sm, img, kallsyms, cmdline=b'console=ttyS0\n', config=None, config_gz=None, kptr=b'1'):
    root = path(name)
    for d in ('proc/sys/kernel', 'boot', 'sys/kernel/btf'):
        os.makedirs(os.path.join(root, d), exist_ok=True)
    if kallsyms is not None:
        shutil.copy(kallsyms, os.path.join(root, 'proc/kallsyms'))
    if img:
        shutil.copy(img, os.path.join(root, 'boot/vmlinuz-' + RELEASE))
    if sm:
        shutil.copy(sm, os.path.join(root, 'boot/System.map-' + RELEASE))
    with open(os.path.join(root, 'proc/cmdline'), 'wb') as f:
        f.write(cmdline)
    with open(os.path.join(root, 'proc/sys/kernel/kptr_restrict'), 'wb') as f:
        f.write(kptr + b'\n')
    with open(os.path.join(root, 'proc/version'), 'wb') as f:
        f.write(b'Linux version %s (test) #1\n' % RELEASE.encode())
    if config is not None:
        with open(os.path.join(root, 'boot/config-' + RELEASE), 'wb') as f:
            f.write(config)
    if config_gz is not None:
        with open(os.path.join(root, 'proc/config.gz'), 'wb') as f:
            f.write(gzip.compress(config_gz))
    return root


def running(img_map, img):
    visible = write('kallsyms', fixture_map())
    hidden = write('hidden', re.sub(rb'^[0-9a-f]{16}', b'0' * 16, fixture_map(), flags=re.M))
    want_list = run(['list', visible])[1]
    cfg = b'CONFIG_X=y\nCONFIG_S="a \\"q\\""\nCONFIG_C="\x01\xff"\n# CONFIG_RANDOMIZE_BASE is not set\n'
    root = fake_root('root-visible', img_map, img, visible, config_gz=cfg)
    env = {'KSYMS_SYSROOT': root}
    rc, out, err = run(['list'], env)
    report(rc == 0 and out == want_list, 'list with no SRC: the running kernel\'s /proc/kallsyms', err)
    rc, out, err = run(['addr2sym', '%x' % (BASE + 0x104)], env)
    report(rc == 0 and out.startswith(b'%016x quo"te+0x4/0x100' % (BASE + 0x104)), 'addr2sym with no SRC', d(out, err))
    rc, out, err = run(['sym2addr', 'plain_func'], env)
    report(rc == 0 and b' T plain_func' in out, 'sym2addr with no SRC', d(out, err))
    rc, out, err = run(['symbolize', '-q'], env, stdin=b'[ 1.0] ? 0x%016x\n' % (BASE + 0x104))
    report(rc == 0 and b'quo"te+0x4/0x100' in out, 'symbolize with no SRC, log on stdin', d(out, err))
    rc, out, err = run(['diff', '--summary', visible], env)
    report(rc == 0 and b'unexplained:  0' in out, 'diff with one source: against the running kernel', d(out, err))
    rc, out, err = run(['check-map'], env)
    report(rc == 0 and b'matches' in out, 'check-map with no argument: /boot/System.map-R and /proc/kallsyms',
           d(out, err))
    rc, out, err = run(['info'], env)
    report(rc == 0 and b'running:       ' + RELEASE.encode() in out and b'/proc/config.gz' in out and
           b'btf:           none' in out, 'info with no SRC: the running kernel, its BTF and config', d(out, err))
    rc, out, err = run(['info', '--json'], env)
    try:
        obj = json.loads(out)
        report(obj['running']['release'] == RELEASE and obj['running']['btf'] is None and
               obj['running']['config'].endswith('/proc/config.gz') and obj['file'].endswith('/boot/vmlinuz-' + RELEASE),
               'info --json with no SRC: "running"', out)
    except Exception as e:  # noqa: BLE001
        report(False, 'info --json with no SRC parses', '%s %r %r' % (e, out, err))
    rc, out, err = run(['config'], env)
    report(rc == 0 and out == cfg and RELEASE.encode() in err, 'config with no IMAGE: /proc/config.gz', d(out, err))
    rc, out, err = run(['config', '--json'], env)
    try:
        obj = json.loads(out)
        opts = obj['options']
        report({k: v for k, v in opts.items() if not k.startswith('CONFIG_C')} ==
               {'CONFIG_X': 'y', 'CONFIG_S': 'a "q"', 'CONFIG_RANDOMIZE_BASE': None} and
               unhex(opts, 'CONFIG_C') == b'\x01\xff', 'config --json: options, values back exactly', out)
    except Exception as e:  # noqa: BLE001
        report(False, 'config --json parses', '%s %r %r' % (e, out, err))
    # /proc/kallsyms hidden: the image, whose addresses are the run-time
    # ones when the configuration says there is no slide
    root = fake_root('root-hidden', None, img, hidden, config=cfg)
    env = {'KSYMS_SYSROOT': root}
    rc, out, err = run(['list'], env)
    want_img = run(['list', img])[1]
    report(rc == 0 and out == want_img, 'hidden /proc/kallsyms, no slide: the image', err)
    rc, out, err = run(['config'], env)
    report(rc == 0 and out == cfg, 'config with no IMAGE: /boot/config-R', err)
    # ... or nokaslr on the command line
    root = fake_root('root-nokaslr', None, img, hidden, cmdline=b'ro nokaslr quiet\n')
    rc, out, err = run(['list'], {'KSYMS_SYSROOT': root})
    report(rc == 0 and out == want_img, 'hidden /proc/kallsyms, nokaslr: the image', err)
    # a slide the system does not show: one line, how to get permission
    root = fake_root('root-kaslr', None, img, hidden, config=b'CONFIG_RANDOMIZE_BASE=y\n')
    env = {'KSYMS_SYSROOT': root}
    for args in (['list'], ['addr2sym', '%x' % BASE], ['sym2addr', 'plain_func']):
        rc, out, err = run(args, env)
        report(rc == 1 and not out and len(err.splitlines()) == 1 and b'run as root' in err and
               b'kernel.kptr_restrict=1' in err, '%s, hidden and slid: one line on how to get permission' % args[0],
               err)
    rc, out, err = run(['symbolize', '-q'], env, stdin=b'[ 1.0] ? 0x%016x\n' % (BASE + 0x104))
    report(rc == 0 and b'quo"te+0x4/0x100' in out, 'symbolize, hidden and slid: the image (slide from the log)',
           d(out, err))
    root = fake_root('root-bare', None, None, hidden)
    rc, out, err = run(['list'], {'KSYMS_SYSROOT': root})
    report(rc == 1 and not out and len(err.splitlines()) == 1 and b'run as root' in err, 'hidden and no image: one line',
           err)
    rc, out, err = run(['config'], {'KSYMS_SYSROOT': root})
    report(rc == 1 and not out and len(err.splitlines()) == 1, 'config with no configuration anywhere: one line', err)
    root = fake_root('root-kptr2', None, None, hidden, kptr=b'2')
    rc, out, err = run(['list'], {'KSYMS_SYSROOT': root})
    report(rc == 1 and not out and b"sysctl kernel.kptr_restrict=1" in err,
           'kptr_restrict=2: says to lower it first (root sees zeros too)', err)


# ----------------------------------------------------------------------------
def output_and_stdin(sm, img):
    out_file = path('listing.txt')
    rc, out, err = run(['list', '-o', out_file, sm])
    with open(out_file, 'rb') as f:
        report(rc == 0 and not out and f.read() == run(['list', sm])[1], 'list -o FILE', err)
    rc, out, err = run(['list', '-o', path('bad.txt'), path('nonexistent')])
    report(rc == 1 and not os.path.exists(path('bad.txt')) and not [x for x in os.listdir(tmp) if 'ksyms-' in x],
           'list -o FILE on a failure leaves no file', err)
    with open(sm, 'rb') as f:
        rc, out, err = run(['list', '-'], stdin=f.read())
    report(rc == 0 and out == run(['list', sm])[1], "list - reads stdin", err)
    rc, out, err = run(['diff', '-', '-'])
    report(one_line_usage_error(rc, out, err) and b'stdin' in err, 'diff - -: a usage error', err)
    rc, out, err = run(['extract', '-o', path('x'), sm])
    report(rc == 1 and not out and len(err.splitlines()) == 1 and b'no kernel found' in err and
           not os.path.exists(path('x')), 'extract on a file with no kernel: exit 1, one line', err)
    rc, out, err = run(['extract', '-o', '-', img])
    report(rc == 0 and len(out) > 0, 'extract of a kernel', err)


def main():
    sm = write('hostile.map', fixture_map(MAP_NAMES))
    img = path('hostile.img')
    rc, out, err = run(['gen', '--no-filter', '-o', img, write('img.map', fixture_map(IMG_NAMES))])
    report(rc == 0, 'gen makes a kernel with hostile names', err)
    options()
    hostile_json(sm, img)
    running(path('img.map'), img)
    output_and_stdin(sm, img)
    print('1..%d' % n)
    if not fails:
        shutil.rmtree(tmp)
    sys.exit(1 if fails else 0)


main()
