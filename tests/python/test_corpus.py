#!/usr/bin/env python3
"""test_corpus.py ID: the binding on a real corpus kernel.  Its listing must
be the booted kernel's /proc/kallsyms (vmlinux lines) byte for byte, every
name must look up to its System.map address, the exports must be the
kernel's own __ksymtab_* symbols of System.map, and symbolize must name
a System.map function.  Skipped (77) without a corpus, like every corpus
test (tests/corpus/corpuslib.py)."""
import os
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import pylib  # noqa: E402
import corpuslib  # noqa: E402

corpuslib.corpus_dir()  # skips or fails before anything else
ksyms = pylib.need_library()


def main():
    k = corpuslib.Kernel(sys.argv[1])
    proc = k.proc_kallsyms()
    if proc is None:
        corpuslib.fail('%s has no proc-kallsyms: pick a kernel that has one' % k.id)
    sysmap = {}
    for a, t, n in k.system_map():
        sysmap.setdefault(n, set()).add(a)
    with ksyms.open(k.image) as t:
        got = [(s.addr, s.type, s.name) for s in t]
        if got != proc:
            first = next((i for i, (x, y) in enumerate(zip(got, proc)) if x != y), min(len(got), len(proc)))
            corpuslib.fail('listing differs from the booted kernel at line %d (%d vs %d symbols)'
                           % (first + 1, len(got), len(proc)))
        info = t.info
        if not info['addresses_verified'] or not any(c['held'] and c['independent'] for c in info['checks']):
            corpuslib.fail('addresses not verified: %s %s' % (info['verify_note'], info['checks']))
        if info['num_syms'] != len(proc) or info['tables']['kallsyms_names']['address'] != min(sysmap['kallsyms_names']):
            corpuslib.fail('info: %d symbols, kallsyms_names at %s' % (info['num_syms'],
                                                                    info['tables']['kallsyms_names']['address']))
        # names to addresses: System.map agrees for every name it has
        checked = 0
        for a, ty, n in proc[::97]:
            addrs = {s.addr for s in t.lookup_name(n)}
            if n in sysmap and not addrs <= sysmap[n] | {a}:
                corpuslib.fail('lookup_name(%s) = %s, System.map %s' % (n, sorted(addrs), sorted(sysmap[n])))
            checked += 1
        # exports: the __ksymtab_NAME symbols of System.map (kernels up to 6.x) name what is exported
        exp = t.exports()
        names = {e.name for e in exp}
        ksymtab = {n[len('__ksymtab_'):] for n in sysmap if n.startswith('__ksymtab_')} - {'gpl', 'strings'}
        if ksymtab and names != ksymtab:
            corpuslib.fail('exports: %d, System.map __ksymtab_*: %d (%s)' % (len(names), len(ksymtab),
                                                                          sorted(names ^ ksymtab)[:5]))
        if not exp or not all(e.index is None or t[e.index].name == e.name for e in exp):
            corpuslib.fail('exports: %d entries, or an index that names another symbol' % len(exp))
        func = next(s for s in t.lookup_name('schedule'))
        out = t.symbolize('[<%x>]\n' % (func.addr + 4))
        if 'schedule+0x4/' not in out:
            corpuslib.fail('symbolize: %r' % out)
    # the README's example: the exported functions, by System.map's own type letters
    ex = os.path.join(pylib.ROOT, 'python', 'examples', 'exported-functions')
    r = subprocess.run([sys.executable, ex, k.image], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    if r.returncode:
        corpuslib.fail('%s: %s' % (ex, r.stderr.decode(errors='replace')))
    listed = {line.split()[2] for line in r.stdout.decode().splitlines()}
    types = {}
    for a, ty, n in k.system_map():
        types.setdefault(n, ty)
    funcs = {e.name for e in exp if types.get(e.name, '?') in 'tT'}
    if listed != funcs:
        corpuslib.fail('exported-functions lists %d, System.map types say %d (%s)'
                       % (len(listed), len(funcs), sorted(listed ^ funcs)[:5]))
    print('%s: %d symbols identical to proc-kallsyms; %d names looked up; %d exports%s; symbolize ok; '
          'examples/exported-functions: %d functions' % (k.id, len(got), checked, len(exp),
                                                        ' = System.map __ksymtab_*' if ksymtab else '',
                                                        len(listed)))
    return 0


if __name__ == '__main__':
    sys.exit(main())
