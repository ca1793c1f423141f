#!/bin/sh
# Every container, made by the real tools (mkimage, mkbootimg, dtc) or,
# where Debian has none, by tests/cli/mkcontainer from the documented header,
# around synthetic kernels from `ksyms gen`: `ksyms list` on the container
# must equal `ksyms list` on the bare kernel, and `ksyms info` must show
# the chain.  Then hostile headers: one line on stderr naming the file,
# exit 1, nothing on stdout.
#   containers.sh KSYMS MKCONTAINER [SECTION]
# SECTION is one of headers (bzImage, zImage, zboot: no tool needed),
# uimage (mkimage), bootimg (mkbootimg, dtc, mkimage), dtb (FIT and appended DTBs:
# mkimage, dtc), or all (the default).  meson runs each as its own test: a
# section whose tool is missing is skipped as a whole ("1..0 # SKIP", which
# meson reports as SKIP), never counted as passed; with all, a missing
# tool fails.
set -u
ksyms=$1
mk=$2
section=${3:-all}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fails=0
n=0

ok() {
	n=$((n + 1))
	echo "ok $n - $*"
}

not_ok() {
	n=$((n + 1))
	fails=$((fails + 1))
	echo "not ok $n - $*"
	[ -s "$tmp/err" ] && sed 's/^/#   /' "$tmp/err"
}

skip() {
	n=$((n + 1))
	echo "ok $n # SKIP $*"
}

have() { command -v "$1" >/dev/null 2>&1; }

# the tools SECTION needs (scripts/deps installs them all)
case $section in
headers | all) tools= ;;
uimage) tools=mkimage ;;
bootimg) tools="mkbootimg dtc mkimage" ;;
dtb) tools="mkimage dtc" ;;
*)
	echo "Bail out! unknown section $section"
	exit 1
	;;
esac
[ "$section" = all ] && tools="mkimage mkbootimg dtc"
for t in $tools; do
	have "$t" && continue
	if [ "$section" = all ]; then
		echo "Bail out! $t is not installed (scripts/deps installs it)"
		exit 1
	fi
	echo "1..0 # SKIP $t is not installed (scripts/deps installs it)"
	exit 0
done
# in SECTION: true if the current section is one of the arguments
in_section() {
	[ "$section" = all ] && return 0
	for s in "$@"; do
		[ "$section" = "$s" ] && return 0
	done
	return 1
}

# chain FILE: the formats of `ksyms info`'s chain, joined with " -> "
chain() {
	"$ksyms" info --json "$1" 2>>"$tmp/err" |
		python3 -c 'import json,sys; print(" -> ".join(l["format"] for l in json.load(sys.stdin)["chain"]))'
}

# expect_list CODECS NAME FILE BARE CHAIN: list FILE = list BARE, and the
# chain is CHAIN; skipped unless this build decodes every one of CODECS
expect_list() {
	codecs=$1 name=$2 file=$3 bare=$4 want=$5
	: >"$tmp/err"
	for c in $codecs; do
		case " $built " in
		*" $c "*) ;;
		*)
			skip "$name: $c support is not built in"
			return
			;;
		esac
	done
	if ! "$ksyms" list "$file" >"$tmp/got" 2>"$tmp/err"; then
		not_ok "$name: list failed"
	elif ! cmp -s "$tmp/got" "$tmp/$bare.list"; then
		not_ok "$name: list differs from the bare kernel's"
	elif [ "$(chain "$file")" != "$want" ]; then
		echo "# chain: $(chain "$file"), expected $want"
		not_ok "$name: chain"
	else
		ok "$name: $want, $(wc -l <"$tmp/got") symbols"
	fi
}

