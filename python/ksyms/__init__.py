# SPDX-License-Identifier: MIT
"""ksyms: the Linux kernel's kallsyms symbol table, read from any kernel image.

A thin layer over libksyms (ctypes; no build step, no third-party module)::

    import ksyms

    with ksyms.open('vmlinuz-6.12.107+deb13-arm64') as k:   # any image or symbol list
        print(k.info['num_syms'], k.info['arch'])
        for sym in k:                                        # Symbol(addr, type, name, module)
            ...
        m = k.lookup_addr(0xffff800080015d20)                # as the kernel's %pS
        print('%s+%#x/%#x' % (m.name, m.offset, m.size))
        print(k.lookup_name('panic'))                        # every symbol of that name
        print(k.symbolize(open('oops.txt').read()))

Errors raise :class:`KsymsError`, which carries the library's code, message
and, for bad data, the file offset.  Names are ``str``; a name byte that is
not UTF-8 is kept as a lone surrogate (``errors='surrogateescape'``), so
``name.encode('utf-8', 'surrogateescape')`` gives the bytes back.

Threads and processes: each :class:`Table`, :class:`Image` and :class:`Diff`
is a separate handle that may be used from any thread, one thread at a time;
the library calls release the GIL, so threads with their own handles run in
parallel.  Handles are not shared across ``fork``: open them in the worker.

The library is ``libksyms.so.0``, found by the dynamic linker, or the file
named by the environment variable ``KSYMS_LIBRARY`` (read only by this
package: the C library never reads the environment).
"""
import ctypes
import enum
import os
from ctypes import byref, c_size_t, c_void_p
from typing import (Any, Callable, Dict, Iterable, Iterator, List, NamedTuple, Optional, Sequence, Tuple,
                    Union)

from . import _native as N
from ._native import lib

__all__ = [
    'KsymsError', 'ErrorCode', 'Symbol', 'Match', 'Export', 'Layer', 'DiffEntry', 'Generated', 'Symbolized',
    'Table', 'Image', 'Diff', 'open', 'open_image', 'diff', 'generate', 'layout_presets', 'version',
    'library_version',
]

__version__ = '0.1.0'

PathOrBytes = Union[str, bytes, 'os.PathLike[str]', bytearray, memoryview]
_SIZE_MAX = ctypes.c_size_t(-1).value


def _s(b: Optional[bytes]) -> Optional[str]:
    return None if b is None else b.decode('utf-8', 'surrogateescape')


def _b(s: Union[str, bytes]) -> bytes:
    return s if isinstance(s, bytes) else s.encode('utf-8', 'surrogateescape')


# --- errors -----------------------------------------------------------------

class ErrorCode(enum.IntEnum):
    """enum ksyms_error_code."""
    NOMEM = 1
    OS = 2
    INVALID_ARGUMENT = 3
    NOT_FOUND = 4
    BAD_DATA = 5
    UNSUPPORTED = 6
    TOO_LARGE = 7


class KsymsError(Exception):
    """An error from libksyms.

    Attributes: ``code`` (:class:`ErrorCode`), ``message`` (the library's
    one-line message), ``offset`` (file offset of the bad data, or None),
    ``errno`` (for ``ErrorCode.OS``, else 0) and ``path`` (the file, if any).
    """

    def __init__(self, code: int, message: str, offset: Optional[int] = None, errno: int = 0,
                 path: Optional[str] = None):
        try:
            self.code: Union[ErrorCode, int] = ErrorCode(code)
        except ValueError:
            self.code = code
        self.message = message
        self.offset = offset
        self.errno = errno
        self.path = path
        super().__init__("'%s': %s" % (path, message) if path else message)


def _check(err: Optional[int], path: Optional[str] = None) -> None:
    if not err:
        return
    try:
        off = lib.ksyms_error_offset(err)
        raise KsymsError(lib.ksyms_error_code(err), _s(lib.ksyms_error_message(err)) or '',
                         None if off < 0 else off, lib.ksyms_error_errno(err), path)
    finally:
        lib.ksyms_error_destroy(err)


