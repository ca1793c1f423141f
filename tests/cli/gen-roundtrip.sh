#!/bin/sh
# `ksyms gen` then `ksyms list`: the listing must give back the input, byte
# for byte, for every layout x bits x endian x {raw image, ELF}; plus the
# command's own behaviour (filters, errors, output rules).  TAP output.
#   gen-roundtrip.sh KSYMS DATADIR
#
# The fixtures (tests/data/make-gen-fixture.py) are already in kallsyms
# table order and hold nothing any era's filter drops, so the default
# (filtering) run must keep every line.  Layouts the decoder cannot read
# back yet are TAP TODOs: they are reported, and an unexpected pass fails
# the test so that the entry gets removed when the decoder is fixed.
set -u
ksyms=$1
data=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
n=0

ok() { n=$((n + 1)); echo "ok $n - $*"; }
not_ok() { n=$((n + 1)); echo "not ok $n - $*"; }
# check DESCRIPTION TODO_REASON COMMAND...: the command must succeed
check() {
	desc=$1 todo=$2
	shift 2
	if "$@" >"$tmp/check.out" 2>&1; then
		r=ok
	else
		r="not ok"
		[ -z "$todo" ] && sed 's/^/#   /' "$tmp/check.out" | head -20
	fi
	n=$((n + 1))
	if [ -n "$todo" ]; then
		echo "$r $n - $desc # TODO $todo"
	else
		echo "$r $n - $desc"
	fi
}

# same EXPECTED ACTUAL: equal files, else the first differing lines
same() {
	if cmp -s "$1" "$2"; then
		return 0
	fi
	echo "$(wc -l <"$2") lines listed, $(wc -l <"$1") expected; first difference:"
	diff "$1" "$2" | head -6
	return 1
}

# roundtrip MAP EXPECTED LIST_ARGS -- GEN_ARGS...
roundtrip() {
	map=$1 want=$2 list_args=$3
	shift 4
	rm -f "$tmp/img"
	"$ksyms" gen "$@" -o "$tmp/img" "$map" || return 1
	# shellcheck disable=SC2086
	"$ksyms" list $list_args "$tmp/img" >"$tmp/listed" || return 1
	same "$want" "$tmp/listed"
}

# What the decoder cannot read back: nothing (a layout listed here is a
# TAP TODO, and an unexpected pass fails the test).
gap() { # LAYOUT BITS WRAP
	:
}

full64=$data/gen-fixture.map
cut -c9- "$full64" >"$tmp/full32"
awk 'length($3) < 128' "$full64" >"$tmp/short64"
cut -c9- "$tmp/short64" >"$tmp/short32"

"$ksyms" gen --list-layouts >"$tmp/layouts"
layouts=$(awk '{print $1}' "$tmp/layouts")
if [ "$(echo "$layouts" | wc -l)" -ge 14 ]; then ok "--list-layouts: $(echo $layouts)"; else not_ok "--list-layouts"; fi

for layout in $layouts; do
	short_names=false
	grep -q "^$layout .*1-byte name lengths" "$tmp/layouts" && short_names=true
	for bits in 64 32; do
		if [ "$bits" = 64 ] && grep -q "^$layout .*32-bit only" "$tmp/layouts"; then
			continue
		fi
		base=0xffffffff81000000
		[ "$bits" = 32 ] && base=0x81000000
		map=$full64
		[ "$bits" = 32 ] && map=$tmp/full32
		if $short_names; then
			# KSYM_NAME_LEN was 128 before 6.1: the 250-character name is refused
			rm -f "$tmp/img"
			"$ksyms" gen --layout "$layout" --bits "$bits" -o "$tmp/img" "$map" >"$tmp/out" 2>"$tmp/err"
			rc=$?
			if [ $rc -eq 1 ] && [ ! -s "$tmp/out" ] && [ "$(wc -l <"$tmp/err")" -eq 1 ] && [ ! -e "$tmp/img" ]; then
				ok "$layout $bits-bit refuses a 250-character name: $(cat "$tmp/err")"
			else
				not_ok "$layout $bits-bit with a 250-character name: exit $rc, $(cat "$tmp/err")"
			fi
			map=$tmp/short64
			[ "$bits" = 32 ] && map=$tmp/short32
		fi
		for endian in little big; do
			for wrap in raw elf; do
				elf=
				[ $wrap = elf ] && elf=--elf
				list_args=
				# a raw 7.0 image does not say where it is loaded
				[ $wrap = raw ] && [ "$layout" = 7.0 ] && list_args="--base $base"
				todo=$(gap "$layout" "$bits" $wrap)
				check "$layout $bits-bit $endian $wrap" "$todo" \
					roundtrip "$map" "$map" "$list_args" -- --layout "$layout" --bits "$bits" \
					--endian $endian --base $base $elf
				if [ -n "$todo" ] && [ $wrap = raw ] && [ "${layout%-percpu}" = "$layout" ]; then
					check "$layout $bits-bit $endian raw, listed with --bits $bits" "" \
						roundtrip "$map" "$map" "--bits $bits" -- --layout "$layout" --bits "$bits" \
						--endian $endian --base $base
				fi
			done
		done
	done