# expect_fail NAME PATTERN FILE: list fails with one line naming FILE and matching PATTERN
expect_fail() {
	name=$1 pattern=$2 file=$3
	"$ksyms" list "$file" >"$tmp/out" 2>"$tmp/err"
	rc=$?
	if [ $rc -eq 1 ] && [ ! -s "$tmp/out" ] && [ "$(wc -l <"$tmp/err")" -eq 1 ] &&
		grep -q -- "^ksyms: '$file': .*$pattern" "$tmp/err"; then
		ok "$name: $(sed "s|$tmp/||" "$tmp/err")"
	else
		not_ok "$name: exit $rc, stdout $(wc -c <"$tmp/out") bytes, stderr:"
	fi
}

# --- the synthetic kernels ---------------------------------------------------
python3 - "$tmp" <<'EOF'
import random, sys
def symbols(path, base, seed):
    r = random.Random(seed)
    out = [(base, 'T', '_text'), (base + 0x10000, 'T', '_stext')]
    a = base + 0x10000
    for i in range(600):
        a += r.randint(4, 400) & ~3
        out.append((a, r.choice('tT'), 'func_%d_%s' % (i, r.choice(['init', 'probe', 'read', 'write']))))
    a += 0x1000
    out.append((a, 'T', '_etext'))
    for i in range(150):
        a += r.randint(8, 64) & ~7
        out.append((a, r.choice('dDbB'), 'var_%d' % i))
    with open(path, 'w') as f:
        f.writelines('%x %s %s\n' % s for s in out)
symbols(sys.argv[1] + '/map64', 0xffff800080000000, 1)
symbols(sys.argv[1] + '/map32', 0xc0008000, 2)
EOF
"$ksyms" gen -o "$tmp/Image" "$tmp/map64" &&
	"$ksyms" gen --elf -o "$tmp/vmlinux" "$tmp/map64" &&
	"$ksyms" gen --bits 32 -o "$tmp/Image32" "$tmp/map32" || {
	echo "Bail out! ksyms gen failed"
	exit 1
}
for k in Image vmlinux Image32; do
	"$ksyms" list "$tmp/$k" >"$tmp/$k.list" || {
		echo "Bail out! ksyms list $k failed"
		exit 1
	}
done

# compress CODEC FILE: FILE as the kernel build compresses it, to stdout
compress() {
	case $1 in
	none) cat ;;
	gzip) gzip -9 -n -c ;;
	xz) xz --check=crc32 -c ;;
	lzma) xz --format=lzma -9 -c ;;
	bzip2) bzip2 -9 -c ;;
	lzo) lzop -9 -c ;;
	lz4-legacy) lz4 -l -9 -c 2>/dev/null ;;
	lz4) lz4 -9 -c 2>/dev/null ;;
	zstd) zstd -q -19 -c ;;
	esac <"$2"
}
# which codecs this build decodes (a build may leave any of them out; a
# codec that is built in but fails is not skipped: its cases fail)
built=
for c in gzip xz lzma bzip2 lzo lz4-legacy lz4 zstd; do
	compress $c "$tmp/Image" >"$tmp/Image.$c"
	"$ksyms" list "$tmp/Image.$c" 2>&1 >/dev/null | grep -q "support is not built in" || built="$built $c"
done
echo "# codecs built in:$built"
printf '/dts-v1/;\n/ { model = "ksyms test"; compatible = "ksyms,test"; };\n' >"$tmp/board.dts"
have dtc && dtc -q -I dts -O dtb -o "$tmp/board.dtb" "$tmp/board.dts"
printf 'not a real ramdisk\n' >"$tmp/ramdisk"
compress xz "$tmp/Image32" >"$tmp/Image32.xz"
size32=$(wc -c <"$tmp/Image32")
python3 "$mk" zimage "$tmp/Image32.xz" "$size32" "$tmp/zImage" le
for c in xz zstd gzip; do
	compress $c "$tmp/vmlinux" >"$tmp/vmlinux.$c"
	python3 "$mk" bzimage "$tmp/vmlinux.$c" "$tmp/bzImage.$c"
done
for c in zstd gzip; do
	python3 "$mk" zboot "$tmp/Image.$c" $c "$tmp/zboot.$c"
done

