# SPDX-License-Identifier: MIT
"""The C side: libksyms.so.0 loaded with ctypes, and mirrors of the structs
of include/ksyms.h.

Every struct here must match the header field for field; the test
tests/python/test_layout.py compiles the header and compares the size and
every offset, so a field added in C and not here fails the suite.  To mirror
a new field, add one line to the struct's _fields_ (at the same place as in
the header); Table.info picks up every field of struct ksyms_info by itself.
"""
import ctypes
import os
from ctypes import (CFUNCTYPE, POINTER, Structure, c_bool, c_char, c_char_p, c_int, c_int64, c_size_t, c_uint16,
                    c_uint, c_uint8, c_uint32, c_uint64, c_void_p)

# The soname: the ABI this module was written for (lib/ksyms.map, lib/libksyms.abi).
SONAME = 'libksyms.so.0'

c_enum = c_int  # every enum of the header fits an int

KSYMS_TAB_COUNT = 9


class Layout(Structure):
    _fields_ = [
        ('addr_mode', c_enum),
        ('order', c_enum),
        ('seqs', c_enum),
        ('name_len_bytes', c_uint8),
        ('marker_size', c_uint8),
        ('num_syms_size', c_uint8),
        ('align', c_uint16),
        ('seqs_entry_size', c_uint8),
    ]


class TableLoc(Structure):
    _fields_ = [
        ('present', c_bool),
        ('offset', c_uint64),
        ('address', c_uint64),
        ('size', c_uint64),
    ]


LogFn = CFUNCTYPE(None, c_void_p, c_enum, c_char_p)


class OpenOpts(Structure):
    _fields_ = [
        ('sz', c_size_t),
        ('max_output', c_uint64),
        ('max_depth', c_uint),
        ('log', LogFn),
        ('log_ctx', c_void_p),
        ('log_level', c_enum),
        ('kallsyms_only', c_bool),
    ]


class FindOpts(Structure):
    _fields_ = [
        ('sz', c_size_t),
        ('word_size', c_int),
        ('byte_order', c_enum),
        ('has_base', c_bool),
        ('base', c_uint64),
        ('arch', c_char_p),
        ('log', LogFn),
        ('log_ctx', c_void_p),
        ('log_level', c_enum),
        ('max_symbols', c_uint32),
        ('max_name_len', c_uint32),
        ('info_only', c_bool),
    ]


class SourceOpts(Structure):
    _fields_ = [
        ('sz', c_size_t),
        ('kind', c_enum),
        ('open', POINTER(OpenOpts)),
        ('find', POINTER(FindOpts)),
    ]


class Check(Structure):
    _fields_ = [
        ('name', c_char_p),
        ('held', c_bool),
        ('independent', c_bool),
        ('detail', c_char_p),
    ]


class Info(Structure):
    """struct ksyms_info: Table.info turns every field into a dict entry."""
    _fields_ = [
        ('source', c_char_p),
        ('banner', c_char_p),
        ('arch', c_char_p),
        ('arch_source', c_char_p),
        ('word_size', c_int),
        ('byte_order', c_enum),
        ('layout', Layout),
        ('long_names_seen', c_bool),
        ('num_syms', c_uint64),
        ('base_known', c_bool),
        ('base', c_uint64),
        ('base_source', c_char_p),
        ('relative_base', c_uint64),
        ('relative_base_inferred', c_bool),
        ('relative_base_source', c_char_p),
        ('tables', TableLoc * KSYMS_TAB_COUNT),
        ('source_kind', c_enum),
        ('addresses_hidden', c_bool),
        ('module_symbols', c_size_t),
        ('addresses_verified', c_bool),
        ('verify_note', c_char_p),
        ('num_checks', c_size_t),
        ('checks', POINTER(Check)),
    ]


class Layer(Structure):
    _fields_ = [
        ('format', c_char_p),
        ('description', c_char_p),
        ('offset', c_uint64),
        ('size', c_uint64),
        ('out_size', c_uint64),
        ('stopped_early', c_bool),
    ]