done

# --absolute-percpu (x86-64): symbols in [__per_cpu_start, __per_cpu_end] become 'A'
# (fixed-width hex compares as strings; the "x" keeps awk from comparing numbers)
awk 'NR == FNR { if ($3 == "__per_cpu_start") s = "x" $1; if ($3 == "__per_cpu_end") e = "x" $1; next }
	{ a = "x" $1; print $1 " " (a >= s && a <= e ? "A" : $2) " " $3 }' \
	"$data/gen-percpu.map" "$data/gen-percpu.map" >"$tmp/percpu-want"
for layout in 4.6-percpu 5.10-percpu 6.2-percpu 6.4-percpu 5.10-absolute 6.4-absolute 2.6; do
	for wrap in raw elf; do
		elf=
		[ $wrap = elf ] && elf=--elf
		check "$layout --absolute-percpu $wrap" "" \
			roundtrip "$data/gen-percpu.map" "$tmp/percpu-want" "" -- --layout "$layout" --absolute-percpu $elf
	done
done

# --text-only: [_stext, _etext] and [_sinittext, _einittext], nothing else
# at _etext/_einittext; 6.4+ also keeps __start_*/__stop_*
text_only() { # KEEP_START_STOP
	awk -v ss="$1" '
	{ a[NR] = $0; addr[NR] = "x" $1; name[NR] = $3 }
	$3 == "_stext" { s = "x" $1 } $3 == "_etext" { e = "x" $1 }
	$3 == "_sinittext" { is = "x" $1 } $3 == "_einittext" { ie = "x" $1 }
	END {
		for (i = 1; i <= NR; i++) {
			x = addr[i]; nm = name[i]
			if (ss && (nm ~ /^__start_/ || nm ~ /^__stop_/)) { print a[i]; continue }
			if (!((x >= s && x <= e) || (x >= is && x <= ie))) continue
			if ((x == e && nm != "_etext") || (x == ie && nm != "_einittext")) continue
			print a[i]
		}
	}' "$full64"
}
text_only 0 | awk 'length($3) < 128' >"$tmp/text-5.10"
text_only 1 >"$tmp/text-6.4"
check "5.10 --text-only" "" roundtrip "$tmp/short64" "$tmp/text-5.10" "" -- --layout 5.10 --text-only
check "6.4 --text-only keeps __start_/__stop_" "" roundtrip "$full64" "$tmp/text-6.4" "" -- --layout 6.4 --text-only
check "7.0 --no-filter, ELF" "" roundtrip "$full64" "$full64" "" -- --layout 7.0 --no-filter --elf

# The filters of each era on top of the fixture
{
	cat "$full64"
	echo "ffffffff81001000 t \$x"
	echo "ffffffff81001000 w weak_undefined"
	echo "ffffffff81001000 U printk"
	echo "ffffffff81001000 A __crc_printk"
	echo "ffffffff81001000 t .Ltmp0"
	echo "ffffffff81001000 r __kstrtab_printk"
} >"$tmp/dirty"
sort -s -k1,1 "$tmp/dirty" >"$tmp/dirty.map"
check "6.4 filters nm output back to the fixture" "" roundtrip "$tmp/dirty.map" "$full64" "" -- --layout 6.4
check "7.0 --no-filter keeps what the filters drop" "" sh -c \
	"'$ksyms' gen --layout 7.0 --no-filter --elf -o '$tmp/nf' '$tmp/dirty.map' && '$ksyms' list '$tmp/nf' | grep -q ' U printk\$'"

