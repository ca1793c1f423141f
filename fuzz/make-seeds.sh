#!/bin/sh
# Regenerate the seed corpora of the fuzz targets: small synthetic kernels
# from `ksyms gen` in every layout, wrapped in every codec and container
# (with the real tools, and tests/cli/mkcontainer where Debian has none),
# small System.map and /proc/kallsyms files, and inputs in the binary
# formats of the targets that parse their own (fuzz_gen, fuzz_lookup, ...).
#   fuzz/make-seeds.sh [BUILD_DIR]
# Only files named seed-* are rewritten; the regression inputs next to them
# (named after the bug they found) are kept.  Each seed is a few KiB.
set -eu
cd "$(dirname "$0")/.."
build=${1:-build}
ksyms=$build/tools/ksyms/ksyms
mk=tests/cli/mkcontainer
corpus=fuzz/corpus
[ -x "$ksyms" ] || { echo "make-seeds: no $ksyms (build first)" >&2; exit 1; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
have() { command -v "$1" >/dev/null 2>&1; }

for d in open locate elf elfout symtab textmap config gen lookup \
	unwrap_bzimage unwrap_zimage unwrap_zboot unwrap_bootimg unwrap_uimage unwrap_fit \
	decompress_gzip decompress_xz decompress_lzma decompress_bzip2 decompress_lzo \
	decompress_lz4 decompress_lz4_legacy decompress_zstd; do
	mkdir -p "$corpus/$d"
	rm -f "$corpus/$d"/seed-*
done

# --- symbol lists: 40 text and 12 data symbols, names with digits ------------
python3 - "$tmp" <<'EOF'
import sys
def write(path, base, step):
    out = [(base, 'T', '_text'), (base, 'T', 'startup_64'), (base + 0x1000, 'T', '_stext')]
    a = base + 0x1000
    verbs = ['read', 'write', 'probe', 'init', 'exit', 'ioctl', 'open', 'release']
    for i in range(40):
        a += step * (1 + i % 5)
        out.append((a, 'tT'[i % 3 == 0], 'drv%d_%s' % (i // 8, verbs[i % 8])))
    a += 0x1000
    out.append((a, 'T', '_etext'))
    for i in range(12):
        a += 0x40
        out.append((a, 'dDbBrR'[i % 6], 'table_%d' % i))
    out.append((a + 0x40, 'B', '_end'))
    with open(path, 'w') as f:
        f.writelines('%x %s %s\n' % s for s in out)
write(sys.argv[1] + '/map64', 0xffffffff81000000, 0x30)
write(sys.argv[1] + '/map32', 0xc0008000, 0x20)
EOF

# gen LAYOUT BITS ENDIAN OUT [OPTIONS]: a synthetic kernel
gen() {
	layout=$1 bits=$2 endian=$3 out=$4
	shift 4
	"$ksyms" gen -f --no-filter -l "$layout" --bits "$bits" --endian "$endian" "$@" -o "$out" "$tmp/map$bits"
}

# --- the locator: every layout, both word sizes and byte orders --------------
# (first byte: the target's flags; 0 = detect everything)
for layout in $("$ksyms" gen --list-layouts | awk '{print $1}'); do
	for v in 64:little 32:big; do
		bits=${v%:*} endian=${v#*:}
		case $layout in 7.0-abs32) [ "$bits" = 32 ] || continue ;; esac
		gen "$layout" "$bits" "$endian" "$tmp/k" || continue
		{ printf '\000'; cat "$tmp/k"; } >"$corpus/locate/seed-$layout-$bits-$endian"
	done
done
gen 7.0 64 little "$tmp/k"
{ printf '\025'; cat "$tmp/k"; } >"$corpus/locate/seed-7.0-64-little-forced"

# --- kernels for the containers ------------------------------------------------
gen 6.4 64 little "$tmp/Image"
gen 6.4 64 little "$tmp/vmlinux" --elf
gen 5.10 32 little "$tmp/Image32"
gen 6.1 32 big "$tmp/vmlinux32be" --elf
cp "$tmp/vmlinux" "$corpus/elf/seed-vmlinux-64-le"
cp "$tmp/vmlinux32be" "$corpus/elf/seed-vmlinux-32-be"
cp "$tmp/vmlinux" "$corpus/open/seed-vmlinux-64-le"
cp "$tmp/Image32" "$corpus/open/seed-image-32"

compress() { # CODEC < IN > OUT
	case $1 in
	gzip) gzip -9 -n -c ;;
	xz) xz --check=crc32 -c ;;
	lzma) xz --format=lzma -9 -c ;;
	bzip2) bzip2 -9 -c ;;
	lzo) lzop -9 -c ;;
	lz4_legacy) lz4 -l -9 -c 2>/dev/null ;;
	lz4) lz4 -9 -c 2>/dev/null ;;
	zstd) zstd -q -19 -c ;;
	esac
}
for c in gzip xz lzma bzip2 lzo lz4_legacy lz4 zstd; do
	tool=$c
	case $c in lzma) tool=xz ;; lzo) tool=lzop ;; lz4_legacy) tool=lz4 ;; esac
	have $tool || continue
	compress $c <"$tmp/Image" >"$tmp/Image.$c"
	cp "$tmp/Image.$c" "$corpus/decompress_$c/seed-image64"
	compress $c <"$tmp/Image32" >"$corpus/decompress_$c/seed-image32"
	printf 'short text, compressed\n' | compress $c >"$corpus/decompress_$c/seed-text"
	head -c $(($(wc -c <"$tmp/Image.$c") / 2)) "$tmp/Image.$c" >"$corpus/decompress_$c/seed-truncated"
	cp "$tmp/Image.$c" "$corpus/open/seed-image64.$c"