# --- records ----------------------------------------------------------------

class Symbol(NamedTuple):
    """One symbol: address, nm type letter, name, and the module ([name]) or None."""
    addr: int
    type: str
    name: str
    module: Optional[str] = None


class Match(NamedTuple):
    """An address lookup, as the kernel's %pS: ``name+offset/size [module]``."""
    symbol: Symbol
    index: int    #: table index of the symbol (its first alias at that address)
    offset: int   #: the address minus symbol.addr
    size: int     #: bytes up to the next higher symbol; 0 if unknown
    aliases: int  #: how many symbols share symbol.addr

    @property
    def name(self) -> str:
        return self.symbol.name

    def __str__(self) -> str:
        s = '%s+%#x/%#x' % (self.symbol.name, self.offset, self.size)
        return s + (' [%s]' % self.symbol.module if self.symbol.module else '')


class Export(NamedTuple):
    """One __ksymtab entry."""
    name: str
    kind: str                 #: 'EXPORT_SYMBOL', 'EXPORT_SYMBOL_GPL', ...
    namespace: Optional[str]  #: EXPORT_SYMBOL_NS namespace, or None
    addr: int
    index: Optional[int]      #: table index of the symbol, None if the table lacks it


class Layer(NamedTuple):
    """One step of an image's container chain, outermost first."""
    format: str
    description: str
    offset: int
    size: int
    out_size: int
    stopped_early: bool


class DiffEntry(NamedTuple):
    """One name (or one copy of a duplicated name) of a :class:`Diff`."""
    kind: str             #: 'same', 'moved', 'only-a', 'only-b'
    reason: str           #: why the difference is expected ('slide', 'absolute', ...); '' if unexplained
    type_changed: bool
    slid: bool
    a: Optional[Symbol]
    b: Optional[Symbol]
    a_index: Optional[int]
    b_index: Optional[int]


class Generated(NamedTuple):
    """What :func:`generate` made."""
    data: bytes
    num_syms: int
    tables: Dict[str, Dict[str, int]]


class Symbolized(NamedTuple):
    """What :meth:`Table.symbolize_report` gives."""
    text: Union[str, bytes]
    slide: Dict[str, Any]
    stats: Dict[str, int]


def _symbol(s: N.Symbol) -> Symbol:
    return Symbol(s.addr, s.type.decode('latin-1'), _s(s.name) or '', _s(s.module))


def _name(fn: Callable[[int], Optional[bytes]]) -> Callable[[int], Optional[str]]:
    return lambda v: _s(fn(v))


_BYTE_ORDER = {0: 'auto', 1: 'little', 2: 'big'}


def _tables(locs: Sequence[N.TableLoc], base_known: bool = True) -> Dict[str, Dict[str, int]]:
    out = {}
    for i, t in enumerate(locs):
        if t.present:
            out[_s(lib.ksyms_table_id_name(i)) or str(i)] = {
                'offset': t.offset, 'address': t.address if base_known else None, 'size': t.size}
    return out


def _loc(t: N.TableLoc) -> Optional[Dict[str, int]]:
    return {'offset': t.offset, 'address': t.address, 'size': t.size} if t.present else None


# How a field of a mirrored struct becomes a Python value, where the
# generic rule (bytes -> str, struct -> dict, number or bool as is) is not
# enough: enums by their library names.
_CONVERT: Dict[str, Callable[[Any], Any]] = {
    'byte_order': lambda v: _BYTE_ORDER.get(v, v),
    'addr_mode': _name(lib.ksyms_addr_mode_name),
    'order': _name(lib.ksyms_table_order_name),
    'seqs': _name(lib.ksyms_seqs_pos_name),
    'source_kind': _name(lib.ksyms_source_kind_name),
}


