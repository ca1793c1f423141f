#!/usr/bin/env python3
"""gen-corpus.py KSYMS ID LAYOUT

Is `ksyms gen` faithful to scripts/kallsyms?  From the vmlinux lines of a
real kernel's /proc/kallsyms (the corpus's proc-kallsyms, already filtered
and in table order), `ksyms gen --layout LAYOUT --no-filter` must rebuild
the real image's kallsyms_names, kallsyms_markers, kallsyms_token_table,
kallsyms_token_index, kallsyms_seqs_of_names and kallsyms_num_syms byte for
byte.  The address table is compared too: relative offsets and
relative_base directly; 7.0 place-relative offsets after generating with
the base that puts kallsyms_offsets at the real table's address (they are
relative to where they are).  The real tables are located with
`ksyms info --json`, the generated ones too.

The corpus folder comes from $KSYMS_CORPUS; a missing corpus or kernel is
a failure, not a skip.
"""
import json
import os
import subprocess
import sys
import tempfile

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
    corpus = os.environ.get('KSYMS_CORPUS', '')
    if not corpus or not os.path.isdir(corpus):
        fail('KSYMS_CORPUS is not set to the unpacked corpus: run ../shared/corpus/unpack and set '
             'KSYMS_CORPUS to the folder it prints (the corpus tests need it)')
    d = os.path.join(corpus, kid)
    if not os.path.isfile(os.path.join(d, 'meta')) or not os.path.isfile(os.path.join(d, 'proc-kallsyms')):
        fail('corpus kernel %s (meta, proc-kallsyms) is missing from %s: re-run ../shared/corpus/unpack'
             % (kid, corpus))
    return d


def kernel_file(d):
    with open(os.path.join(d, 'meta')) as f:
        for line in f:
            k, _, v = line.partition(':')
            if k.strip() == 'kernel_file':
                return os.path.join(d, v.strip())
    fail('no kernel_file in %s/meta' % d)


def tables(ksyms, image, extra=()):
    info = json.loads(run([ksyms, 'info', '--json'] + list(extra) + [image]))
    with open(image, 'rb') as f:
        data = f.read()
    out = {}
    for name, loc in info['tables'].items():
        out[name] = data[loc['offset']:loc['offset'] + loc['size']]
    return info, out


def compare(name, real, gen):
    if real == gen:
        print('%-24s %9d bytes identical' % (name, len(real)))
        return True
    first = next((i for i in range(min(len(real), len(gen))) if real[i] != gen[i]), min(len(real), len(gen)))
    print('%-24s DIFFERENT: real %d bytes, generated %d, first difference at byte %d'
          % (name, len(real), len(gen), first))
    return False


def generate(ksyms, tmp, layout, smap, base):
    out = os.path.join(tmp, 'gen-%x.img' % base)
    run([ksyms, 'gen', '--layout', layout, '--base', hex(base), '--no-filter', '--force', '-o', out, smap])
    return out


def main():
    if len(sys.argv) != 4:
        print(__doc__)
        return 2
    ksyms, kid, layout = sys.argv[1:]
    d = kernel_dir(kid)
    real_img = kernel_file(d)
    with tempfile.TemporaryDirectory() as tmp:
        smap = os.path.join(tmp, 'vmlinux.kallsyms')
        with open(os.path.join(d, 'proc-kallsyms'), 'rb') as f, open(smap, 'wb') as o:
            lines = [l for l in f if b'\t[' not in l]
            o.writelines(lines)
        rinfo, real = tables(ksyms, real_img)
        ok = True
        # the generated image is loaded where the real one is
        base0 = int(rinfo['load_address'], 16)
        gen_img = generate(ksyms, tmp, layout, smap, base0)
        ginfo, gen = tables(ksyms, gen_img, ['--base', hex(base0)])
        for name in TABLES:
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
            _, gen2 = tables(ksyms, generate(ksyms, tmp, layout, smap, base), ['--base', hex(base)])
            ok &= compare('kallsyms_offsets', real['kallsyms_offsets'], gen2['kallsyms_offsets'])
        # and the generated image lists the input back
        listed = run([ksyms, 'list', '--base', hex(base0), gen_img])
        if listed != b''.join(lines):
            ok = False
            print('ksyms list of the generated image differs from proc-kallsyms')
        else:
            print('ksyms list of the generated image: identical to proc-kallsyms (%d symbols)' % len(lines))
    if not ok:
        fail('the generated tables differ from %s' % real_img)
    return 0


if __name__ == '__main__':
    sys.exit(main())