class Symbol(Structure):
    _fields_ = [
        ('addr', c_uint64),
        ('name', c_char_p),
        ('module', c_char_p),
        ('type', c_char),
    ]


class Match(Structure):
    _fields_ = [
        ('sym', Symbol),
        ('index', c_size_t),
        ('offset', c_uint64),
        ('size', c_uint64),
        ('alias_pos', c_size_t),
        ('aliases', c_size_t),
    ]


class Export(Structure):
    _fields_ = [
        ('kind', c_enum),
        ('name', c_char_p),
        ('ns', c_char_p),
        ('addr', c_uint64),
        ('index', c_size_t),
    ]


class ExportsInfo(Structure):
    _fields_ = [
        ('known', c_bool),
        ('found_by', c_char_p),
        ('layout', c_char_p),
        ('unknown_reason', c_char_p),
        ('count', c_size_t),
        ('gpl', c_size_t),
        ('with_namespace', c_size_t),
        ('not_in_table', c_size_t),
        ('ksymtab', TableLoc),
        ('ksymtab_gpl', TableLoc),
        ('kflagstab', TableLoc),
    ]


class SymbolizeOpts(Structure):
    _fields_ = [
        ('sz', c_size_t),
        ('has_slide', c_bool),
        ('slide', c_uint64),
        ('has_base', c_bool),
        ('base', c_uint64),
        ('replace', c_bool),
    ]


class SlideInfo(Structure):
    _fields_ = [
        ('source', c_enum),
        ('slide', c_uint64),
        ('offset_line', c_size_t),
        ('kernel_offset', c_uint64),
        ('link_text', c_uint64),
        ('offset_conflict', c_bool),
        ('text_mismatch', c_bool),
        ('frames', c_size_t),
        ('frames_agree', c_size_t),
    ]


class Annotation(Structure):
    _fields_ = [
        ('kind', c_enum),
        ('start', c_size_t),
        ('len', c_size_t),
        ('has_addr', c_bool),
        ('addr', c_uint64),
        ('resolved', c_bool),
        ('match', Match),
        ('reason', c_char_p),
    ]


class SymbolizeStats(Structure):
    _fields_ = [
        ('lines', c_size_t),
        ('annotated', c_size_t),
        ('checked', c_size_t),
        ('mismatches', c_size_t),
        ('mismatch_lines', c_size_t),
        ('unchecked', c_size_t),
    ]


class GenSymbol(Structure):
    _fields_ = [
        ('addr', c_uint64),
        ('name', c_char_p),
        ('type', c_char),
    ]


class GenOpts(Structure):
    _fields_ = [
        ('sz', c_size_t),
        ('layout', Layout),
        ('word_size', c_int),
        ('byte_order', c_enum),
        ('base', c_uint64),
        ('filter', c_bool),
        ('text_only', c_bool),
        ('absolute_percpu', c_bool),
        ('elf', c_bool),
        ('banner', c_char_p),
    ]


class GenResult(Structure):
    _fields_ = [
        ('data', c_void_p),
        ('size', c_size_t),
        ('num_syms', c_size_t),
        ('tables', TableLoc * KSYMS_TAB_COUNT),
    ]


DiffFilter = CFUNCTYPE(c_bool, c_void_p, POINTER(Symbol))


class DiffOpts(Structure):
    _fields_ = [
        ('sz', c_size_t),
        ('filter', DiffFilter),
        ('filter_ctx', c_void_p),
        ('strict', c_bool),
    ]


KSYMS_DIFF_REASON_COUNT = 9


class DiffEntry(Structure):
    _fields_ = [
        ('kind', c_enum),
        ('reason', c_enum),
        ('type_changed', c_bool),
        ('slid', c_bool),
        ('a_index', c_size_t),
        ('b_index', c_size_t),
        ('a', Symbol),
        ('b', Symbol),
    ]


