#!/usr/bin/env python3
"""ksyms symbolize on synthetic logs, one per report format, against small
symbol-list fixtures (tests/data/oops/synthetic); TAP output.

  symbolize.py KSYMS DATADIR [--update]

Each case's stdout and stderr must equal its golden files in
synthetic/expected/ (--update rewrites them: review the diff).  Whatever
the case, the output must be the input with insertions only, each one an
annotation or a mark.  Binary garbage must come back unchanged, and with
addresses planted in it, with exactly those annotated.
"""
import difflib
import os
import random
import re
import subprocess
import sys

KSYMS, DATA = os.path.abspath(sys.argv[1]), os.path.join(sys.argv[2], 'oops', 'synthetic')
UPDATE = '--update' in sys.argv[3:]
EXPECTED = os.path.join(DATA, 'expected')

# name, args (SRC first), log
CASES = [
    ('x86-panic', ['x86_64.map'], 'x86-panic.log'),
    ('x86-panic-wrong-map', ['x86_64-other.map'], 'x86-panic.log'),
    ('x86-nmi', ['x86_64.map'], 'x86-nmi-stripped.log'),
    ('x86-nmi-replace', ['--replace', 'x86_64.map'], 'x86-nmi-stripped.log'),
    ('x86-nmi-kallsyms', ['x86_64.kallsyms'], 'x86-nmi-stripped.log'),
    ('x86-old-frames', ['x86_64.map'], 'x86-old.log'),
    ('x86-old-wrong-map', ['x86_64-other.map'], 'x86-old.log'),
    ('x86-old-wrong-map-json', ['--json', 'x86_64-other.map'], 'x86-old.log'),
    ('kasan', ['x86_64.map'], 'kasan.log'),
    ('kasan-wrong-map', ['x86_64-other.map'], 'kasan.log'),
    ('lockdep-slide', ['--slide', '0x2a000000', 'x86_64.map'], 'lockdep.log'),
    ('hung-task-no-slide', ['x86_64.map'], 'hung-task.log'),
    ('hung-task-slide', ['--slide', '0x2a000000', 'x86_64.map'], 'hung-task.log'),
    ('hung-task-base', ['--runtime-text', '0xffffffffab000000', 'x86_64.map'], 'hung-task.log'),
    ('hung-task-kallsyms', ['x86_64.kallsyms'], 'hung-task.log'),
    ('soft-lockup-map', ['--slide', '0x2a000000', 'x86_64.map'], 'soft-lockup.log'),
    ('soft-lockup-kallsyms', ['x86_64.kallsyms'], 'soft-lockup.log'),
    ('riscv-frames', ['x86_64.map'], 'riscv.log'),
    ('arm64', ['arm64.map'], 'arm64.log'),
    ('arm64-replace', ['--replace', 'arm64.map'], 'arm64.log'),
]

# What symbolize may insert: " func+0x1c/0x80 [mod]" after a %pS-style
# address, the same in parentheses after other numbers, and marks after a
# symbol the log names.
SYM = rb'[A-Za-z0-9_.$]+\+0x[0-9a-f]+/0x[0-9a-f]+(?: \[[A-Za-z0-9_-]+\])?'
TOKEN = rb'(?:0x)?[0-9a-fA-F]{8,16}|\[<[0-9a-fA-F]+>\]|' + SYM
UNITS = re.compile(rb'(?<![A-Za-z0-9_.$])(' + TOKEN + rb')(?: ' + SYM + rb'| \(' + SYM + rb'\)| \(ksyms: [^)\n]*\))+')
n = 0
failed = 0


def report(ok, desc, detail=''):
    global n, failed
    n += 1
    if not ok:
        failed += 1
        for line in detail.splitlines()[:20]:
            print('#   ' + line)
    print('%s %d - %s' % ('ok' if ok else 'not ok', n, desc))


def run(args, stdin=None):
    p = subprocess.run([KSYMS, 'symbolize'] + args, cwd=DATA, input=stdin, capture_output=True)
    return p.returncode, p.stdout, p.stderr


def only_insertions(src, out):
    """Is @out @src with annotations inserted after tokens, nothing else
    changed?  Dropping every annotation-like run after a token from both
    must leave the same bytes (linear, unlike a diff)."""
    a, b = UNITS.sub(rb'\1', src), UNITS.sub(rb'\1', out)
    if a == b:
        return None
    k = next((i for i in range(min(len(a), len(b))) if a[i] != b[i]), min(len(a), len(b)))
    return 'differs at byte %d: %r -> %r' % (k, a[max(0, k - 40):k + 40], b[max(0, k - 40):k + 40])


