#!/bin/sh
# Every codec, made by the real tools the kernel build uses:
#  - a synthetic kernel from `ksyms gen` (raw and ELF), compressed, bare and
#    hidden inside a fake self-decompressing image: `ksyms list` must print
#    the generator's input, as it does for the uncompressed image;
#  - a 9 MiB sample through `ksyms extract`: the bytes out must equal the
#    bytes in, with the kernel's size_append after the stream, and inside a
#    fake self-decompressing image;
#  - hostile streams (past the cap, bombs, truncated, corrupt): one line on
#    stderr, exit 1, nothing on stdout.
#  - a codec library that is not installed (dlopen() made to fail by the
#    HIDE_LIBS shim): that codec fails with one line naming the library and
#    its package; raw images need no codec library at all.
# TAP output.
#  - a library of the right soname that lacks the entry points (ZSTD_STUB,
#    an empty libzstd.so.1 first on LD_LIBRARY_PATH) is "not usable".
#   codecs.sh KSYMS DATADIR HIDE_LIBS ZSTD_STUB
set -u
ksyms=$1
data=$2
hide_libs=$3
zstd_stub=$4
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

# A 9 MiB sample: two legacy lz4 blocks, several lzop blocks, a banner so
# that the embedded search takes it for a kernel.
python3 - "$tmp/sample" <<'EOF'
import random, sys
r = random.Random(7)
words = [bytes(r.choice(b'abcdefghijklmnop_') for _ in range(r.randint(3, 12))) for _ in range(3000)]
out = bytearray(b'\0' * 64)
banner = b'Linux version 6.1.0-test (ksyms@example) #1 SMP\n\0'
while len(out) < (9 << 20) + 12345:
    out += r.choice(words) + bytes([r.getrandbits(8)])
    if banner and len(out) > 5 << 20:
        out += banner
        banner = None
open(sys.argv[1], 'wb').write(out)
EOF

# compress NAME: stdin in NAME's format, as the kernel's Makefile.lib does
compress() {
	case $1 in
	gzip) gzip -9 -n -c ;;
	xz) xz --check=crc32 --lzma2=dict=1MiB -c ;;
	lzma) xz --format=lzma -9 -c ;;
	bzip2) bzip2 -9 -c ;;
	lzo) lzop -9 -c ;;
	lz4-legacy) lz4 -l -9 -c 2>/dev/null ;;
	lz4) lz4 -9 -c 2>/dev/null ;;
	zstd) zstd -q -19 -c ;;
	esac
}

# size_append from the kernel's scripts/Makefile.lib: the size, 4 bytes LE
size_append() {
	python3 -c "import struct,sys,os; sys.stdout.buffer.write(struct.pack('<I', os.path.getsize(sys.argv[1])))" "$1"
}

# bytes N SEED: N pseudo-random bytes with a copy of every codec's magic in them,
# as a decompressor's rodata has
fake_decompressor() {
	python3 - "$1" <<'EOF'
import random, sys
r = random.Random(int(sys.argv[1]))
d = bytearray(r.getrandbits(8) for _ in range(65536))
for i, m in enumerate([b'\x1f\x8b\x08\x00', b'\xfd7zXZ\x00\x00\x01', b'\x5d\x00\x00\x80\x00', b'BZh9',
                       b'\x89LZO\x00\r\n\x1a\n', b'\x04\x22\x4d\x18', b'\x02\x21\x4c\x18', b'\x28\xb5\x2f\xfd']):
    d[1000 + 97 * i:1000 + 97 * i + len(m)] = m
sys.stdout.buffer.write(bytes(d))
EOF
}

# expect_fail NAME GREP CMD...: exit 1, one stderr line matching GREP, no stdout
expect_fail() {
	name=$1 pattern=$2
	shift 2
	"$@" >"$tmp/out" 2>"$tmp/err"
	rc=$?
	if [ $rc -eq 1 ] && [ ! -s "$tmp/out" ] && [ "$(wc -l <"$tmp/err")" -eq 1 ] && grep -q -- "$pattern" "$tmp/err"; then
		ok "$name: $(cat "$tmp/err")"
	else
		not_ok "$name: exit $rc, stdout $(wc -c <"$tmp/out") bytes, stderr:"
	fi
}

# expect_same NAME FILE CMD...: CMD succeeds and writes FILE equal to the sample
expect_same() {
	name=$1 file=$2
	shift 2
	rm -f "$file"
	if "$@" 2>"$tmp/err" && cmp -s "$file" "$tmp/sample"; then
		ok "$name"
	else
		not_ok "$name"
	fi
}

