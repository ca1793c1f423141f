"""Shared helpers of the lookup and export corpus checks: the corpus
kernel's files, its System.map, and its bytes read without ksyms (so that
a check never trusts the code it checks)."""
import lzma
import os
import struct
import subprocess
import sys
import zlib

BITS = {'amd64': 64, 'arm64': 64, 'ppc64el': 64, 'powerpc64le': 64, 's390x': 64, 'riscv64': 64,
        'i386': 32, 'mipsel': 32, 'armel': 32, 'armhf': 32, 'loong64': 64, 'loongarch64': 64,
        'mips64el': 64, 'ppc64': 64, 'powerpc': 32, 'armeb': 32}


def fail(msg):
    print('FAIL: ' + msg)
    sys.exit(1)


def run(cmd, ok=(0,), stdin=None):
    r = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, input=stdin)
    if r.returncode not in ok:
        fail('%s exited %d: %s' % (' '.join(cmd[:4]), r.returncode, r.stderr.decode(errors='replace').strip()))
    return r.stdout


# Where the shared real-kernel corpus sits in a checkout: beside the repository.
SHARED_CORPUS = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '..', '..',
                                              'shared', 'corpus'))


def skip(reason, tap=False):
    """End the test as skipped: meson's exit status 77, or a TAP plan of 0 with a SKIP."""
    if tap:
        print('1..0 # SKIP ' + reason)
        sys.exit(0)
    print('SKIPPED: ' + reason)
    sys.exit(77)


def corpus_dir(tap=False):
    """The unpacked corpus ($KSYMS_CORPUS).  Without one, a corpus test is
    skipped only where there is no corpus to unpack and nobody asked for it:
    with ../shared/corpus beside the repository, or KSYMS_REQUIRE_CORPUS=1
    (CI), a missing corpus fails."""
    corpus = os.environ.get('KSYMS_CORPUS', '')
    if corpus:
        if not os.path.isdir(corpus):
            fail('KSYMS_CORPUS=%s is not a folder: run ../shared/corpus/unpack and set KSYMS_CORPUS '
                 'to the folder it prints' % corpus)
        return corpus
    if os.environ.get('KSYMS_REQUIRE_CORPUS', '') not in ('', '0'):
        fail('KSYMS_CORPUS is not set and KSYMS_REQUIRE_CORPUS=1: run ../shared/corpus/unpack and set '
             'KSYMS_CORPUS to the folder it prints (the corpus tests need it)')
    if os.path.isdir(SHARED_CORPUS):
        fail('KSYMS_CORPUS is not set, but the corpus is at %s: run its unpack and set KSYMS_CORPUS to '
             'the folder it prints (scripts/test does)' % SHARED_CORPUS)
    skip('no real-kernel corpus (KSYMS_CORPUS is not set and there is no ../shared/corpus beside the '
         'repository)', tap)


class Kernel:
    def __init__(self, kid):
        self.id = kid
        self.dir = os.path.join(corpus_dir(), kid)
        if not os.path.isfile(os.path.join(self.dir, 'meta')):
            fail('corpus kernel %s is missing from %s: re-run ../shared/corpus/unpack' % (kid, corpus_dir()))
        self.meta = {}
        with open(os.path.join(self.dir, 'meta')) as f:
            for line in f:
                k, _, v = line.partition(':')
                self.meta[k.strip()] = v.strip()
        self.image = os.path.join(self.dir, self.meta['kernel_file'])
        self.bits = BITS[self.meta['arch']]
        self.mask = (1 << self.bits) - 1
        self.version = tuple(int(x) for x in self.meta['version'].split('.')[:2])
        with open(os.path.join(self.dir, 'config'), errors='replace') as f:
            self.config = f.read()
        self.kallsyms_all = 'CONFIG_KALLSYMS_ALL=y' in self.config
        self._map = None
        self._bytes = None

    def path(self, name):
        return os.path.join(self.dir, name)

    def system_map(self):
        """[(addr, type, name)] in file order; 32-bit addresses masked (MIPS sign-extends them)."""
        if self._map is None:
            self._map = parse_listing(self.path('System.map'), self.mask)
        return self._map

    def proc_kallsyms(self):
        """The booted kernel's own table (vmlinux lines only), or None."""
        p = self.path('proc-kallsyms')
        if not os.path.exists(p):
            return None
        return parse_listing(p, self.mask, skip_modules=True)

    # -- the kernel's bytes, decoded here without ksyms --------------------

    def read(self, va, n):
        data, to_off = self._kernel_bytes()
        off = to_off(va)
        if off is None or off + n > len(data):
            fail('%#x is not in the kernel bytes' % va)
        return data[off:off + n]

    def _kernel_bytes(self):
        if self._bytes is None:
            with open(self.image, 'rb') as f:
                data = f.read()
            if data[0x202:0x206] == b'HdrS':
                data = bzimage_payload(data)
            if data[:4] == b'\x7fELF':
                self._bytes = (data, elf_mapper(data))
            elif data[0x38:0x3c] == b'ARM\x64':
                text = next(a for a, t, n in self.system_map() if n == '_text')
                self._bytes = (data, lambda va: va - text if va >= text else None)
            else:
                fail('%s: no independent reader for this kernel format' % self.id)
        return self._bytes


def parse_listing(path, mask, skip_modules=False):
    out = []
    with open(path, errors='replace') as f:
        for line in f:
            if skip_modules and '\t[' in line:
                continue
            p = line.split()
            if len(p) >= 3:
                out.append((int(p[0], 16) & mask, p[1], p[2]))
    return out


def bzimage_payload(data):
    setup = (data[0x1f1] or 4) + 1
    off, ln = struct.unpack_from('<II', data, 0x248)
    p = data[setup * 512 + off:setup * 512 + off + ln]
    if p[:4] == b'\x28\xb5\x2f\xfd':
        r = subprocess.run(['zstd', '-dcq'], input=p, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        return r.stdout
    if p[:6] == b'\xfd7zXZ\x00':
        return lzma.LZMADecompressor(format=lzma.FORMAT_XZ).decompress(p)
    if p[:2] == b'\x1f\x8b':
        return zlib.decompressobj(31).decompress(p)
    fail('bzImage payload with unknown magic %r' % p[:6])


def elf_mapper(d):
    is64, e = d[4] == 2, '<' if d[5] == 1 else '>'
    segs = []
    if is64:
        phoff, = struct.unpack_from(e + 'Q', d, 0x20)
        phentsize, phnum = struct.unpack_from(e + 'HH', d, 0x36)
        for i in range(phnum):
            t, _, off, va, _, fs, _, _ = struct.unpack_from(e + 'IIQQQQQQ', d, phoff + i * phentsize)
            if t == 1:
                segs.append((off, fs, va))
    else:
        phoff, = struct.unpack_from(e + 'I', d, 0x1c)
        phentsize, phnum = struct.unpack_from(e + 'HH', d, 0x2a)
        for i in range(phnum):
            t, off, va, _, fs, _, _, _ = struct.unpack_from(e + 'IIIIIIII', d, phoff + i * phentsize)
            if t == 1:
                segs.append((off, fs, va))

    def to_off(va):
        for off, fs, v in segs:
            if v <= va < v + fs:
                return off + va - v
        return None
    return to_off


if __name__ == '__main__':
    # For shell tests: print the corpus folder, or the reason and exit 77 (skip) or 1.
    print(corpus_dir())