def _to_dict(st: ctypes.Structure, convert: Optional[Dict[str, Callable[[Any], Any]]] = None) -> Dict[str, Any]:
    """Every field of a mirrored struct, by the generic rule and _CONVERT."""
    conv = dict(_CONVERT, **(convert or {}))
    out: Dict[str, Any] = {}
    for name, _ctype in st._fields_:
        v = getattr(st, name)
        if name in conv:
            v = conv[name](v)
        elif isinstance(v, bytes):
            v = _s(v)
        elif isinstance(v, ctypes.Structure):
            v = _to_dict(v)
        elif isinstance(v, ctypes.Array):
            v = list(v)
        out[name] = v
    return out


# --- options ----------------------------------------------------------------

_ENDIAN = {None: 0, 'auto': 0, 'little': 1, 'big': 2}
_SOURCES = {'auto': 0, 'kallsyms': 1, 'symtab': 2, 'system.map': 3, 'proc': 4}


def _open_opts(max_output: Optional[int], max_depth: Optional[int], kallsyms_only: bool,
               log: Optional[Callable[[int, str], None]], verbose: int) -> Tuple[N.OpenOpts, Any]:
    o = N.OpenOpts(sz=ctypes.sizeof(N.OpenOpts), max_output=max_output or 0, max_depth=max_depth or 0,
                   kallsyms_only=kallsyms_only)
    cb = None
    if log is not None:
        cb = N.LogFn(lambda _ctx, level, msg: log(level, _s(msg) or ''))
        o.log = cb
        o.log_level = 2 if verbose > 1 else 1
    return o, cb


def _find_opts(base: Optional[int], arch: Optional[str], bits: Optional[int], endian: Optional[str],
               max_symbols: Optional[int], max_name_len: Optional[int], log_cb: Any,
               verbose: int) -> Tuple[N.FindOpts, Any]:
    if bits not in (None, 32, 64):
        raise ValueError('bits must be 32 or 64')
    if endian not in _ENDIAN:
        raise ValueError("endian must be 'little' or 'big'")
    arch_b = _b(arch) if arch else None
    f = N.FindOpts(sz=ctypes.sizeof(N.FindOpts), word_size=(bits or 0) // 8, byte_order=_ENDIAN[endian],
                   has_base=base is not None, base=base or 0, arch=arch_b, max_symbols=max_symbols or 0,
                   max_name_len=max_name_len or 0)
    if log_cb is not None:
        f.log = log_cb
        f.log_level = 2 if verbose > 1 else 1
    return f, arch_b


class _Options:
    """Keeps the option structs (and the strings and callbacks they point to) alive during a call."""

    def __init__(self, source: str = 'auto', base: Optional[int] = None, arch: Optional[str] = None,
                 bits: Optional[int] = None, endian: Optional[str] = None, max_output: Optional[int] = None,
                 max_depth: Optional[int] = None, max_symbols: Optional[int] = None,
                 max_name_len: Optional[int] = None, kallsyms_only: bool = False,
                 log: Optional[Callable[[int, str], None]] = None, verbose: int = 1):
        if source not in _SOURCES:
            raise ValueError('source must be one of %s' % ', '.join(_SOURCES))
        self.open, self._cb = _open_opts(max_output, max_depth, kallsyms_only, log, verbose)
        self.find, self._arch = _find_opts(base, arch, bits, endian, max_symbols, max_name_len, self._cb,
                                           verbose)
        self.source = N.SourceOpts(sz=ctypes.sizeof(N.SourceOpts), kind=_SOURCES[source],
                                   open=ctypes.pointer(self.open), find=ctypes.pointer(self.find))


def _path(p: Any) -> str:
    return os.fsdecode(os.fspath(p))


# --- tables -----------------------------------------------------------------