done

# --- containers ------------------------------------------------------------------
printf '/dts-v1/;\n/ { model = "ksyms seed"; compatible = "ksyms,seed"; };\n' >"$tmp/board.dts"
have dtc && dtc -q -I dts -O dtb -o "$tmp/board.dtb" "$tmp/board.dts"
printf 'not a ramdisk\n' >"$tmp/ramdisk"
compress gzip <"$tmp/vmlinux" >"$tmp/vmlinux.gz"
compress xz <"$tmp/vmlinux" >"$tmp/vmlinux.xz"
compress xz <"$tmp/Image32" >"$tmp/Image32.xz"

u=$corpus/unwrap_bzimage
python3 $mk bzimage "$tmp/vmlinux.gz" "$u/seed-gzip"
python3 $mk bzimage "$tmp/vmlinux.xz" "$u/seed-xz"
python3 $mk bzimage "$tmp/vmlinux.gz" "$u/seed-proto-2.04" 4 0x204

u=$corpus/unwrap_zimage
size32=$(wc -c <"$tmp/Image32")
python3 $mk zimage "$tmp/Image32.xz" "$size32" "$u/seed-le" le
python3 $mk zimage "$tmp/Image32.xz" "$size32" "$u/seed-be32" be32
[ -f "$tmp/board.dtb" ] && python3 $mk zimage "$tmp/Image32.xz" "$size32" "$u/seed-be8-dtb" be8 "$tmp/board.dtb"

u=$corpus/unwrap_zboot
python3 $mk zboot "$tmp/Image.gzip" gzip "$u/seed-gzip"
[ -f "$tmp/Image.zstd" ] && python3 $mk zboot "$tmp/Image.zstd" zstd "$u/seed-zstd"

u=$corpus/unwrap_uimage
if have mkimage; then
	for c in none gzip lz4 lzma; do
		src=$tmp/Image.$c
		[ $c = none ] && src=$tmp/Image
		[ -f "$src" ] || continue
		mkimage -A arm64 -O linux -T kernel -C $c -a 0x40080000 -e 0x40080000 -n "seed $c" \
			-d "$src" "$u/seed-$c" >/dev/null
	done
	mkimage -A arm64 -O linux -T multi -C gzip -n multi -d "$tmp/Image.gzip:$tmp/ramdisk" \
		"$u/seed-multi" >/dev/null
	cp "$u/seed-gzip" "$corpus/open/seed-uimage-gzip"
