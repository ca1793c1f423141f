#!/usr/bin/env python3
"""gen-corpus.py KSYMS ID LAYOUT SOURCE [GEN_OPTION...]

Is `ksyms gen` faithful to scripts/kallsyms?  From a real kernel's symbol
list, `ksyms gen --layout LAYOUT` must rebuild the real image's
kallsyms_num_syms, kallsyms_names, kallsyms_markers, kallsyms_token_table,
kallsyms_token_index and kallsyms_seqs_of_names byte for byte, and its
address table too: relative offsets and relative_base directly, 7.0
place-relative offsets after generating with the base that puts
kallsyms_offsets at the real table's address (they are relative to where
they are).  `ksyms list` of the generated image must equal the booted
kernel's /proc/kallsyms.

SOURCE is
  proc    the vmlinux lines of the corpus's proc-kallsyms (already filtered
          and in table order), generated with --no-filter;
  sysmap  System.map, generated with the build's filters (and whatever
          GEN_OPTIONs the kernel's config implies: --text-only without
          CONFIG_KALLSYMS_ALL, --absolute-percpu on x86-64 before 6.15).

Tables are located with `ksyms info --json`, in the real image and in the
generated one.  The corpus folder comes from $KSYMS_CORPUS; a missing
corpus or kernel is a failure, not a skip.
"""
import json
import os
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'corpus'))
import corpuslib  # noqa: E402

TABLES = ['kallsyms_num_syms', 'kallsyms_names', 'kallsyms_markers', 'kallsyms_token_table',
          'kallsyms_token_index', 'kallsyms_seqs_of_names']


def fail(msg):
    print('FAIL: ' + msg)
    sys.exit(1)


def run(cmd):
    r = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    if r.returncode != 0:
        fail('%s exited %d: %s' % (' '.join(cmd), r.returncode, r.stderr.decode(errors='replace').strip()))
    return r.stdout


def kernel_dir(kid):
    corpus = corpuslib.corpus_dir()
    d = os.path.join(corpus, kid)
    if not os.path.isfile(os.path.join(d, 'meta')):
        fail('corpus kernel %s is missing from %s: re-run ../shared/corpus/unpack' % (kid, corpus))
    return d


def kernel_file(d):
    with open(os.path.join(d, 'meta')) as f:
        for line in f:
            k, _, v = line.partition(':')
            if k.strip() == 'kernel_file':
                return os.path.join(d, v.strip())
    fail('no kernel_file in %s/meta' % d)


def kernel_data(ksyms, image, tmp):
    """The bytes the offsets of `ksyms info` refer to: the innermost layer."""
    info = json.loads(run([ksyms, 'info', '--json', image]))
    if len(info['chain']) > 1:
        out = os.path.join(tmp, 'kernel')
        run([ksyms, 'extract', '--force', '-o', out, image])
        image = out
    with open(image, 'rb') as f:
        return info, f.read()


def tables(info, data):
    return {name: data[loc['offset']:loc['offset'] + loc['size']] for name, loc in info['tables'].items()}


def gen_tables(ksyms, image, base):
    info = json.loads(run([ksyms, 'info', '--json', '--base', hex(base), image]))
    with open(image, 'rb') as f:
        return info, tables(info, f.read())


def compare(name, real, gen):
    if real == gen:
        print('%-24s %9d bytes identical' % (name, len(real)))
        return True
    first = next((i for i in range(min(len(real), len(gen))) if real[i] != gen[i]), min(len(real), len(gen)))
    print('%-24s DIFFERENT: real %d bytes, generated %d, first difference at byte %d'
          % (name, len(real), len(gen), first))
    return False


def generate(ksyms, tmp, layout, smap, base, options):
    out = os.path.join(tmp, 'gen-%x.img' % base)
    run([ksyms, 'gen', '--layout', layout, '--base', hex(base), '--force', '-o', out] + options + [smap])
    return out


def main():
    if len(sys.argv) < 5 or sys.argv[4] not in ('proc', 'sysmap'):
        print(__doc__)
        return 2
    ksyms, kid, layout, source = sys.argv[1:5]
    options = sys.argv[5:]
    d = kernel_dir(kid)
    real_img = kernel_file(d)
    with tempfile.TemporaryDirectory() as tmp:
        proc = None
        if os.path.isfile(os.path.join(d, 'proc-kallsyms')):
            with open(os.path.join(d, 'proc-kallsyms'), 'rb') as f:
                proc = [l for l in f if b'\t[' not in l]
        elif source == 'proc':
            fail('corpus kernel %s has no proc-kallsyms' % kid)
        if source == 'proc':
            smap = os.path.join(tmp, 'vmlinux.kallsyms')
            with open(smap, 'wb') as o:
                o.writelines(proc)
            options = ['--no-filter'] + options
        else:
            smap = os.path.join(d, 'System.map')
        rinfo, rdata = kernel_data(ksyms, real_img, tmp)
        real = tables(rinfo, rdata)
        # the generated image is loaded where the real one is
        base0 = int(rinfo['load_address'], 16)
        options += ['--bits', str(rinfo['bits']), '--endian', rinfo['endian']]
        gen_img = generate(ksyms, tmp, layout, smap, base0, options)
        ginfo, gen = gen_tables(ksyms, gen_img, base0)
        ok = True
        for name in TABLES:
            if name not in real and name not in gen:
                continue  # kallsyms_seqs_of_names before 6.2
            if name not in real or name not in gen:
                fail('%s: not in both images (real %s, generated %s)' % (name, name in real, name in gen))
            ok &= compare(name, real[name], gen[name])
        if 'kallsyms_relative_base' in real:
            ok &= compare('kallsyms_offsets', real['kallsyms_offsets'], gen['kallsyms_offsets'])
            ok &= compare('kallsyms_relative_base', real['kallsyms_relative_base'], gen['kallsyms_relative_base'])
        else:
            # place-relative: generate again with the offsets at the real address
            want = int(rinfo['tables']['kallsyms_offsets']['address'], 16)
            base = (want - ginfo['tables']['kallsyms_offsets']['offset']) & ((1 << 64) - 1)
            _, gen2 = gen_tables(ksyms, generate(ksyms, tmp, layout, smap, base, options), base)
            ok &= compare('kallsyms_offsets', real['kallsyms_offsets'], gen2['kallsyms_offsets'])
        listed = run([ksyms, 'list', '--base', hex(base0), gen_img])
        if proc is None:
            print('no proc-kallsyms for %s: the tables are the check' % kid)
        elif listed != b''.join(proc):
            ok = False
            print('ksyms list of the generated image differs from proc-kallsyms')
        else:
            print('ksyms list of the generated image: identical to proc-kallsyms (%d symbols)' % len(proc))
    if not ok:
        fail('the tables generated from %s differ from %s' % (source, real_img))
    return 0


if __name__ == '__main__':
    sys.exit(main())