class _Handle:
    _destroy: Callable[[Any], None]

    def __init__(self, h: int):
        self._h: Optional[int] = h

    @property
    def _handle(self) -> int:
        if self._h is None:
            raise ValueError('%s is closed' % type(self).__name__)
        return self._h

    def close(self) -> None:
        """Free the handle now (also done by ``with`` and when the object is collected)."""
        h, self._h = self._h, None
        if h is not None:
            type(self)._destroy(h)

    @property
    def closed(self) -> bool:
        return self._h is None

    def __enter__(self):
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()

    def __del__(self) -> None:
        try:
            self.close()
        except Exception:
            pass


class Table(_Handle):
    """A symbol table: decoded from a kernel image, or read from a System.map,
    a /proc/kallsyms or an ELF .symtab.  Use :func:`open` to get one.

    ``len(t)``, ``t[i]`` and iteration give :class:`Symbol` in table order
    (the order of /proc/kallsyms)."""

    _destroy = staticmethod(lib.ksyms_table_destroy)

    def __init__(self, h: int, path: Optional[str] = None):
        super().__init__(h)
        self.path = path
        self._users: List[_Handle] = []  # diffs borrowing this table: closed before it

    def close(self) -> None:
        for u in self._users:
            u.close()
        self._users = []
        super().close()

    def __repr__(self) -> str:
        if self.closed:
            return '<ksyms.Table closed>'
        return '<ksyms.Table %s: %d symbols from %s>' % (self.path or '(memory)', len(self),
                                                         self.info['source'])

    @property
    def info(self) -> Dict[str, Any]:
        """What ``ksyms info`` prints: every field of struct ksyms_info, by its C name.

        Enums are their short names (``layout['addr_mode'] == 'relative'``);
        ``tables`` maps each kernel table present (``'kallsyms_names'``) to
        ``{'offset', 'address', 'size'}`` (address None when the load
        address is unknown); ``checks`` is a list of ``{'name', 'held',
        'independent', 'detail'}``: what vouches for the addresses
        (``addresses_verified``, ``verify_note``)."""
        inf = lib.ksyms_table_info(self._handle).contents
        return _to_dict(inf, {'tables': lambda v: _tables(v, inf.base_known),
                              'checks': lambda v: [_to_dict(v[i]) for i in range(inf.num_checks)]})

    def __len__(self) -> int:
        return lib.ksyms_table_count(self._handle)

    def __getitem__(self, i: int) -> Symbol:
        n = len(self)
        if i < 0:
            i += n
        s = N.Symbol()
        if not 0 <= i < n or not lib.ksyms_table_symbol(self._handle, i, byref(s)):
            raise IndexError('symbol index out of range')
        return _symbol(s)

    def __iter__(self) -> Iterator[Symbol]:
        h = self._handle
        s = N.Symbol()
        for i in range(lib.ksyms_table_count(h)):
            lib.ksyms_table_symbol(self._handle, i, byref(s))
            yield _symbol(s)

    def by_address(self) -> Iterator[Tuple[int, Symbol]]:
        """(index, symbol) in address order (ties in table order)."""
        s, idx, pos = N.Symbol(), c_size_t(), 0
        while lib.ksyms_table_by_address(self._handle, pos, byref(s), byref(idx)):
            yield idx.value, _symbol(s)
            pos += 1

    def lookup_addr(self, addr: int) -> Optional[Match]:
        """The symbol at or below ``addr`` as the kernel's %pS finds it, or None
        if the address is in no symbol."""
        m = N.Match()
        if not lib.ksyms_table_lookup_addr(self._handle, addr & 0xffffffffffffffff, byref(m)):
            return None
        return Match(_symbol(m.sym), m.index, m.offset, m.size, m.aliases)

    def lookup_name(self, name: Union[str, bytes]) -> List[Symbol]:
        """Every symbol called ``name``, lowest address first (the first is
        what the kernel's kallsyms_lookup_name() returns)."""
        return [s for _, s in self.lookup_name_indexed(name)]

    def lookup_name_indexed(self, name: Union[str, bytes]) -> List[Tuple[int, Symbol]]:
        """As :meth:`lookup_name`, with each symbol's table index."""
        pos = c_size_t()
        n = lib.ksyms_table_lookup_name(self._handle, _b(name), byref(pos))
        out = []
        s, idx = N.Symbol(), c_size_t()
        for p in range(pos.value, pos.value + n):
            lib.ksyms_table_by_name(self._handle, p, byref(s), byref(idx))
            out.append((idx.value, _symbol(s)))
        return out

    # exports

    @property
    def exports_info(self) -> Dict[str, Any]:
        """What is known about the exports: ``known``, ``count``, ``gpl``, ``found_by``,
        ``layout``, ``unknown_reason``, and where __ksymtab and friends are."""
        e = lib.ksyms_table_exports(self._handle).contents
        return _to_dict(e, {'ksymtab': _loc, 'ksymtab_gpl': _loc, 'kflagstab': _loc})

    def exports(self) -> List[Export]:
        """Every __ksymtab entry, in ksymtab order.  Empty if the table's exports
        are unknown (symbol lists have none): see :attr:`exports_info`."""
        e = N.Export()
        out = []
        for i in range(lib.ksyms_table_export_count(self._handle)):
            lib.ksyms_table_export_at(self._handle, i, byref(e))
            out.append(self._export(e))
        return out

    def export_of(self, index: int) -> Optional[Export]:
        """The export of symbol ``index``: an :class:`Export`, or None if it is not
        exported.  Raises LookupError if the table's exports are unknown."""
        e = N.Export()
        if not lib.ksyms_table_export(self._handle, index, byref(e)):
            raise LookupError('exports unknown: %s' % (self.exports_info['unknown_reason'] or 'no index %d' % index))
        return None if e.kind == 0 else self._export(e)

    @staticmethod
    def _export(e: N.Export) -> Export:
        return Export(_s(e.name) or '', _s(lib.ksyms_export_kind_name(e.kind)) or '', _s(e.ns), e.addr,
                      None if e.index == _SIZE_MAX else e.index)

    # logs

    def symbolize(self, text: Union[str, bytes], *, slide: Optional[int] = None, base: Optional[int] = None,
                  replace: bool = False) -> Union[str, bytes]:
        """A kernel log with every kernel address annotated as %pS prints it,
        the KASLR slide read from the log unless ``slide`` (run-time minus
        table address) or ``base`` (run-time address of _text) is given.
        ``replace`` rewrites the bare addresses a kernel without kallsyms
        printed.  Returns the same type it is given."""
        return self.symbolize_report(text, slide=slide, base=base, replace=replace).text

    def symbolize_report(self, text: Union[str, bytes], *, slide: Optional[int] = None,
                         base: Optional[int] = None, replace: bool = False) -> Symbolized:
        """As :meth:`symbolize`, with the slide used and where it came from,
        and counts (``annotated``, ``mismatches``, ...)."""
        data = _b(text)
        o = N.SymbolizeOpts(sz=ctypes.sizeof(N.SymbolizeOpts), has_slide=slide is not None,
                            slide=(slide or 0) & 0xffffffffffffffff, has_base=base is not None, base=base or 0,
                            replace=replace)
        s = c_void_p()
        _check(lib.ksyms_symbolizer_create(self._handle, byref(o), byref(s)))
        try:
            # lines end at b'\n' only, as the CLI reads them
            parts = data.split(b'\n')
            lines = [p + b'\n' for p in parts[:-1]] + ([parts[-1]] if parts[-1] else [])
            for ln in lines:
                _check(lib.ksyms_symbolizer_scan(s, ln, len(ln)))
            out = []
            ptr, n = c_void_p(), c_size_t()
            for ln in lines:
                _check(lib.ksyms_symbolize_line(s, ln, len(ln), byref(ptr), byref(n)))
                out.append(ctypes.string_at(ptr.value, n.value) if n.value else b'')
            sl = _to_dict(lib.ksyms_symbolizer_slide(s).contents,
                          {'source': _name(lib.ksyms_slide_source_name)})
            st = _to_dict(lib.ksyms_symbolizer_stats(s).contents)
        finally:
            lib.ksyms_symbolizer_destroy(s)
        res = b''.join(out)
        return Symbolized(res if isinstance(text, bytes) else _s(res) or '', sl, st)

    def diff(self, other: 'Table', *, strict: bool = False) -> 'Diff':
        """Compare this table (A) with ``other`` (B): see :class:`Diff`."""
        return diff(self, other, strict=strict)