fi

u=$corpus/unwrap_bootimg
if have mkbootimg && [ -f "$tmp/board.dtb" ]; then
	for v in 0 1 2 3; do
		set -- --kernel "$tmp/Image.gzip" --ramdisk "$tmp/ramdisk" --header_version $v
		[ $v = 2 ] && set -- "$@" --dtb "$tmp/board.dtb"
		# a small page size keeps the seed small; v3+ fix it at 4096
		[ $v -lt 3 ] && set -- "$@" --pagesize 2048 --board seed --os_version 12.0.0 --os_patch_level 2024-05
		mkbootimg "$@" -o "$u/seed-v$v" 2>/dev/null || rm -f "$u/seed-v$v"
	done
	[ -f "$tmp/Image.lz4_legacy" ] &&
		mkbootimg --kernel "$tmp/Image.lz4_legacy" --header_version 2 --pagesize 2048 --dtb "$tmp/board.dtb" \
			-o "$u/seed-lz4"
	cat "$tmp/Image.gzip" "$tmp/board.dtb" "$tmp/board.dtb" >"$tmp/Image.gz-dtb"
	mkbootimg --kernel "$tmp/Image.gz-dtb" --header_version 1 --pagesize 2048 -o "$u/seed-gz-dtb"
	mkbootimg --header_version 4 --vendor_boot "$u/seed-vendor-boot" --vendor_ramdisk "$tmp/ramdisk" \
		--dtb "$tmp/board.dtb" 2>/dev/null || rm -f "$u/seed-vendor-boot"
	cp "$u/seed-v2" "$corpus/open/seed-bootimg-v2"
fi

u=$corpus/unwrap_fit
if have mkimage && [ -f "$tmp/board.dtb" ]; then
	cat >"$tmp/fit.its" <<EOF
/dts-v1/;
/ {
	description = "ksyms seed FIT";
	#address-cells = <1>;
	images {
		kernel-1 {
			data = /incbin/("$tmp/Image.gzip");
			type = "kernel"; arch = "arm64"; os = "linux"; compression = "gzip";
			load = <0x40080000>; entry = <0x40080000>;
			hash-1 { algo = "crc32"; };
		};
		fdt-1 {
			data = /incbin/("$tmp/board.dtb");
			type = "flat_dt"; arch = "arm64"; compression = "none";
		};
	};
	configurations {
		default = "conf-1";
		conf-1 { kernel = "kernel-1"; fdt = "fdt-1"; };
	};
};
EOF
	mkimage -f "$tmp/fit.its" "$u/seed-embedded" >/dev/null
	mkimage -E -f "$tmp/fit.its" "$u/seed-external" >/dev/null
	cp "$u/seed-embedded" "$corpus/open/seed-fit"
fi

# --- ELF .symtab: a small relocatable object --------------------------------
if have cc; then
	printf 'int counter;\nstatic int helper(int x) { return x * 3; }\nint entry(int y) { return helper(y) + counter; }\n' \
		>"$tmp/obj.c"
	cc -c -O1 -o "$corpus/symtab/seed-object.elf" "$tmp/obj.c"
fi
cp "$tmp/vmlinux32be" "$corpus/symtab/seed-vmlinux-no-symtab"

# --- text symbol lists ---------------------------------------------------------
head -20 "$tmp/map64" >"$corpus/textmap/seed-system-map"
awk '{print $0 (NR > 15 ? "\t[seedmod]" : "")}' "$tmp/map32" | head -24 >"$corpus/textmap/seed-proc-kallsyms"
head -12 "$tmp/map64" >"$corpus/open/seed-system-map"