codecs="gzip xz lzma bzip2 lzo lz4-legacy lz4 zstd"

# expect_list NAME IMAGE: `ksyms list IMAGE` prints the generator's input
expect_list() {
	if "$ksyms" list "$2" >"$tmp/listed" 2>"$tmp/err" && cmp -s "$tmp/listed" "$data/gen-fixture.map"; then
		ok "$1: list gives the generator's input"
	else
		diff "$data/gen-fixture.map" "$tmp/listed" 2>&1 | head -5 >>"$tmp/err"
		not_ok "$1: list gives the generator's input"
	fi
}

for wrap in raw elf; do
	elf=
	[ $wrap = elf ] && elf=--elf
	"$ksyms" gen $elf --base 0xffffffff81000000 -o "$tmp/gen-$wrap" "$data/gen-fixture.map"
	expect_list "uncompressed $wrap image" "$tmp/gen-$wrap"
	for c in $codecs; do
		compress $c <"$tmp/gen-$wrap" >"$tmp/gen.$c"
		expect_list "$c of a $wrap image" "$tmp/gen.$c"
		{ fake_decompressor 4; cat "$tmp/gen.$c"; size_append "$tmp/gen-$wrap"; fake_decompressor 5; } \
			>"$tmp/gen.$c.embedded"
		expect_list "$c of a $wrap image inside a self-decompressing image" "$tmp/gen.$c.embedded"
	done
done

for c in $codecs; do
	compress $c <"$tmp/sample" >"$tmp/$c"
	expect_same "$c: extract gives the input back" "$tmp/x" "$ksyms" extract -o "$tmp/x" "$tmp/$c"

	{ cat "$tmp/$c"; size_append "$tmp/sample"; } >"$tmp/$c.sized"
	expect_same "$c: data after the stream (size_append) is ignored" "$tmp/x" \
		"$ksyms" extract -o "$tmp/x" "$tmp/$c.sized"

	{ fake_decompressor 1; cat "$tmp/$c"; size_append "$tmp/sample"; fake_decompressor 2; } >"$tmp/$c.embedded"
	expect_same "$c: found inside a self-decompressing image" "$tmp/x" \
		"$ksyms" extract -o "$tmp/x" "$tmp/$c.embedded"

	expect_fail "$c: past --max-output" "more than the 1000000-byte limit (see --max-output)" \
		"$ksyms" list --max-output 1000000 "$tmp/$c"
	expect_fail "$c: past --max-output, embedded" "more than the 1000000-byte limit (see --max-output)" \
		"$ksyms" list --max-output 1000000 "$tmp/$c.embedded"

	# cut in the middle: no kernel banner is left, so extract needs --step
	# to write what the stream yields; that is a prefix of the input, and
	# list fails cleanly
	size=$(wc -c <"$tmp/$c")
	head -c $((size / 2)) "$tmp/$c" >"$tmp/$c.cut"
	expect_fail "$c: extract of a cut stream: no kernel" "no kernel found" "$ksyms" extract -o - "$tmp/$c.cut"
	rm -f "$tmp/x"
	if "$ksyms" extract --step 1 -o "$tmp/x" "$tmp/$c.cut" 2>"$tmp/err" && [ -s "$tmp/x" ] &&
		cmp -s -n "$(wc -c <"$tmp/x")" "$tmp/x" "$tmp/sample"; then
		ok "$c: a cut stream yields a prefix ($(wc -c <"$tmp/x") bytes)"
	else
		not_ok "$c: a cut stream yields a prefix"
	fi
	expect_fail "$c: list of a cut stream" "ksyms: '" "$ksyms" list "$tmp/$c.cut"

	# overwrite 64 bytes in the middle; the formats with checksums must say "corrupt"
	cp "$tmp/$c" "$tmp/$c.bad"
	printf 'corrupt-corrupt-corrupt-corrupt-corrupt-corrupt-corrupt-corrupt-' |
		dd of="$tmp/$c.bad" bs=1 seek=$((size / 2)) conv=notrunc 2>/dev/null
	case $c in
	lzma | lz4-legacy) pattern="ksyms: '" ;; # no checksum: garbage may decode
	*) pattern="corrupt $c data" ;;
	esac
	expect_fail "$c: corrupt stream" "$pattern" "$ksyms" list "$tmp/$c.bad"
	rm -f "$tmp/x"
	expect_fail "$c: extract of a corrupt stream" "$pattern" "$ksyms" extract -o "$tmp/x" "$tmp/$c.bad"
	if [ "$c" != lzma ] && [ "$c" != lz4-legacy ] && [ -e "$tmp/x" ]; then
		not_ok "$c: extract of a corrupt stream left '$tmp/x' behind"
	fi