class Diff(_Handle):
    """Two tables compared by name: ``summary`` (counts, the slide), and the
    entries (``len(d)``, ``d[i]``, iteration) as :class:`DiffEntry`, ordered
    by kind (same, moved, only-a, only-b), then address.  It borrows both
    tables: closing either closes the diff."""

    _destroy = staticmethod(lib.ksyms_diff_destroy)

    def __init__(self, h: int, a: Table, b: Table):
        super().__init__(h)
        self.a, self.b = a, b

    @property
    def summary(self) -> Dict[str, Any]:
        """struct ksyms_diff_summary as a dict; ``by_reason`` maps reason names
        (``'unexplained'`` for none) to counts, ``slide`` is None without one."""
        s = lib.ksyms_diff_summary(self._handle).contents
        d = _to_dict(s, {'by_reason': lambda v: {
            (_s(lib.ksyms_diff_reason_name(i)) or 'unexplained'): n for i, n in enumerate(v)}})
        if not s.has_slide:
            d['slide'] = None
        return d

    def __len__(self) -> int:
        return lib.ksyms_diff_count(self._handle)

    def __getitem__(self, i: int) -> DiffEntry:
        n = len(self)
        if i < 0:
            i += n
        e = N.DiffEntry()
        if not 0 <= i < n or not lib.ksyms_diff_entry(self._handle, i, byref(e)):
            raise IndexError('diff entry index out of range')
        return self._entry(e)

    def __iter__(self) -> Iterator[DiffEntry]:
        e = N.DiffEntry()
        i = 0
        while lib.ksyms_diff_entry(self._handle, i, byref(e)):
            yield self._entry(e)
            i += 1

    @staticmethod
    def _entry(e: N.DiffEntry) -> DiffEntry:
        a = None if e.a_index == _SIZE_MAX else _symbol(e.a)
        b = None if e.b_index == _SIZE_MAX else _symbol(e.b)
        return DiffEntry(_s(lib.ksyms_diff_kind_name(e.kind)) or '', _s(lib.ksyms_diff_reason_name(e.reason)) or '',
                         e.type_changed, e.slid, a, b, None if a is None else e.a_index,
                         None if b is None else e.b_index)


