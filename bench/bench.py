#!/usr/bin/env python3
"""bench/bench.py [--ksyms PATH] [--runs N] [--only KERNEL] [--json FILE]

The benchmark: one command that prints the README's performance tables.

For every kernel of the corpus ($KSYMS_CORPUS, as ../shared/corpus/unpack
prints it), evicted from the page cache and read once by `ksyms info` (see
evict()), one warm-up run each, then N rounds (default 7), each running
in turn (so that every ratio compares runs of the same minutes; output
synced after each run, untimed):
  read    cat IMAGE > /dev/null: the cost of reading the file once
  list    ksyms list IMAGE > FILE
  info    ksyms info IMAGE > FILE
  elf     ksyms elf -f -o FILE IMAGE
  codec   the codec's own tool decompressing the payload alone (xz -dc,
          zstd -dc, gzip -dc, ...), cut out where `ksyms info --json` says
          it is: the floor for a compressed kernel
with the median wall time and its min-max, the median CPU time (user +
system) and the peak RSS of each, and list / codec.  Then the lookup rates
of bench-lookups (built beside ksyms), and `scan -j 1` against `-j 2` over
the corpus when ksyms has `scan`.  Machine facts (CPU, cores, load, kernel,
the ksyms commit) come first: timings from a busy machine say so.

It is never part of the tests.  --json FILE also writes every number.
"""
import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
CODEC_TOOLS = {'gzip': ['gzip', '-dc'], 'xz': ['xz', '-dc'], 'lzma': ['xz', '--format=lzma', '-dc'],
               'bzip2': ['bzip2', '-dc'], 'lzo': ['lzop', '-dc'], 'lz4': ['lz4', '-dc'], 'zstd': ['zstd', '-dc']}


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


def run_once(cmd, stdin=None, stdout=None):
    """(wall s, cpu s, peak RSS KiB) of one run, or None if it failed."""
    with open(stdin or os.devnull, 'rb') as i, open(stdout or os.devnull, 'wb') as o:
        t0 = time.perf_counter()
        p = subprocess.Popen(cmd, stdin=i, stdout=o, stderr=subprocess.DEVNULL)
        _, status, ru = os.wait4(p.pid, 0)
        wall = time.perf_counter() - t0
    if status != 0:
        return None
    return wall, ru.ru_utime + ru.ru_stime, ru.ru_maxrss


def summary(rs):
    walls = [r[0] for r in rs]
    return {'wall': statistics.median(walls), 'wall_min': min(walls), 'wall_max': max(walls),
            'cpu': statistics.median(r[1] for r in rs), 'rss_mib': max(r[2] for r in rs) / 1024}


def measure(cmd, runs, stdin=None, stdout=None):
    """Median and range of @runs runs after a warm-up; None if any failed."""
    return measure_together({'one': (cmd, stdin, stdout)}, runs)['one']


def measure_together(jobs, runs):
    """measure() for each of @jobs (name: (cmd, stdin, stdout)), run in turn
    round by round after a warm-up of each: this VM's speed moves by half
    within minutes, and 7 runs of `list` followed by 7 of the codec alone
    once put 6.1 s390x's list / floor at 1.21 where alternating runs gave
    1.02.  Each run's written output is synced before the next run starts,
    untimed: the writeback of `elf`'s 60-100 MB otherwise ran during the
    next command (it slowed `xz -dc` of 6.1 s390x from about 360 to 515 ms).
    None for a command that failed once."""
    ok = {}
    for name, job in jobs.items():
        ok[name] = run_once(*job) is not None
        os.sync()
    samples = {name: [] for name in jobs}
    for _ in range(runs):
        for name, job in jobs.items():
            r = run_once(*job) if ok[name] else None
            os.sync()
            if r is None:
                ok[name] = False
            else:
                samples[name].append(r)
    return {name: summary(samples[name]) if ok[name] else None for name in jobs}


def speed_probe():
    """Milliseconds of a fixed loop of integer arithmetic (best of three):
    what this machine's neighbours leave of its speed now (on the project's
    VM that moved by half within minutes).  Printed at the start and the
    end, so that runs of different times can be compared by it."""
    best = None
    for _ in range(3):
        t0 = time.perf_counter()
        x = 0
        for i in range(1000000):
            x = (x * 31 + i) & 0xffffffff
        ms = (time.perf_counter() - t0) * 1e3
        best = ms if best is None else min(best, ms)
    return best