done

# Bombs: a small file that inflates far past the cap.
head -c 200000000 /dev/zero | gzip -1 >"$tmp/bomb.gz"
head -c 200000000 /dev/zero | xz -0 -T1 >"$tmp/bomb.xz"
head -c 200000000 /dev/zero | zstd -q -1 >"$tmp/bomb.zst"
for b in bomb.gz bomb.xz bomb.zst; do
	expect_fail "$b ($(wc -c <"$tmp/$b") bytes) with a 64 MiB cap" "more than the 67108864-byte limit" \
		"$ksyms" list --max-output 67108864 "$tmp/$b"
	{ fake_decompressor 3; cat "$tmp/$b"; } >"$tmp/$b.embedded"
	expect_fail "$b inside a self-decompressing image" "more than the 67108864-byte limit" \
		"$ksyms" list --max-output 67108864 "$tmp/$b.embedded"
done

# A zstd frame may ask for a window up to 2 GiB, which libzstd allocates
# before decoding a byte: the window may not be larger than --max-output.
"$ksyms" gen --base 0xffffffff81000000 -o "$tmp/gen-raw" "$data/gen-fixture.map"
zstd -q --long=31 -c <"$tmp/gen-raw" >"$tmp/gen.zst-long31"
expect_fail "zstd --long=31 (2 GiB window) with the default 1 GiB cap" \
	"asks for a window larger than the output limit" "$ksyms" list "$tmp/gen.zst-long31"
if "$ksyms" list --max-output 2G "$tmp/gen.zst-long31" >"$tmp/listed" 2>"$tmp/err" &&
	cmp -s "$tmp/listed" "$data/gen-fixture.map"; then
	ok "zstd --long=31 with --max-output 2G: list gives the generator's input"
else
	not_ok "zstd --long=31 with --max-output 2G: list gives the generator's input"
fi

# Codec libraries are opened on first use: without one, its codec fails
# cleanly, the others and raw images still work.  (ASan wants its runtime
# first among the preloaded libraries; this shim does not care.)
# (libbz2 is also tried as libbz2.so.1, the name some distributions give it)
all_libs="libz.so.1 liblzma.so.5 libzstd.so.1 liblz4.so.1 libbz2.so.1.0 libbz2.so.1 liblzo2.so.2 libsnappy.so.1"
without() {
	libs=$1
	shift
	LD_PRELOAD="$hide_libs${LD_PRELOAD:+ $LD_PRELOAD}" KSYMS_TEST_HIDE_LIBS="$libs" \
		ASAN_OPTIONS="${ASAN_OPTIONS:-}${ASAN_OPTIONS:+:}verify_asan_link_order=0" "$@"
}
if without "$all_libs" "$ksyms" list "$tmp/gen-raw" >"$tmp/listed" 2>"$tmp/err" &&
	cmp -s "$tmp/listed" "$data/gen-fixture.map"; then
	ok "no codec library installed: a raw image lists"
else
	not_ok "no codec library installed: a raw image lists"
fi
for c in $codecs; do
	case $c in
	gzip) so=libz.so.1 pkg=zlib1g ;;
	xz | lzma) so=liblzma.so.5 pkg=liblzma5 ;;
	bzip2) so=libbz2.so.1.0 pkg=libbz2-1.0 ;;
	lzo) so=liblzo2.so.2 pkg=liblzo2-2 ;;
	lz4 | lz4-legacy) so=liblz4.so.1 pkg=liblz4-1 ;;
	zstd) so=libzstd.so.1 pkg=libzstd1 ;;
	esac
	hide=$so
	[ $c = bzip2 ] && hide="$so libbz2.so.1"
	"$ksyms" list "$tmp/gen.$c" 2>&1 >/dev/null | grep -q "support is not built in" && continue
	expect_fail "$c without $so" "but $so cannot be loaded (install $pkg)" without "$hide" "$ksyms" list "$tmp/gen.$c"
	expect_fail "$c without $so, inside a self-decompressing image" "but $so cannot be loaded (install $pkg)" \
		without "$hide" "$ksyms" list "$tmp/gen.$c.embedded"
	others=$(echo "$all_libs" | sed "s/$so//")
	if without "$others" "$ksyms" list "$tmp/gen.$c" >"$tmp/listed" 2>"$tmp/err" &&
		cmp -s "$tmp/listed" "$data/gen-fixture.map"; then
		ok "$c with only $so installed: list gives the generator's input"
	else
		not_ok "$c with only $so installed"
	fi
done

if [ ! -e "$zstd_stub" ]; then
	not_ok "the stand-in libzstd.so.1 was not built ($zstd_stub)"