class DiffSummary(Structure):
    _fields_ = [
        ('addr_bits', c_uint),
        ('a_compared', c_size_t),
        ('b_compared', c_size_t),
        ('a_filtered', c_size_t),
        ('b_filtered', c_size_t),
        ('a_modules_skipped', c_size_t),
        ('b_modules_skipped', c_size_t),
        ('same', c_size_t),
        ('moved', c_size_t),
        ('only_a', c_size_t),
        ('only_b', c_size_t),
        ('type_changed', c_size_t),
        ('moved_by_slide', c_size_t),
        ('has_slide', c_bool),
        ('slide', c_uint64),
        ('text_only', c_bool),
        ('by_reason', c_size_t * KSYMS_DIFF_REASON_COUNT),
        ('unexplained', c_size_t),
    ]


# Every struct the tests compare with the C header: C name -> ctypes class.
STRUCTS = {
    'ksyms_layout': Layout, 'ksyms_table_loc': TableLoc, 'ksyms_check': Check, 'ksyms_open_opts': OpenOpts,
    'ksyms_find_opts': FindOpts, 'ksyms_source_opts': SourceOpts, 'ksyms_info': Info,
    'ksyms_layer': Layer, 'ksyms_symbol': Symbol, 'ksyms_match': Match, 'ksyms_export': Export,
    'ksyms_exports_info': ExportsInfo, 'ksyms_symbolize_opts': SymbolizeOpts,
    'ksyms_slide_info': SlideInfo, 'ksyms_annotation': Annotation,
    'ksyms_symbolize_stats': SymbolizeStats, 'ksyms_gen_symbol': GenSymbol, 'ksyms_gen_opts': GenOpts,
    'ksyms_gen_result': GenResult, 'ksyms_diff_opts': DiffOpts, 'ksyms_diff_entry': DiffEntry,
    'ksyms_diff_summary': DiffSummary,
}

Error_p = c_void_p  # struct ksyms_error *: opaque
Handle = c_void_p   # every other opaque handle

