#!/usr/bin/env python3
"""mkbtf.py OUT [--big-endian] [--lie WHAT]

A small BTF blob as the kernel lays out .BTF (include/uapi/linux/btf.h):
int, a pointer to it, struct task_struct { int pid; int tgid; char comm[16];
struct task_struct *real_parent; }, a typedef and a function prototype.
--lie makes one header or type field claim more than is there, for the
hostile-input tests: type_len, str_len, str_off, hdr_len, vlen, name_off,
type_ref, kind, no_nul (strings that do not end in a NUL).
"""
import struct
import sys


def blob(be=False, lie=None):
    e = '>' if be else '<'
    strs = b'\0int\0char\0task_struct\0pid\0tgid\0comm\0real_parent\0pid_t\0getpid\0__ARRAY_SIZE_TYPE__\0'

    def s(name):
        return strs.index(b'\0' + name.encode() + b'\0') + 1

    def t(name, kind, vlen, size_or_type, kflag=0):
        return struct.pack(e + 'III', name, kind << 24 | kflag << 31 | vlen, size_or_type)

    types = b''
    types += t(s('int'), 1, 0, 4) + struct.pack(e + 'I', 1 << 24 | 32)                # 1 INT signed 32
    types += t(s('char'), 1, 0, 1) + struct.pack(e + 'I', 2 << 24 | 8)                # 2 INT char
    types += t(0, 2, 0, 4)                                                            # 3 PTR -> 4
    members = [(s('pid'), 5, 0), (s('tgid'), 5, 32), (s('comm'), 6, 64), (s('real_parent'), 3, 192)]
    types += t(s('task_struct'), 4, len(members) if lie != 'vlen' else 200, 32)      # 4 STRUCT
    types += b''.join(struct.pack(e + 'III', *m) for m in members)
    types += t(s('pid_t'), 8, 0, 1 if lie != 'type_ref' else 99)                     # 5 TYPEDEF -> int
    types += t(0, 3, 0, 0) + struct.pack(e + 'III', 2, 7, 16)                         # 6 ARRAY char[16]
    types += t(s('__ARRAY_SIZE_TYPE__'), 1, 0, 4) + struct.pack(e + 'I', 32)          # 7 INT index
    types += t(0, 13, 0, 5)                                                           # 8 FUNC_PROTO -> pid_t
    types += t(s('getpid') if lie != 'name_off' else 0x7fff, 12 if lie != 'kind' else 31, 0, 8)  # 9 FUNC
    if lie == 'no_nul':
        strs = strs[:-1] + b'x'
    type_len, str_off, str_len, hdr_len = len(types), len(types), len(strs), 24
    if lie == 'type_len':
        type_len += 4096
    if lie == 'str_len':
        str_len += 1 << 20
    if lie == 'str_off':
        str_off = 0xfffffff0
    if lie == 'hdr_len':
        hdr_len = 0x10000
    hdr = struct.pack(e + 'HBBIIIII', 0xeB9F, 1, 0, hdr_len, 0, type_len, str_off, str_len)
    return hdr + types + strs


def main():
    args = sys.argv[1:]
    be = '--big-endian' in args
    lie = args[args.index('--lie') + 1] if '--lie' in args else None
    with open(args[0], 'wb') as f:
        f.write(blob(be, lie))


if __name__ == '__main__':
    main()