class Image(_Handle):
    """An opened kernel image: the container chain unwrapped (``layers``), the
    kernel's bytes, its banner and embedded .config, and its table.  Use
    :func:`open_image`.  The file is mapped, not copied."""

    _destroy = staticmethod(lib.ksyms_image_destroy)

    def __init__(self, h: int, path: Optional[str], opts: _Options, keep: Any = None):
        super().__init__(h)
        self.path = path
        self._opts = opts
        self._keep = keep  # a buffer the image borrows

    @property
    def layers(self) -> List[Layer]:
        out = []
        for i in range(lib.ksyms_image_layer_count(self._handle)):
            l = lib.ksyms_image_layer(self._handle, i).contents
            out.append(Layer(_s(l.format) or '', _s(l.description) or '', l.offset, l.size, l.out_size,
                             l.stopped_early))
        return out

    def kernel(self) -> bytes:
        """A copy of the innermost data: the kernel, every container removed (``ksyms extract``)."""
        n = c_size_t()
        p = lib.ksyms_image_kernel(self._handle, byref(n))
        return ctypes.string_at(p, n.value) if n.value else b''

    def banner(self) -> Optional[str]:
        """The "Linux version ..." line, or None."""
        p = c_void_p()
        err = lib.ksyms_image_banner(self._handle, byref(p))
        if err and lib.ksyms_error_code(err) == ErrorCode.NOT_FOUND:
            lib.ksyms_error_destroy(err)
            return None
        _check(err, self.path)
        try:
            return _s(ctypes.string_at(p.value))
        finally:
            lib.ksyms_free(p)

    def config(self) -> str:
        """The .config embedded with CONFIG_IKCONFIG.  KsymsError (NOT_FOUND) if there is none."""
        p, n = c_void_p(), c_size_t()
        _check(lib.ksyms_image_config(self._handle, byref(p), byref(n)), self.path)
        try:
            return _s(ctypes.string_at(p.value, n.value)) or ''
        finally:
            lib.ksyms_free(p)

    def table(self) -> Table:
        """Find and decode the kallsyms tables (with the options given to :func:`open_image`)."""
        t = c_void_p()
        _check(lib.ksyms_table_from_image(self._handle, byref(self._opts.find), byref(t)), self.path)
        return Table(t.value, self.path)