elif ! "$ksyms" list "$tmp/gen.zstd" 2>&1 >/dev/null | grep -q "support is not built in"; then
	expect_fail "zstd with a libzstd.so.1 that lacks libzstd's functions" \
		"zstd data, but libzstd.so.1 is not usable: it has no ZSTD_" \
		env LD_LIBRARY_PATH="$(dirname "$zstd_stub")${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}" "$ksyms" list "$tmp/gen.zstd"
fi

# An ARM zImage tries its candidates itself: a missing library is named,
# not taken for a stream that does not decode ("no compressed kernel found").
mkcontainer=$(dirname "$0")/mkcontainer
if [ -x "$mkcontainer" ] || [ -r "$mkcontainer" ]; then
	python3 "$mkcontainer" zimage "$tmp/gen.xz" "$(wc -c <"$tmp/gen-raw")" "$tmp/zImage.xz" le
	expect_fail "ARM zImage (xz) without liblzma.so.5" "but liblzma.so.5 cannot be loaded (install liblzma5)" \
		without liblzma.so.5 "$ksyms" list "$tmp/zImage.xz"
fi
# kdump-compressed pages likewise: not "no kernel found" when a page codec's library is missing
for dump in "kdump-lzo liblzo2.so.2 liblzo2-2" "kdump-zstd libzstd.so.1 libzstd1" "kdump-snappy libsnappy.so.1 libsnappy1v5"; do
	set -- $dump
	xz -dc "$data/dumps/7.2-amd64/core.$1.xz" >"$tmp/core.$1" || { not_ok "$1: no test dump"; continue; }
	"$ksyms" info "$tmp/core.$1" 2>&1 >/dev/null | grep -q "not built in" && continue
	expect_fail "$1 without $2" "pages, but $2 cannot be loaded (install $3)" without "$2" "$ksyms" info "$tmp/core.$1"
	rm -f "$tmp/core.$1"
done

# ksyms config needs libz only for an embedded .config: without it, a kernel
# that has none still says so, and one with IKCFG_ST names the library
if ! "$ksyms" config -q "$tmp/gen-raw" 2>&1 | grep -q "which this build of ksyms lacks"; then
	expect_fail "config without libz.so.1, no .config embedded" "built without CONFIG_IKCONFIG" \
		without libz.so.1 "$ksyms" config -q "$tmp/gen-raw"
	python3 -c 'import gzip, sys
open(sys.argv[1], "wb").write(open(sys.argv[2], "rb").read() + b"IKCFG_ST" + gzip.compress(b"CONFIG_X=y\n") + b"IKCFG_ED")' \
		"$tmp/ikconfig" "$tmp/gen-raw"
	expect_fail "config without libz.so.1, a .config embedded" "but libz.so.1 cannot be loaded (install zlib1g)" \
		without libz.so.1 "$ksyms" config -q "$tmp/ikconfig"
fi

# extract: --step, stdout, refusing to overwrite
"$ksyms" extract --step 0 -o - "$tmp/gzip.embedded" >"$tmp/x" 2>"$tmp/err" && cmp -s "$tmp/x" "$tmp/sample" &&
	ok "extract --step 0 -o - writes layer 0 to a pipe" || not_ok "extract --step 0 -o -"
expect_fail "extract --step past the chain" "no layer 5" "$ksyms" extract --step 5 -o "$tmp/y" "$tmp/gzip"
cp "$tmp/sample" "$tmp/exists"
expect_fail "extract refuses to overwrite" "use --force" "$ksyms" extract -o "$tmp/exists" "$tmp/xz"
expect_same "extract --force overwrites" "$tmp/exists" "$ksyms" extract --force -o "$tmp/exists" "$tmp/xz"
cp "$tmp/xz" "$tmp/self"
expect_fail "extract --force will not overwrite its input" "is the input file" \
	"$ksyms" extract --force -o "$tmp/self" "$tmp/self"
cmp -s "$tmp/self" "$tmp/xz" && ok "the input is intact" || not_ok "the input was damaged"
"$ksyms" extract "$tmp/xz" >/dev/null 2>&1
[ $? -eq 2 ] && ok "extract without -o is a usage error" || not_ok "extract without -o is a usage error"
if command -v script >/dev/null; then
	script -qec "$ksyms extract -o - $tmp/xz" /dev/null >"$tmp/tty" 2>&1
	grep -q "refusing to write a kernel to a terminal" "$tmp/tty" && ok "extract -o - refuses a terminal" ||
		not_ok "extract -o - refuses a terminal"
fi

echo "1..$n"
[ $fails -eq 0 ]
