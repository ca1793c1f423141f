#!/usr/bin/env python3
"""The Python binding (python/ksyms) against the build tree's libksyms, on
kernels generated from the fixture map (tests/data/gen-fixture.map): every
answer is checked against the map itself or rules computed here, never
against the binding's own earlier output."""
import bisect
import errno
import gzip
import os
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import pylib  # noqa: E402

ksyms = pylib.need_library()
FIX = pylib.read_map()
BASE = 0xffffffff81000000


def expected_lookup(syms, addr):
    """The kernel's %pS rule over a symbol list, computed here: the last
    address at or below addr, its first symbol in table order, the size up
    to the next higher address (the last symbol: unknown here, not checked)."""
    addrs = sorted({a for a, _, _ in syms})
    i = bisect.bisect_right(addrs, addr) - 1
    if i < 0:
        return None
    at = addrs[i]
    first = next(n for a, _, n in syms if a == at)
    size = addrs[i + 1] - at if i + 1 < len(addrs) else None
    return first, addr - at, size


class Generated(unittest.TestCase):
    def test_roundtrip_every_layout(self):
        """generate() then open(): the listing is the input, for every preset, 32/64-bit, both byte orders."""
        short = [s for s in FIX if len(s[2]) < 128]
        n = 0
        for layout in ksyms.layout_presets():
            for bits in (64, 32):
                if layout == '7.0-abs32' and bits == 64:
                    continue
                syms = FIX if not layout.startswith(('2.6', '4.6', '5.10')) else short
                if bits == 32:
                    syms = [(a & 0xffffffff, t, nm) for a, t, nm in syms]
                for endian in ('little', 'big'):
                    with self.subTest(layout=layout, bits=bits, endian=endian):
                        base = BASE & ((1 << bits) - 1)
                        g = ksyms.generate(syms, layout=layout, bits=bits, endian=endian, base=base, elf=True)
                        self.assertEqual(g.num_syms, len(syms))
                        with ksyms.open(g.data) as k:
                            self.assertEqual([(s.addr, s.type, s.name) for s in k], syms)
                            info = k.info
                            self.assertEqual(info['num_syms'], len(syms))
                            self.assertEqual(info['word_size'], bits // 8)
                            self.assertEqual(info['byte_order'], endian)
                            self.assertEqual(info['source_kind'], 'kallsyms')
                            # every table where the generator put it (7.0-abs32: the
                            # decoder calls the u32 table kallsyms_addresses, the
                            # generator kallsyms_offsets; compared by place)
                            self.assertEqual(sorted((v['offset'], v['size']) for v in info['tables'].values()),
                                             sorted((v['offset'], v['size']) for v in g.tables.values()))
                        n += 1
        self.assertGreater(n, 40)

    def test_info_is_every_field(self):
        g = ksyms.generate(FIX, layout='6.4', elf=True, banner='Linux version 6.4.0-py (ksyms test)')
        with ksyms.open(g.data) as k:
            info = k.info
        from ksyms import _native
        self.assertEqual(list(info), [f for f, _ in _native.Info._fields_])
        self.assertEqual(info['layout']['order'], 'names-first')
        self.assertEqual(info['layout']['seqs'], 'after-addresses')
        self.assertEqual(info['layout']['addr_mode'], 'relative')
        self.assertEqual(info['banner'], 'Linux version 6.4.0-py (ksyms test)')
        self.assertTrue(info['base_known'])
        names = dict((n, a) for a, _, n in reversed(FIX))
        self.assertEqual(info['relative_base'], names['_text'])
        self.assertIn('kallsyms_names', info['tables'])
        self.assertIsNotNone(info['tables']['kallsyms_names']['address'])
        # the checks behind addresses_verified, as dicts (a generated ELF's entry point is _text)
        self.assertEqual(len(info['checks']), info['num_checks'])
        self.assertTrue(all(set(c) == {'name', 'held', 'independent', 'detail'} for c in info['checks']))
        entry = [c for c in info['checks'] if c['name'] == 'entry']
        self.assertTrue(entry and entry[0]['held'], info['checks'])
        self.assertIsInstance(info['addresses_verified'], bool)
        with ksyms.open(pylib.FIXTURE, source='system.map') as sm:
            info = sm.info
        self.assertTrue(info['addresses_verified'])  # a list's addresses are its own
        self.assertEqual((info['checks'], info['verify_note']), ([], None))

    def test_lookups(self):
        g = ksyms.generate(FIX, layout='6.4', elf=True)
        with ksyms.open(g.data) as k:
            addrs = sorted({a for a, _, _ in FIX})
            names = dict((n, a) for a, _, n in reversed(FIX))
            # inside the kernel's text, where every era's %pS rule is the same
            text = [a for a in addrs if names['_stext'] <= a < names['_etext']]
            checked = 0
            for i in range(0, len(text) - 1, 7):
                for addr in (text[i], (text[i] + text[i + 1]) // 2, text[i + 1] - 1):
                    want = expected_lookup(FIX, addr)
                    m = k.lookup_addr(addr)
                    self.assertIsNotNone(m, hex(addr))
                    self.assertEqual((m.name, m.offset, m.size), want, hex(addr))
                    self.assertEqual(k[m.index].name, m.name)
                    self.assertEqual(str(m), '%s+%#x/%#x' % want)
                    checked += 1
            self.assertGreater(checked, 300)
            self.assertIsNone(k.lookup_addr(addrs[0] - 1))
            self.assertIsNone(k.lookup_addr(names['_stext'] - 1))  # before _stext: no symbol
            # every name: all its symbols, lowest address first
            by_name = {}
            for a, t, n in FIX:
                by_name.setdefault(n, []).append((a, t, n))
            dups = 0
            for name, want in by_name.items():
                got = k.lookup_name(name)
                self.assertEqual(sorted((s.addr, s.type, s.name) for s in got), sorted(want), name)
                self.assertEqual([s.addr for s in got], sorted(s.addr for s in got), name)
                dups += len(want) > 1
            self.assertGreater(dups, 5)
            self.assertEqual(k.lookup_name('no_such_symbol_anywhere'), [])
            # address order
            self.assertEqual([s.addr for _, s in k.by_address()], sorted(a for a, _, _ in FIX))

    def test_table_sequence(self):
        g = ksyms.generate(FIX, layout='6.1', elf=True)
        with ksyms.open(g.data) as k:
            self.assertEqual(len(k), len(FIX))
            self.assertEqual(tuple(k[0])[:3], FIX[0])
            self.assertEqual(tuple(k[-1])[:3], FIX[-1])
            with self.assertRaises(IndexError):
                k[len(FIX)]
            self.assertIsNone(k[0].module)
        with self.assertRaises(ValueError):
            len(k)

    def test_system_map_and_diff(self):
        g = ksyms.generate(FIX, layout='6.4', elf=True)
        # the fixture is in kallsyms order, not nm -n's: by content it would be a /proc/kallsyms
        with ksyms.open(g.data) as img, ksyms.open(pylib.FIXTURE, source='system.map') as sm:
            self.assertEqual(sm.info['source_kind'], 'System.map')
            self.assertEqual(sorted(tuple(s)[:3] for s in sm), sorted(FIX))
            d = img.diff(sm)
            s = d.summary
            self.assertEqual((s['same'], s['moved'], s['only_a'], s['only_b']), (len(FIX), 0, 0, 0))
            self.assertIsNone(s['slide'])
            self.assertEqual(len(d), len(FIX))
            self.assertTrue(all(e.kind == 'same' and e.a == e.b for e in d))
        # a KASLR-like slide: every symbol moved by it
        slide = 0x2a00000
        moved = pylib.map_text([(a + slide, t, n) for a, t, n in FIX])
        with ksyms.open(g.data) as a, ksyms.open(moved, source='system.map') as b:
            d = ksyms.diff(a, b)
            s = d.summary
            self.assertEqual(s['slide'], slide)
            self.assertEqual(s['moved_by_slide'], len(FIX))
            e = d[0]
            self.assertEqual(e.kind, 'moved')
            self.assertTrue(e.slid)
            self.assertEqual(e.b.addr - e.a.addr, slide)
            a.close()
            self.assertTrue(d.closed)  # closing a table closes the diffs that borrow it

    def test_symbolize(self):
        g = ksyms.generate(FIX, layout='6.4', elf=True)
        addrs = sorted({a for a, _, _ in FIX})
        # not at a symbol's start: a frame is a return address (%pB looks up addr - 1)
        pick = [addrs[100] + 4, addrs[400] + 8, addrs[900] + 2]
        log = ''.join('[    1.%06d]  [<%016x>] \n' % (i, a) for i, a in enumerate(pick))
        log += 'no address here\n'
        with ksyms.open(g.data) as k:
            out = k.symbolize(log)
            self.assertIsInstance(out, str)
            lines = out.splitlines()
            self.assertEqual(len(lines), 4)
            for line, a in zip(lines, pick):
                name, off, size = expected_lookup(FIX, a)
                self.assertIn('%s+%#x/%#x' % (name, off, size), line)
            self.assertEqual(lines[3], 'no address here')
            rep = k.symbolize_report(log.encode())
            self.assertIsInstance(rep.text, bytes)
            self.assertEqual(rep.stats['annotated'], 3)
            self.assertEqual(rep.slide['source'], 'none')
            # a given slide: the log's addresses are run-time ones
            slide = 0x1000000
            slid = ''.join('[<%016x>]\n' % (a + slide) for a in pick)
            rep = k.symbolize_report(slid, slide=slide)
            self.assertEqual(rep.slide['source'], 'given')
            self.assertEqual(rep.stats['annotated'], 3)
            n0, o0, s0 = expected_lookup(FIX, pick[0])
            self.assertIn('%s+%#x/%#x' % (n0, o0, s0), rep.text)

    def test_image_layers_and_banner(self):
        g = ksyms.generate(FIX, layout='6.4', banner='Linux version 9.9.9-py (test)')
        gz = gzip.compress(g.data, mtime=0)
        with tempfile.TemporaryDirectory() as t:
            p = os.path.join(t, 'Image.gz')
            with open(p, 'wb') as f:
                f.write(gz)
            for src in (p, gz):
                with ksyms.open_image(src) as im:
                    self.assertEqual([l.format for l in im.layers], ['gzip', 'raw'])
                    self.assertEqual(im.layers[0].out_size, len(g.data))
                    self.assertEqual(im.kernel(), g.data)
                    self.assertEqual(im.banner(), 'Linux version 9.9.9-py (test)')
                    with self.assertRaises(ksyms.KsymsError) as cm:
                        im.config()
                    self.assertEqual(cm.exception.code, ksyms.ErrorCode.NOT_FOUND)
                    with im.table() as k:
                        self.assertEqual([tuple(s)[:3] for s in k], FIX)
            with ksyms.open(p) as k:
                self.assertEqual(len(k), len(FIX))
                self.assertEqual(k.path, p)

    def test_exports_unknown_for_generated_and_lists(self):
        g = ksyms.generate(FIX, layout='6.4', elf=True)
        with ksyms.open(g.data) as k:
            self.assertEqual(k.exports(), [])
        with ksyms.open(pylib.FIXTURE) as k:
            e = k.exports_info
            self.assertFalse(e['known'])
            self.assertIn('ksymtab', e['unknown_reason'])
            with self.assertRaises(LookupError):
                k.export_of(0)

    def test_names_that_are_not_utf8(self):
        syms = list(FIX[:50])
        raw = b'odd_\xff\xfename'
        syms.insert(10, (syms[10][0], 't', raw.decode('utf-8', 'surrogateescape')))
        g = ksyms.generate(syms, layout='6.4', elf=True, filter=False)
        with ksyms.open(g.data) as k:
            names = [s.name for s in k]
            odd = [n for n in names if n.startswith('odd_')]
            self.assertEqual(len(odd), 1)
            self.assertEqual(odd[0].encode('utf-8', 'surrogateescape'), raw)
            self.assertEqual(len(k.lookup_name(raw)), 1)
            self.assertEqual(len(k.lookup_name(odd[0])), 1)

    def test_errors(self):
        with self.assertRaises(ksyms.KsymsError) as cm:
            ksyms.open('/nonexistent/ksyms-test')
        e = cm.exception
        self.assertEqual(e.code, ksyms.ErrorCode.OS)
        self.assertEqual(e.errno, errno.ENOENT)
        self.assertIsNone(e.offset)
        self.assertEqual(e.path, '/nonexistent/ksyms-test')
        self.assertIn('/nonexistent/ksyms-test', str(e))
        # bad data carries its offset: a token_index that is not ascending
        g = ksyms.generate(FIX, layout='6.4', elf=True)
        ti = g.tables['kallsyms_token_index']['offset']
        bad = bytearray(g.data)
        bad[ti + 200:ti + 204] = bad[ti + 202:ti + 204] + bad[ti + 200:ti + 202]
        with self.assertRaises(ksyms.KsymsError) as cm:
            ksyms.open(bytes(bad), source='kallsyms')
        self.assertIn(cm.exception.code, (ksyms.ErrorCode.BAD_DATA, ksyms.ErrorCode.NOT_FOUND))
        with self.assertRaises(ksyms.KsymsError) as cm:
            ksyms.open(b'\x7fELF\x02\x01\x01')
        self.assertEqual(cm.exception.code, ksyms.ErrorCode.BAD_DATA)
        self.assertIsNotNone(cm.exception.offset)
        with self.assertRaises(ksyms.KsymsError) as cm:
            ksyms.generate(FIX, layout='1.0')
        self.assertEqual(cm.exception.code, ksyms.ErrorCode.INVALID_ARGUMENT)
        with self.assertRaises(ksyms.KsymsError) as cm:
            ksyms.open(g.data, max_symbols=10)
        self.assertEqual(cm.exception.code, ksyms.ErrorCode.TOO_LARGE)
        with self.assertRaises(ValueError):
            ksyms.open(g.data, bits=16)

    def test_log_callback(self):
        g = ksyms.generate(FIX, layout='6.4', elf=True)
        seen = []
        with ksyms.open(g.data, log=lambda level, msg: seen.append((level, msg))):
            pass
        self.assertTrue(seen)
        self.assertTrue(all(isinstance(m, str) and level in (1, 2) for level, m in seen))

    def test_options(self):
        g = ksyms.generate(FIX, layout='7.0', base=BASE)  # raw 7.0: only the caller knows the load address
        with ksyms.open(g.data, base=BASE) as k:
            self.assertTrue(k.info['base_known'])
            self.assertEqual(k.info['base'], BASE)
            self.assertEqual([tuple(s)[:3] for s in k], FIX)
        with ksyms.open(g.data, base=BASE + 0x1000) as k:
            self.assertEqual(k[0].addr, FIX[0][0] + 0x1000)

    def test_versions(self):
        self.assertEqual(ksyms.library_version(), ksyms.version())


if __name__ == '__main__':
    unittest.main(verbosity=2)