# --- x86 bzImage, ARM zImage, EFI zboot (header builders) --------------------
if in_section headers; then
for c in xz zstd gzip; do
	expect_list $c "bzImage, $c" "$tmp/bzImage.$c" vmlinux "bzImage -> $c -> ELF vmlinux"
done
python3 "$mk" bzimage "$tmp/vmlinux.gzip" "$tmp/bzImage.old" 4 0x204
expect_list gzip "bzImage, boot protocol 2.04" "$tmp/bzImage.old" vmlinux "bzImage -> gzip -> ELF vmlinux"

expect_list xz "zImage" "$tmp/zImage" Image32 "zImage -> raw"
python3 "$mk" zimage "$tmp/Image32.xz" "$size32" "$tmp/zImage.be32" be32
expect_list xz "zImage, BE32 header" "$tmp/zImage.be32" Image32 "zImage -> raw"

for c in zstd gzip; do
	expect_list $c "EFI zboot, $c" "$tmp/zboot.$c" Image "EFI zboot -> $c -> raw"
done

fi

# --- U-Boot legacy uImage (mkimage) ------------------------------------------
if in_section uimage; then
	for c in none gzip bzip2 lzma lzo lz4 zstd; do
		compress $c "$tmp/Image" >"$tmp/Image.u.$c"
		mkimage -A arm64 -O linux -T kernel -C $c -a 0x40080000 -e 0x40080000 -n "ksyms $c" \
			-d "$tmp/Image.u.$c" "$tmp/uImage.$c" >/dev/null
		want="uImage -> $c -> raw"
		[ $c = none ] && want="uImage -> raw"
		expect_list "${c#none}" "uImage, -C $c" "$tmp/uImage.$c" Image "$want"
	done
	mkimage -A arm64 -O linux -T multi -C gzip -n multi -d "$tmp/Image.gzip:$tmp/ramdisk" \
		"$tmp/uImage.multi" >/dev/null
	expect_list gzip "uImage, multi-file" "$tmp/uImage.multi" Image "uImage -> gzip -> raw"
	mkimage -A arm -O linux -T kernel -C none -a 0x8000 -e 0x8000 -n zimage -d "$tmp/zImage" \
		"$tmp/uImage.zImage" >/dev/null
	expect_list xz "uImage of a zImage" "$tmp/uImage.zImage" Image32 "uImage -> zImage -> raw"

	mkimage -A arm64 -O linux -T kernel -C gzip -n liar -d "$tmp/Image" "$tmp/uImage.liar" >/dev/null
	expect_fail "uImage says gzip, data is not" "the header says gzip, but the data at 0x40 is not a gzip stream" \
		"$tmp/uImage.liar"
	cp "$tmp/uImage.gzip" "$tmp/uImage.4g"
	python3 "$mk" patch "$tmp/uImage.4g" 12 '>I' 0xffffffff
	expect_fail "uImage data size 4 GiB" "uImage: data (4294967295 bytes at 0x40) extends past the end" \
		"$tmp/uImage.4g"
	head -c 40 "$tmp/uImage.gzip" >"$tmp/uImage.cut"
	expect_fail "uImage header truncated" "uImage: header truncated (40 of 64 bytes)" "$tmp/uImage.cut"

	cp "$tmp/Image.gzip" "$tmp/deep"
	for i in $(seq 100); do
		mkimage -A arm64 -O linux -T kernel -C none -n "level $i" -d "$tmp/deep" "$tmp/deep.new" >/dev/null
		mv "$tmp/deep.new" "$tmp/deep"
	done
	expect_fail "uImage nested 100 deep" "containers nested more than 16 deep (see --max-depth)" "$tmp/deep"
fi