def machine(ksyms):
    facts = {'date': time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime()), 'kernel': platform.release(),
             'cores': os.cpu_count(), 'load': '%.2f %.2f %.2f' % os.getloadavg()}
    try:
        with open('/proc/cpuinfo') as f:
            facts['cpu'] = next(l.split(':', 1)[1].strip() for l in f if l.startswith('model name'))
        with open('/proc/meminfo') as f:
            facts['memory'] = '%.0f GiB' % (int(f.readline().split()[1]) / 2**20)
    except (OSError, StopIteration):
        pass
    v = subprocess.run([ksyms, '--version'], stdout=subprocess.PIPE, universal_newlines=True)
    facts['ksyms'] = v.stdout.strip().splitlines()[0] if v.stdout else '?'
    g = subprocess.run(['git', '-C', HERE, 'describe', '--always', '--dirty'], stdout=subprocess.PIPE,
                       stderr=subprocess.DEVNULL, universal_newlines=True)
    facts['commit'] = g.stdout.strip() or '?'
    return facts


def payload(info):
    """(codec, file offset, size) of the first compressed stream, from `info --json`."""
    base = 0
    for layer in info['chain']:
        codec = next((c for c in CODEC_TOOLS if layer['format'] == c or (c + ' stream') in layer['description']),
                     None)
        if codec:
            return codec, base + layer['offset'], layer['size']
        base += layer['offset']
    return None


def evict(path):
    """Drop the file's pages from the page cache (they are clean), so that
    the page cache holds it as a first reading leaves it, not as whatever
    wrote it: the corpus's `xz -d` wrote it in 4 KiB pages, while a first
    reading through ksyms's 2 MiB-aligned, huge-page-advised mapping brings
    it in as 2 MiB folios, which a later mapping maps whole (on this VM a
    first scan of the 48 MB 7.2 arm64 Image: 20 ms through 4 KiB pages, 5 ms
    through 2 MiB ones)."""
    if hasattr(os, 'posix_fadvise'):
        fd = os.open(path, os.O_RDONLY)
        try:
            os.posix_fadvise(fd, 0, 0, os.POSIX_FADV_DONTNEED)
        finally:
            os.close(fd)


def bench_kernel(ksyms, kid, img, runs, tmp):
    evict(img)
    info = json.loads(subprocess.run([ksyms, 'info', '--json', img], stdout=subprocess.PIPE, check=True).stdout)
    row = {'kernel': kid, 'file_mb': os.path.getsize(img) / 1e6, 'symbols': info['num_syms'],
           'chain': ' → '.join(l['format'] for l in info['chain']),
           'kernel_mb': info['chain'][-1]['out_size'] / 1e6 if info['chain'] else os.path.getsize(img) / 1e6}
    out = os.path.join(tmp, 'out')
    jobs = {
        'read': (['cat', img], None, None),
        'list': ([ksyms, 'list', img], None, out),
        'info': ([ksyms, 'info', img], None, out),
        'elf': ([ksyms, 'elf', '-f', '-o', out, img], None, None),
    }
    p = payload(info)
    blob = os.path.join(tmp, 'payload')
    if p:
        codec, off, size = p
        with open(img, 'rb') as f, open(blob, 'wb') as t:
            f.seek(off)
            t.write(f.read(size))
        row['codec'] = codec
        jobs['floor'] = (CODEC_TOOLS[codec], blob, None)
    row.update(measure_together(jobs, runs))
    if p:
        os.unlink(blob)
    return row


def ms(m):
    return '%.1f' % (m * 1e3) if m < 1 else '%.0f' % (m * 1e3)


def cell(r):
    if not r:
        return 'fails'
    return '%s ms (%s–%s)' % (ms(r['wall']), ms(r['wall_min']), ms(r['wall_max']))