def check_insertions(name, log, out):
    bad = None
    if log.count(b'\n') != out.count(b'\n'):
        bad = 'line count %d -> %d' % (log.count(b'\n'), out.count(b'\n'))
    bad = bad or only_insertions(log, out)
    report(bad is None, '%s: only annotations were added' % name, bad or '')


def golden(path, data):
    if UPDATE:
        with open(path, 'wb') as f:
            f.write(data)
        return True, ''
    want = open(path, 'rb').read() if os.path.exists(path) else b''
    if want == data:
        return True, ''
    diff = difflib.unified_diff(want.decode('latin-1').splitlines(), data.decode('latin-1').splitlines(),
                                'expected', 'got', lineterm='')
    return False, '\n'.join(diff)


def cases():
    os.makedirs(EXPECTED, exist_ok=True)
    for name, args, logname in CASES:
        rc, out, err = run(args + [logname])
        ok, why = golden(os.path.join(EXPECTED, name + '.out'), out)
        report(rc == 0 and ok, '%s: stdout' % name, why or 'exit %d' % rc)
        ok, why = golden(os.path.join(EXPECTED, name + '.err'), err)
        report(ok, '%s: stderr' % name, why)
        if '--json' not in args and '--replace' not in args:
            check_insertions(name, open(os.path.join(DATA, logname), 'rb').read(), out)


def stdin_and_file():
    log = open(os.path.join(DATA, 'x86-old.log'), 'rb').read()
    a = run(['x86_64.map', 'x86-old.log'])
    b = run(['x86_64.map'], stdin=log)
    report(a == b, 'stdin gives what the file gives')
    # CRLF line ends, and no final newline, are kept as they are
    crlf = log.replace(b'\n', b'\r\n')[:-2]
    rc, out, _ = run(['x86_64.map'], stdin=crlf)
    report(rc == 0 and out == a[1].replace(b'\n', b'\r\n')[:-2], 'CRLF and a missing final newline are kept')


def garbage():
    rng = random.Random(1234)
    blob = bytes(rng.getrandbits(8) for _ in range(300000))
    rc, out, _ = run(['--slide', '0x2a000000', 'x86_64.map'], stdin=blob)
    report(rc == 0 and out == blob, 'random bytes come back unchanged')
    # plant addresses between spaces: exactly those get annotated
    addr, ann = b'0xffffffffab001024', b' sysrq_handle_crash+0x14/0x20'
    pieces, want = [], []
    for k in range(200):
        chunk = bytes(rng.getrandbits(8) for _ in range(rng.randrange(0, 400)))
        pieces.append(chunk + b' ' + addr + b' ')
        want.append(chunk + b' ' + addr + ann + b' ')
    rc, out, _ = run(['--slide', '0x2a000000', 'x86_64.map'], stdin=b''.join(pieces))
    report(rc == 0 and out == b''.join(want), 'addresses planted in garbage are annotated, nothing else')
    nasty = [
        b'\0' * 100 + b' 0xffffffffab001024\0\n',
        b'x' * 600 + b'+0x1/0x2\n',                      # longer than any kernel name
        b'f' * 40 + b' 0x' + b'f' * 17 + b' [<' + b'f' * 20 + b'>]\n',
        b'[<ffffffffab001024\n[<\n0x\n+0x\nfoo+0x\nfoo+0x1/\nfoo+0x1/0x\n',
        b'Kernel Offset: 0x\nKernel Offset: 0x1 from\nKernel Offset: 0xfffffffffffffffffff from 0x1\n',
        b'\r\n\r\r\n' + b'\xff\xfe' * 1000 + b'\n',
        b'ffffffffab001024' * 5000 + b'\n',               # one word, no boundaries inside
        b' ffffffffab001024' * 5000,                      # a long line of addresses, no newline
    ]
    for k, data in enumerate(nasty):
        rc, out, err = run(['--slide', '0x2a000000', 'x86_64.map'], stdin=data)
        bad = None if rc == 0 else 'exit %d: %s' % (rc, err[:200])
        bad = bad or only_insertions(data, out)
        report(bad is None, 'nasty input %d: no crash, only annotations added' % k, bad or '')


def errors():
    rc, _, err = run(['--slide', '1', '--runtime-text', '2', 'x86_64.map'])
    report(rc == 2 and b'--slide and --runtime-text' in err, '--slide with --runtime-text is a usage error')
    rc, _, err = run(['x86_64.map', 'no-such.log'])
    report(rc == 1 and b'no-such.log' in err, 'a missing LOG is reported')
    rc, _, err = run(['--base', '0x1', 'arm64.log'])
    report(rc == 1, 'a SRC that is no symbol table is refused')


cases()
stdin_and_file()
garbage()
errors()
print('1..%d' % n)
sys.exit(1 if failed else 0)