# --- entry points ---------------------------------------------------------------

def open(src: PathOrBytes, *, source: str = 'auto', base: Optional[int] = None, arch: Optional[str] = None,
         bits: Optional[int] = None, endian: Optional[str] = None, max_output: Optional[int] = None,
         max_depth: Optional[int] = None, max_symbols: Optional[int] = None, max_name_len: Optional[int] = None,
         kallsyms_only: bool = False, log: Optional[Callable[[int, str], None]] = None,
         verbose: int = 1) -> Table:
    """Open any symbol source and read its table.

    ``src`` is a path (a kernel image in any container, an ELF with .symtab,
    a System.map, a saved or live /proc/kallsyms) or the file's bytes.  The
    keyword arguments are the CLI's input options: ``source`` ('auto',
    'kallsyms', 'symtab', 'system.map', 'proc'), ``base`` (virtual address of
    the kernel data's first byte), ``arch``, ``bits`` (32/64), ``endian``
    ('little'/'big'), the limits, ``kallsyms_only`` (a compressed kernel is
    decompressed only as far as its tables; the table has no exports), and ``log``, a
    callable(level, message) for what ``-v`` (``verbose=2``: ``-vv``) prints.
    Use it as a context manager, or call ``close()``."""
    o = _Options(source, base, arch, bits, endian, max_output, max_depth, max_symbols, max_name_len,
                 kallsyms_only, log, verbose)
    t = c_void_p()
    if isinstance(src, (bytes, bytearray, memoryview)):
        buf = bytes(src)
        _check(lib.ksyms_table_open_mem(buf, len(buf), byref(o.source), byref(t)))
        return Table(t.value)
    path = _path(src)
    _check(lib.ksyms_table_open(_b(path), byref(o.source), byref(t)), path)
    return Table(t.value, path)


def open_image(src: PathOrBytes, *, base: Optional[int] = None, arch: Optional[str] = None,
               bits: Optional[int] = None, endian: Optional[str] = None, max_output: Optional[int] = None,
               max_depth: Optional[int] = None, max_symbols: Optional[int] = None,
               max_name_len: Optional[int] = None, kallsyms_only: bool = False,
               log: Optional[Callable[[int, str], None]] = None, verbose: int = 1) -> Image:
    """Open a kernel image (a path or bytes) and unwrap its containers: see
    :class:`Image`.  The options are those of :func:`open`."""
    o = _Options('auto', base, arch, bits, endian, max_output, max_depth, max_symbols, max_name_len,
                 kallsyms_only, log, verbose)
    h = c_void_p()
    if isinstance(src, (bytes, bytearray, memoryview)):
        buf = ctypes.create_string_buffer(bytes(src), len(src))  # borrowed by the image: kept alive
        _check(lib.ksyms_image_open_mem(buf, len(src), byref(o.open), byref(h)))
        return Image(h.value, None, o, buf)
    path = _path(src)
    _check(lib.ksyms_image_open(_b(path), byref(o.open), byref(h)), path)
    return Image(h.value, path, o)