# --- Android boot.img v0..v4, vendor_boot (mkbootimg) ------------------------
if in_section bootimg; then
	mkimage -A arm64 -O linux -T kernel -C gzip -a 0x40080000 -e 0x40080000 \
		-n "ksyms gzip" -d "$tmp/Image.gzip" "$tmp/uImage.gzip" >/dev/null
	for v in 0 1 2 3 4; do
		set -- --kernel "$tmp/Image.gzip" --ramdisk "$tmp/ramdisk" --header_version $v
		[ $v = 2 ] && set -- "$@" --dtb "$tmp/board.dtb"
		[ $v -lt 3 ] && set -- "$@" --pagesize 4096 --board ksyms-test --os_version 12.0.0 --os_patch_level 2024-05
		if ! mkbootimg "$@" -o "$tmp/boot.v$v" 2>/dev/null && [ $v = 4 ]; then
			# this mkbootimg writes v4 only for vendor_boot: a v4 boot.img is
			# the v3 layout plus signature_size (0) at 1580, version 4
			cp "$tmp/boot.v3" "$tmp/boot.v$v"
			python3 "$mk" patch "$tmp/boot.v$v" 40 '<I' 4
		fi
		expect_list gzip "boot.img v$v, Image.gz" "$tmp/boot.v$v" Image "boot.img -> gzip -> raw"
	done
	mkbootimg --kernel "$tmp/Image.lz4-legacy" --header_version 2 --dtb "$tmp/board.dtb" -o "$tmp/boot.lz4"
	expect_list lz4-legacy "boot.img v2, lz4 (legacy)" "$tmp/boot.lz4" Image "boot.img -> lz4 (legacy) -> raw"
	mkbootimg --kernel "$tmp/Image" --header_version 0 -o "$tmp/boot.raw"
	expect_list "" "boot.img v0, uncompressed Image" "$tmp/boot.raw" Image "boot.img -> raw"
	cat "$tmp/Image.gzip" "$tmp/board.dtb" "$tmp/board.dtb" >"$tmp/Image.gz-dtb"
	mkbootimg --kernel "$tmp/Image.gz-dtb" --header_version 1 -o "$tmp/boot.dtb"
	expect_list gzip "boot.img v1, Image.gz-dtb" "$tmp/boot.dtb" Image "boot.img -> gzip -> raw"
	if [ -z "${built##* gzip*}" ] && "$ksyms" info "$tmp/boot.dtb" | grep -q "then 2 appended DTBs"; then
		ok "boot.img: the appended DTBs are named"
	else
		not_ok "boot.img: the appended DTBs are named"
	fi
	mkbootimg --kernel "$tmp/uImage.gzip" --header_version 0 -o "$tmp/boot.uImage"
	expect_list gzip "boot.img of a uImage" "$tmp/boot.uImage" Image "boot.img -> uImage -> gzip -> raw"

	mkbootimg --header_version 4 --vendor_boot "$tmp/vendor_boot" --vendor_ramdisk "$tmp/ramdisk" \
		--dtb "$tmp/board.dtb"
	expect_fail "vendor_boot alone" "vendor_boot image (header v4): .* never a kernel" "$tmp/vendor_boot"
	cp "$tmp/boot.v0" "$tmp/boot.big"
	python3 "$mk" patch "$tmp/boot.big" 8 '<I' 0x7fffffff
	expect_fail "boot.img kernel_size past the end" "kernel (2147483647 bytes at 0x1000) extends past the end" \
		"$tmp/boot.big"
	cp "$tmp/boot.v0" "$tmp/boot.page"
	python3 "$mk" patch "$tmp/boot.page" 36 '<I' 0x80000000
	expect_fail "boot.img page size 2 GiB" "page size 2147483648" "$tmp/boot.page"
	head -c 1000 "$tmp/boot.v3" >"$tmp/boot.cut"
	expect_fail "boot.img header truncated" "v3: header truncated" "$tmp/boot.cut"
fi

# --- FIT (mkimage -f with an .its; dtc), a zImage with an appended DTB -------
if in_section dtb; then
	python3 "$mk" zimage "$tmp/Image32.xz" "$size32" "$tmp/zImage.dtb" be8 "$tmp/board.dtb"
	expect_list xz "zImage, BE8 flag, appended DTB" "$tmp/zImage.dtb" Image32 "zImage -> raw"
	cat >"$tmp/fit.its" <<EOF
