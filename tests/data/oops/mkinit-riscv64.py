#!/usr/bin/env python3
"""mkinit-riscv64.py OUT: write a static riscv64 /init that does what the
busybox script of capture.sh does, for hosts whose Debian release has no
riscv64 busybox: mount /proc, raise the console log level, ask for a
backtrace of all CPUs (sysrq l), wait 2 s, crash (sysrq c).

A handful of RV64I instructions assembled here, and a one-segment ELF.
"""
import struct
import sys

BASE = 0x10000
HDR = 64 + 56  # ELF header + one program header

A0, A1, A2, A3, A4, A7, S0 = 10, 11, 12, 13, 14, 17, 8
SYS_MOUNT, SYS_OPENAT, SYS_CLOSE, SYS_WRITE, SYS_NANOSLEEP = 40, 56, 57, 64, 101
AT_FDCWD, O_WRONLY = -100, 1


def i_type(imm, rs1, rd, opcode=0x13):  # addi
    assert -2048 <= imm < 2048
    return ((imm & 0xfff) << 20) | (rs1 << 15) | (rd << 7) | opcode


def u_type(imm20, rd, opcode):
    return ((imm20 & 0xfffff) << 12) | (rd << 7) | opcode


class Asm:
    def __init__(self):
        self.code = []   # (kind, args)
        self.data = {}   # label -> bytes

    def li(self, rd, v):
        self.code.append(('addi', (rd, 0, v)))

    def mv(self, rd, rs):
        self.code.append(('addi', (rd, rs, 0)))

    def la(self, rd, label):
        self.code.append(('la', (rd, label)))  # auipc + addi

    def ecall(self):
        self.code.append(('ecall', ()))

    def string(self, label, b):
        self.data[label] = b

    def size(self, kind):
        return 8 if kind == 'la' else 4

    def build(self):
        code_len = sum(self.size(k) for k, _ in self.code) + 4  # + the final loop
        addr, labels, blob = BASE + HDR + code_len, {}, b''
        for label, b in self.data.items():
            labels[label] = addr + len(blob)
            blob += b
        out, pc = b'', BASE + HDR
        for kind, args in self.code:
            if kind == 'addi':
                out += struct.pack('<I', i_type(args[2], args[1], args[0]))
            elif kind == 'ecall':
                out += struct.pack('<I', 0x73)
            else:
                rd, label = args
                off = labels[label] - pc
                hi = (off + 0x800) >> 12
                out += struct.pack('<II', u_type(hi, rd, 0x17), i_type(off - (hi << 12), rd, rd))
            pc += self.size(kind)
        out += struct.pack('<I', 0x6f)  # j . (never reached: the kernel panics)
        return out + blob


def write_file(a, path_label, data_label, n):
    a.li(A0, AT_FDCWD)
    a.la(A1, path_label)
    a.li(A2, O_WRONLY)
    a.li(A3, 0)
    a.li(A7, SYS_OPENAT)
    a.ecall()
    a.mv(S0, A0)
    a.la(A1, data_label)
    a.li(A2, n)
    a.li(A7, SYS_WRITE)
    a.ecall()
    a.mv(A0, S0)
    a.li(A7, SYS_CLOSE)
    a.ecall()


def program():
    a = Asm()
    for label, b in [('proc', b'proc\0'), ('slashproc', b'/proc\0'), ('printk', b'/proc/sys/kernel/printk\0'),
                     ('sysrq', b'/proc/sysrq-trigger\0'), ('eight', b'8\n'), ('l', b'l'), ('c', b'c')]:
        a.string(label, b)
    a.string('ts', struct.pack('<qq', 2, 0))
    a.la(A0, 'proc')
    a.la(A1, 'slashproc')
    a.la(A2, 'proc')
    a.li(A3, 0)
    a.li(A4, 0)
    a.li(A7, SYS_MOUNT)
    a.ecall()
    write_file(a, 'printk', 'eight', 2)
    write_file(a, 'sysrq', 'l', 1)
    a.la(A0, 'ts')
    a.li(A1, 0)
    a.li(A7, SYS_NANOSLEEP)
    a.ecall()
    write_file(a, 'sysrq', 'c', 1)
    return a.build()


def elf(body):
    size = HDR + len(body)
    ident = b'\x7fELF' + bytes([2, 1, 1, 0]) + bytes(8)
    ehdr = ident + struct.pack('<HHIQQQIHHHHHH', 2, 243, 1, BASE + HDR, 64, 0, 0, 64, 56, 1, 0, 0, 0)
    phdr = struct.pack('<IIQQQQQQ', 1, 7, 0, BASE, BASE, size, size, 0x1000)
    return ehdr + phdr + body


with open(sys.argv[1], 'wb') as f:
    f.write(elf(program()))