def print_tables(facts, rows, runs):
    print('Machine: %s, %s cores, %s; Linux %s; load average at start %s' % (
        facts.get('cpu', '?'), facts['cores'], facts.get('memory', '?'), facts['kernel'], facts['load']))
    print('ksyms: %s (commit %s); %s; median of %d rounds after a warm-up, min–max in brackets' % (
        facts['ksyms'], facts['commit'], facts['date'], runs))
    print('Speed probe (a fixed arithmetic loop, best of 3; lower is faster): %.0f ms at the start, '
          '%.0f ms at the end\n' % (facts['probe_start'], facts['probe_end']))
    print('| kernel | input | symbols | read file | `list` wall | `list` CPU | `list` RSS | `info` wall | '
          '`elf` wall | `elf` RSS |')
    print('|---|---|---|---|---|---|---|---|---|---|')
    for r in rows:
        print('| %s | %s, %.1f MB | %d | %s ms | %s | %s ms | %.0f MiB | %s | %s | %.0f MiB |' % (
            r['kernel'], r['chain'], r['file_mb'], r['symbols'], ms(r['read']['wall']) if r['read'] else '-',
            cell(r['list']), ms(r['list']['cpu']) if r['list'] else '-', r['list']['rss_mib'] if r['list'] else 0,
            cell(r['info']), cell(r['elf']), r['elf']['rss_mib'] if r['elf'] else 0))
    comp = [r for r in rows if r.get('floor')]
    if comp:
        print('\n| kernel | payload | codec tool `-dc` (the floor) | `list` | list / floor | `info` / floor | '
              'peak RSS: list / kernel + 64 MiB |')
        print('|---|---|---|---|---|---|---|')
        for r in comp:
            f = r['floor']['wall']
            print('| %s | %s | %s | %s | %.2f | %.2f | %.0f / %.0f MiB |' % (
                r['kernel'], r['codec'], cell(r['floor']), cell(r['list']), r['list']['wall'] / f,
                r['info']['wall'] / f, r['list']['rss_mib'], r['kernel_mb'] * 1e6 / 2**20 + 64))


def lookups(ksyms):
    # ksyms is BUILD/tools/ksyms/ksyms; bench-lookups is BUILD/bench/bench-lookups
    build = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(ksyms))))
    exe = os.path.join(build, 'bench', 'bench-lookups')
    if not os.access(exe, os.X_OK):
        return None
    r = subprocess.run([exe], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, universal_newlines=True)
    return r.stdout.strip()


def scan(ksyms, corpus, runs):
    h = subprocess.run([ksyms, 'scan', '--help'], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    if h.returncode != 0:
        return None
    one = measure([ksyms, 'scan', '-j', '1', corpus], runs)
    two = measure([ksyms, 'scan', '-j', '2', corpus], runs)
    return one, two


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[2])
    ap.add_argument('--ksyms', default=os.path.join(HERE, '..', 'build', 'tools', 'ksyms', 'ksyms'))
    ap.add_argument('--runs', type=int, default=7)
    ap.add_argument('--only', action='append', help='a corpus kernel (repeatable)')
    ap.add_argument('--json', help='write every number to this file too')
    a = ap.parse_args()
    corpus = os.environ.get('KSYMS_CORPUS')
    if not corpus or not os.path.isdir(corpus):
        print('bench.py: KSYMS_CORPUS must point at the unpacked corpus (../shared/corpus/unpack prints it)',
              file=sys.stderr)
        return 1
    if not os.access(a.ksyms, os.X_OK):
        print('bench.py: no ksyms at %s (build it, or give --ksyms)' % a.ksyms, file=sys.stderr)
        return 1
    facts = machine(a.ksyms)
    facts['probe_start'] = speed_probe()
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for kid in sorted(os.listdir(corpus)):
            meta = read_meta(os.path.join(corpus, kid))
            if not meta or (a.only and kid not in a.only):
                continue
            rows.append(bench_kernel(a.ksyms, kid, os.path.join(corpus, kid, meta['kernel_file']), a.runs, tmp))
            print('bench.py: %s done' % kid, file=sys.stderr)
    facts['probe_end'] = speed_probe()
    print_tables(facts, rows, a.runs)
    lk = lookups(a.ksyms)
    if lk:
        print('\nLookups after loading (bench-lookups):\n\n    ' + '\n    '.join(lk.splitlines()))
    sc = None if a.only else scan(a.ksyms, corpus, max(1, a.runs // 2))
    if sc and sc[0] and sc[1]:
        print('\n`ksyms scan` over the corpus: -j 1 %s, -j 2 %s: %.2fx' % (
            cell(sc[0]), cell(sc[1]), sc[0]['wall'] / sc[1]['wall']))
    if a.json:
        with open(a.json, 'w') as f:
            json.dump({'machine': facts, 'kernels': rows, 'lookups': lk,
                       'scan': sc}, f, indent=1)
    return 0


if __name__ == '__main__':
    sys.exit(main())