def diff(a: Table, b: Table, *, strict: bool = False) -> Diff:
    """Compare two tables by name (``ksyms diff A B``): see :class:`Diff`.
    ``strict`` explains nothing but the slide."""
    o = N.DiffOpts(sz=ctypes.sizeof(N.DiffOpts), strict=strict)
    d = c_void_p()
    _check(lib.ksyms_diff_create(a._handle, b._handle, byref(o), byref(d)))
    res = Diff(d.value, a, b)
    a._users.append(res)
    b._users.append(res)
    return res


def layout_presets() -> List[str]:
    """The layout names :func:`generate` takes: '2.6', '4.6', ..., '7.0'."""
    p = lib.ksyms_layout_preset_names()
    out = []
    i = 0
    while p[i] is not None:
        out.append(_s(p[i]) or '')
        i += 1
    return out


def generate(symbols: Iterable[Union[Symbol, Tuple[int, str, str]]], *, layout: str = '6.4', bits: int = 64,
             endian: str = 'little', base: Optional[int] = None, elf: bool = False, filter: bool = True,
             text_only: bool = False, absolute_percpu: bool = False,
             banner: Optional[str] = None) -> Generated:
    """Build kallsyms tables from ``(addr, type, name)`` symbols the way the
    kernel's scripts/kallsyms does, in a synthetic image (``ksyms gen``):
    ``layout`` is a preset (:func:`layout_presets`), ``base`` the image's
    first byte's virtual address (default: _text, else the lowest address,
    rounded down to 4 KiB), ``elf`` wraps the tables in an ELF, ``filter``
    applies the build's ignore lists, ``text_only`` keeps text symbols only
    (no CONFIG_KALLSYMS_ALL)."""
    if bits not in (32, 64):
        raise ValueError('bits must be 32 or 64')
    if endian not in ('little', 'big'):
        raise ValueError("endian must be 'little' or 'big'")
    syms = [(int(s[0]), _b(s[1]), _b(s[2])) for s in symbols]
    mask = (1 << bits) - 1
    arr = (N.GenSymbol * len(syms))()
    for i, (addr, typ, name) in enumerate(syms):
        if len(typ) != 1:
            raise ValueError('symbol %r: the type must be one letter' % name)
        arr[i].addr, arr[i].type, arr[i].name = addr & mask, typ, name
    if base is None:
        text = [a for a, _, n in syms if n == b'_text']
        base = (text[0] if text else min((a for a, _, _ in syms), default=0)) & ~0xfff & mask
    o = N.GenOpts(sz=ctypes.sizeof(N.GenOpts), word_size=bits // 8, byte_order=_ENDIAN[endian], base=base,
                  filter=filter, text_only=text_only, absolute_percpu=absolute_percpu, elf=elf,
                  banner=_b(banner) if banner is not None else None)
    _check(lib.ksyms_layout_preset(_b(layout), bits // 8, byref(o.layout)))
    r = N.GenResult()
    _check(lib.ksyms_generate(arr, len(syms), byref(o), byref(r)))
    try:
        data = ctypes.string_at(r.data, r.size)
    finally:
        lib.ksyms_free(r.data)
    return Generated(data, r.num_syms, _tables(r.tables))


def library_version() -> str:
    """The version of the libksyms that was loaded."""
    return _s(lib.ksyms_version()) or ''


def version() -> str:
    """This package's version (the library's: :func:`library_version`)."""
    return __version__