# --- the embedded .config ------------------------------------------------------
printf 'CONFIG_IKCONFIG=y\nCONFIG_KALLSYMS=y\n# CONFIG_MODULES is not set\n' | gzip -9 -n -c >"$tmp/config.gz"
{
	printf 'Linux version 6.6.0-seed (seed@ksyms) #1 SMP\n\000'
	printf 'IKCFG_ST'
	cat "$tmp/config.gz"
	printf 'IKCFG_ED'
} >"$corpus/config/seed-ikconfig"
gzip -9 -n -c "$corpus/config/seed-ikconfig" >"$corpus/config/seed-ikconfig.gz"

# --- binary formats of fuzz_gen and fuzz_lookup --------------------------------
# --- fuzz_elfout: kernels with BTF after their tables (first byte: options) ---
# ELF vmlinux (base from its PT_LOAD), text symbols only so the BTF is found by
# a header scan; the same with a slide; a big-endian 32-bit one; BTF blobs
# alone (option bit 1), honest and lying about their lengths.
elfout() { # NAME FLAGS FILE...
	name=$1 flags=$2
	shift 2
	{ printf "\\$(printf %03o "$flags")"; cat "$@"; } > "$corpus/elfout/seed-$name"
}
python3 tests/btf/mkbtf.py "$tmp/btf-le"
python3 tests/btf/mkbtf.py "$tmp/btf-be" --big-endian
gen 6.4 64 little "$tmp/elf64" --elf --text-only
gen 6.2 32 big "$tmp/elf32be" --elf --text-only
gen 6.4 64 little "$tmp/elf64all" --elf
elfout elf64-btf 0 "$tmp/elf64" "$tmp/btf-le"
elfout elf64-btf-slide 1 "$tmp/elf64" "$tmp/btf-le"
elfout elf32be-btf 0 "$tmp/elf32be" "$tmp/btf-be"
elfout elf64-data 0 "$tmp/elf64all"
elfout btf-le 2 "$tmp/btf-le"
elfout btf-be 2 "$tmp/btf-be"
for lie in type_len str_len vlen name_off kind no_nul; do
	python3 tests/btf/mkbtf.py "$tmp/lie" --lie "$lie"
	elfout "btf-lie-$lie" 2 "$tmp/lie"
done

python3 - "$corpus" "$("$ksyms" gen --list-layouts | wc -l)" <<'EOF'
import random, sys
corpus, nlayouts = sys.argv[1], int(sys.argv[2])
r = random.Random(7)
# fuzz_gen: layout byte, flags byte, records (type, 3-byte address, length - 1, name)
types = "TtDdBbRrWwVvAaUuNn?GgSsi"
def name_bytes(s):
    return bytes(0x21 + (ord(c) - 0x21) % 0x5e for c in s)
for layout in range(nlayouts):
    for flags in (0x01, 0x06, 0x0d):
        out = bytearray([layout, flags])
        a = 0
        for i in range(24):
            a += r.randint(0, 0x300)
            name = 'fn_%d_%s' % (i, r.choice(['read', 'write', 'x']))
            out += bytes([types.index(r.choice('TtTtDdB')), a >> 16 & 0xff, a >> 8 & 0xff, a & 0xff,
                          len(name) - 1]) + name_bytes(name)
        open('%s/gen/seed-layout%d-flags%02x' % (corpus, layout, flags), 'wb').write(out)
# fuzz_lookup: records (type, 2-byte address, length byte, name), then addresses
for k in range(4):
    out = bytearray()
    for i in range(40):
        n = r.randint(0, 15)
        out += bytes([r.randint(0, 255) & (0xff if k else 0x7f), r.randint(0, 255), r.randint(0, 255),
                      n]) + bytes(r.randint(0, 3) for _ in range(n + 1))
    out += bytes(r.randint(0, 255) for _ in range(64))
    open('%s/lookup/seed-%d' % (corpus, k), 'wb').write(out)
EOF

echo "seeds: $(find "$corpus" -name 'seed-*' | wc -l) files, $(du -sk "$corpus" | cut -f1) KiB in $corpus"