# name -> (restype, argtypes)
PROTOTYPES = {
    'ksyms_version': (c_char_p, []),
    'ksyms_error_code': (c_enum, [Error_p]),
    'ksyms_error_message': (c_char_p, [Error_p]),
    'ksyms_error_offset': (c_int64, [Error_p]),
    'ksyms_error_errno': (c_int, [Error_p]),
    'ksyms_error_destroy': (None, [Error_p]),
    'ksyms_free': (None, [c_void_p]),
    'ksyms_image_open': (Error_p, [c_char_p, POINTER(OpenOpts), POINTER(Handle)]),
    'ksyms_image_open_mem': (Error_p, [c_void_p, c_size_t, POINTER(OpenOpts), POINTER(Handle)]),
    'ksyms_image_destroy': (None, [Handle]),
    'ksyms_image_layer_count': (c_size_t, [Handle]),
    'ksyms_image_layer': (POINTER(Layer), [Handle, c_size_t]),
    'ksyms_image_kernel': (c_void_p, [Handle, POINTER(c_size_t)]),
    'ksyms_image_config': (Error_p, [Handle, POINTER(c_void_p), POINTER(c_size_t)]),
    'ksyms_image_banner': (Error_p, [Handle, POINTER(c_void_p)]),
    'ksyms_table_id_name': (c_char_p, [c_enum]),
    'ksyms_addr_mode_name': (c_char_p, [c_enum]),
    'ksyms_table_order_name': (c_char_p, [c_enum]),
    'ksyms_seqs_pos_name': (c_char_p, [c_enum]),
    'ksyms_source_kind_name': (c_char_p, [c_enum]),
    'ksyms_export_kind_name': (c_char_p, [c_enum]),
    'ksyms_slide_source_name': (c_char_p, [c_enum]),
    'ksyms_diff_kind_name': (c_char_p, [c_enum]),
    'ksyms_diff_reason_name': (c_char_p, [c_enum]),
    'ksyms_layout_preset': (Error_p, [c_char_p, c_int, POINTER(Layout)]),
    'ksyms_layout_preset_names': (POINTER(c_char_p), []),
    'ksyms_table_from_image': (Error_p, [Handle, POINTER(FindOpts), POINTER(Handle)]),
    'ksyms_table_open': (Error_p, [c_char_p, POINTER(SourceOpts), POINTER(Handle)]),
    'ksyms_table_read': (Error_p, [Handle, POINTER(SourceOpts), POINTER(Handle)]),
    'ksyms_table_open_mem': (Error_p, [c_void_p, c_size_t, POINTER(SourceOpts), POINTER(Handle)]),
    'ksyms_table_destroy': (None, [Handle]),
    'ksyms_table_info': (POINTER(Info), [Handle]),
    'ksyms_table_count': (c_size_t, [Handle]),
    'ksyms_table_symbol': (c_bool, [Handle, c_size_t, POINTER(Symbol)]),
    'ksyms_table_prepare': (Error_p, [Handle]),
    'ksyms_table_lookup_addr': (c_bool, [Handle, c_uint64, POINTER(Match)]),
    'ksyms_table_by_address': (c_bool, [Handle, c_size_t, POINTER(Symbol), POINTER(c_size_t)]),
    'ksyms_table_lookup_name': (c_size_t, [Handle, c_char_p, POINTER(c_size_t)]),
    'ksyms_table_by_name': (c_bool, [Handle, c_size_t, POINTER(Symbol), POINTER(c_size_t)]),
    'ksyms_table_exports': (POINTER(ExportsInfo), [Handle]),
    'ksyms_table_export': (c_bool, [Handle, c_size_t, POINTER(Export)]),
    'ksyms_table_export_count': (c_size_t, [Handle]),
    'ksyms_table_export_at': (c_bool, [Handle, c_size_t, POINTER(Export)]),
    'ksyms_symbolizer_create': (Error_p, [Handle, POINTER(SymbolizeOpts), POINTER(Handle)]),
    'ksyms_symbolizer_destroy': (None, [Handle]),
    'ksyms_symbolizer_scan': (Error_p, [Handle, c_char_p, c_size_t]),
    'ksyms_symbolizer_slide': (POINTER(SlideInfo), [Handle]),
    'ksyms_symbolize_line': (Error_p, [Handle, c_char_p, c_size_t, POINTER(c_void_p), POINTER(c_size_t)]),
    'ksyms_symbolizer_annotations': (POINTER(Annotation), [Handle, POINTER(c_size_t)]),
    'ksyms_symbolizer_stats': (POINTER(SymbolizeStats), [Handle]),
    'ksyms_generate': (Error_p, [POINTER(GenSymbol), c_size_t, POINTER(GenOpts), POINTER(GenResult)]),
    'ksyms_diff_create': (Error_p, [Handle, Handle, POINTER(DiffOpts), POINTER(Handle)]),
    'ksyms_diff_destroy': (None, [Handle]),
    'ksyms_diff_summary': (POINTER(DiffSummary), [Handle]),
    'ksyms_diff_count': (c_size_t, [Handle]),
    'ksyms_diff_entry': (c_bool, [Handle, c_size_t, POINTER(DiffEntry)]),
}


def _load():
    """libksyms: $KSYMS_LIBRARY (a path, as the build tree's tests set it),
    else the installed soname through the dynamic linker's search path."""
    path = os.environ.get('KSYMS_LIBRARY') or SONAME
    try:
        lib = ctypes.CDLL(path)
    except OSError as e:
        hint = ''
        if 'asan' in str(e).lower() or '__ubsan' in str(e) or '__sanitizer' in str(e):
            hint = (' (an ASan/UBSan build of libksyms needs its sanitizer runtime in the process: run '
                    'python with LD_PRELOAD=$(clang -print-file-name=libclang_rt.asan-x86_64.so), or '
                    '$(gcc -print-file-name=libasan.so) for a gcc build)')
        elif path == SONAME:
            hint = (' (install libksyms0, or set KSYMS_LIBRARY to the path of libksyms.so.0, e.g. '
                    'build/lib/libksyms.so.0 in a build tree)')
        raise ImportError('ksyms: cannot load %s: %s%s' % (path, e, hint)) from e
    for name, (res, args) in PROTOTYPES.items():
        f = getattr(lib, name)
        f.restype = res
        f.argtypes = args
    return lib


lib = _load()