/dts-v1/;
/ {
	description = "ksyms test FIT";
	#address-cells = <1>;
	images {
		kernel-old {
			description = "not the default";
			data = /incbin/("$tmp/ramdisk");
			type = "kernel"; arch = "arm64"; os = "linux"; compression = "none";
			load = <0x40080000>; entry = <0x40080000>;
		};
		kernel-1 {
			description = "synthetic kernel";
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
		default = "conf-new";
		conf-old { kernel = "kernel-old"; };
		conf-new { kernel = "kernel-1"; fdt = "fdt-1"; };
	};
};
EOF
	mkimage -f "$tmp/fit.its" "$tmp/fit" >/dev/null
	expect_list gzip "FIT, embedded data" "$tmp/fit" Image "FIT -> raw"
	mkimage -E -f "$tmp/fit.its" "$tmp/fit.ext" >/dev/null
	expect_list gzip "FIT, external data (-E)" "$tmp/fit.ext" Image "FIT -> raw"
	mkimage -E -p 0x2000 -f "$tmp/fit.its" "$tmp/fit.pos" >/dev/null
	expect_list gzip "FIT, external data at a position (-E -p)" "$tmp/fit.pos" Image "FIT -> raw"
	sed -e "s|$tmp/Image.gzip|$tmp/zImage|" -e 's|compression = "gzip"|compression = "none"|' \
		-e 's|arch = "arm64"|arch = "arm"|' "$tmp/fit.its" >"$tmp/fitz.its"
	mkimage -f "$tmp/fitz.its" "$tmp/fit.zImage" >/dev/null
	expect_list xz "FIT of a zImage" "$tmp/fit.zImage" Image32 "FIT -> zImage -> raw"

	cp "$tmp/fit" "$tmp/fit.huge"
	python3 "$mk" patch "$tmp/fit.huge" 4 '>I' 0xffffffff
	expect_fail "FIT totalsize 4 GiB" "totalsize 4294967295 is past the end" "$tmp/fit.huge"
	expect_fail "a plain DTB" "no /images node" "$tmp/board.dtb"
fi

# --- hostile builder-made headers ---------------------------------------------
if in_section headers; then
cp "$tmp/bzImage.xz" "$tmp/bz.4g"
python3 "$mk" patch "$tmp/bz.4g" 0x24c '<I' 0xffffffff
expect_fail "bzImage payload_length 4 GiB" "payload (4294967295 bytes at 0x" "$tmp/bz.4g"
cp "$tmp/bzImage.xz" "$tmp/bz.off"
python3 "$mk" patch "$tmp/bz.off" 0x248 '<I' 0xffffff00
expect_fail "bzImage payload_offset past the end" "bzImage: payload .* extends past the end" "$tmp/bz.off"
head -c $((0x208)) "$tmp/bzImage.xz" >"$tmp/bz.cut"
expect_fail "bzImage header truncated" "bzImage: setup header truncated" "$tmp/bz.cut"
cp "$tmp/zboot.zstd" "$tmp/zboot.wrap"
python3 "$mk" patch "$tmp/zboot.wrap" 8 '<I' 0xffffff00
python3 "$mk" patch "$tmp/zboot.wrap" 12 '<I' 0x200
expect_fail "zboot offset + size wrap 32 bits" "EFI zboot: payload (512 bytes at 0xffffff00) extends past" \
	"$tmp/zboot.wrap"
cp "$tmp/zImage" "$tmp/zImage.end"
python3 "$mk" patch "$tmp/zImage.end" 0x2c '<I' 0xfffffff0
expect_fail "zImage end past the file" "ARM zImage: image (end - start) .* extends past the end" "$tmp/zImage.end"
fi

echo "1..$n"
[ $fails -eq 0 ]