# nm's '?' type (ppc64 __nosave_begin, in System.map) is stored as is
{ head -2 "$full64"; echo "ffffffff81000000 ? __nosave_begin"; tail -n +3 "$full64"; } >"$tmp/unknown"
check "a '?' symbol" "" \
	roundtrip "$tmp/unknown" "$tmp/unknown" "" -- --layout 6.4

# Input forms: stdin, module lines of /proc/kallsyms, CRLF
{ cat "$full64"; printf 'ffffffffc0001000 t mod_fn\t[some_mod]\n'; } >"$tmp/proc"
check "module lines are skipped" "" roundtrip "$tmp/proc" "$full64" "" -- --layout 6.4
sed 's/$/\r/' "$full64" >"$tmp/crlf"
check "CRLF lines" "" roundtrip "$tmp/crlf" "$full64" "" -- --layout 6.4
check "stdin" "" sh -c "'$ksyms' gen -o '$tmp/stdin.img' - <'$full64' && '$ksyms' list '$tmp/stdin.img' | cmp -s - '$full64'"

# Output rules: nothing on stdout, no overwriting without --force
rm -f "$tmp/o"
out=$("$ksyms" gen -o "$tmp/o" "$full64" 2>&1)
if [ -z "$out" ] && [ -s "$tmp/o" ]; then ok "gen prints nothing"; else not_ok "gen printed: $out"; fi
cp "$tmp/o" "$tmp/o.before"
"$ksyms" gen --layout 7.0 -o "$tmp/o" "$full64" >"$tmp/out" 2>"$tmp/err"
rc=$?
if [ $rc -eq 1 ] && cmp -s "$tmp/o" "$tmp/o.before" && grep -q -- "--force" "$tmp/err"; then
	ok "an existing OUT is kept: $(cat "$tmp/err")"
else
	not_ok "existing OUT: exit $rc"
fi
check "--force overwrites" "" sh -c "'$ksyms' gen --force --layout 7.0 -o '$tmp/o' '$full64' && ! cmp -s '$tmp/o' '$tmp/o.before'"
"$ksyms" gen -v -o "$tmp/v" "$full64" >"$tmp/out" 2>&1
if grep -q "kallsyms_token_index" "$tmp/out"; then ok "-v says where the tables are"; else not_ok "-v"; fi

# Errors: one line naming the file (and line), exit 1, nothing written
bad() { # DESCRIPTION WANT_RC FILE [ARGS]
	desc=$1 want=$2 file=$3
	shift 3
	rm -f "$tmp/bad.img"
	"$ksyms" gen "$@" -o "$tmp/bad.img" "$file" >"$tmp/out" 2>"$tmp/err"
	rc=$?
	if [ $rc -eq "$want" ] && [ ! -s "$tmp/out" ] && [ ! -e "$tmp/bad.img" ] &&
		{ [ "$want" -eq 2 ] || [ "$(wc -l <"$tmp/err")" -eq 1 ]; }; then
		ok "$desc: $(head -1 "$tmp/err")"
	else
		not_ok "$desc: exit $rc, stderr: $(cat "$tmp/err")"
	fi
}
{ head -3 "$full64"; echo "not a symbol line at all"; } >"$tmp/malformed"
bad "malformed line" 1 "$tmp/malformed"
grep -q "malformed.map':4:\|malformed':4:" "$tmp/err" && ok "the error names file:line" || not_ok "no file:line in $(cat "$tmp/err")"
printf 'ffffffff81000000 \001 odd\n' >"$tmp/badtype"
bad "control character as type" 1 "$tmp/badtype"
{ echo "ffffffff81000000 TT two_letters"; } >"$tmp/badtype2"
bad "two-letter type" 1 "$tmp/badtype2"
{ echo "xyz T name"; } >"$tmp/badaddr"
bad "address not hex" 1 "$tmp/badaddr"
{ echo "1ffffffff81000000 T name"; } >"$tmp/bigaddr"
bad "address over 64 bits" 1 "$tmp/bigaddr"
: >"$tmp/empty"
bad "empty input" 1 "$tmp/empty"
bad "missing input" 1 "$tmp/does-not-exist"
bad "64-bit addresses with --bits 32" 1 "$full64" --bits 32
bad "unknown layout" 2 "$full64" --layout 9.9
bad "7.0-abs32 with --bits 64" 2 "$full64" --layout 7.0-abs32
bad "--bits 16" 2 "$full64" --bits 16

echo "1..$n"
