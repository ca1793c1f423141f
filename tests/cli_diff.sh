#!/bin/sh
# ksyms diff and ksyms check-map on small lists made here: exit statuses,
# output, and bad input (one line on stderr naming the file, nothing on
# stdout; diff exits 2 like diff(1), check-map 1).  TAP output.
#   cli_diff.sh KSYMS
set -u
ksyms=$1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
n=0
fails=0

ok() { n=$((n + 1)); echo "ok $n - $*"; }
not_ok() {
	n=$((n + 1))
	fails=$((fails + 1))
	echo "not ok $n - $*"
	sed 's/^/#   /' "$tmp/out" "$tmp/err" | head -20
}

# run EXPECTED_STATUS DESCRIPTION COMMAND...: status as expected
run() {
	want=$1 desc=$2
	shift 2
	"$@" >"$tmp/out" 2>"$tmp/err"
	rc=$?
	if [ $rc -eq "$want" ]; then ok "$desc"; else not_ok "$desc: exit $rc, expected $want"; fi
}

# bad STATUS DESCRIPTION COMMAND...: one stderr line, no stdout, that status
bad() {
	want=$1 desc=$2
	shift 2
	"$@" >"$tmp/out" 2>"$tmp/err"
	rc=$?
	if [ $rc -eq "$want" ] && [ ! -s "$tmp/out" ] && [ "$(wc -l <"$tmp/err")" -eq 1 ] &&
		grep -q "^ksyms: " "$tmp/err"; then
		ok "$desc: $(cat "$tmp/err")"
	else
		not_ok "$desc: exit $rc (expected $want), stdout $(wc -c <"$tmp/out") bytes, stderr $(wc -l <"$tmp/err") lines"
	fi
}

# has PATTERN DESCRIPTION: the last command's stdout matches
has() {
	if grep -q -e "$1" "$tmp/out"; then ok "$2"; else not_ok "$2: no '$1' in the output"; fi
}

cat >"$tmp/map" <<'EOF'
0000000000000000 A abs_sym
ffffffff81000000 T _stext
ffffffff81000000 T _text
ffffffff81000100 t __pfx_helper
ffffffff81000100 t helper
ffffffff81000200 T start_kernel
ffffffff81000300 t dup
ffffffff81000400 t dup
ffffffff81001000 T _etext
ffffffff82000000 D init_task
ffffffff82001000 B _end
EOF
# what kallsyms shows of it: its alias order (fewer underscores first), a module
cat >"$tmp/proc" <<'EOF'
ffffffff81000000 T _stext
ffffffff81000000 T _text
ffffffff81000100 t helper
ffffffff81000100 t __pfx_helper
ffffffff81000200 T start_kernel
ffffffff81000300 t dup
ffffffff81000400 t dup
ffffffff81001000 T _etext
ffffffff82000000 D init_task
ffffffff82001000 B _end
ffffffffc0001000 t mod_fn	[snd]
EOF
# KASLR: everything 0x2c5a00000 higher
python3 - "$tmp/proc" "$tmp/kaslr" <<'EOF'
import sys
with open(sys.argv[1]) as f, open(sys.argv[2], 'w') as out:
    for line in f:
        a, rest = line.split(' ', 1)
        out.write('%016x %s' % ((int(a, 16) + 0x2c5a00000) % (1 << 64), rest))
EOF
sed 's/^................/0000000000000000/' "$tmp/proc" >"$tmp/hidden"
sed 's/^ffffffff81000200 T start_kernel/ffffffff81000280 T start_kernel/' "$tmp/proc" >"$tmp/moved"
printf 'ffffffff81000000 T _stext\nthis is not a symbol line\n' >"$tmp/malformed"
: >"$tmp/empty"

# --- diff
run 0 "diff: System.map against its /proc/kallsyms" "$ksyms" diff "$tmp/map" "$tmp/proc"
has "^explained:    1 (absolute 1)" "diff: the absolute symbol is explained"
has "^unexplained:  0" "diff: nothing unexplained"
if grep -q '^only-' "$tmp/out"; then not_ok "diff: explained differences are not listed"; else ok "diff: explained differences are not listed"; fi
has "of modules skipped" "diff: module symbols are skipped against a map"
run 0 "diff -a: explained ones listed" "$ksyms" diff -a "$tmp/map" "$tmp/proc"
has "^only-a  0000000000000000 A abs_sym  (absolute)" "diff -a: with their reason"
run 1 "diff: a KASLR'd copy differs" "$ksyms" diff "$tmp/map" "$tmp/kaslr"
has "^slide:        0x2c5a00000 (B - A; explains 10 of 10 moves)" "diff: the slide"
run 1 "diff: one moved symbol" "$ksyms" diff "$tmp/proc" "$tmp/moved"
has "^moved   ffffffff81000200 -> ffffffff81000280 T start_kernel" "diff: the move is listed"
run 1 "diff --strict: the absolute symbol counts" "$ksyms" diff --strict "$tmp/map" "$tmp/proc"
run 0 "diff --summary" "$ksyms" diff --summary "$tmp/proc" "$tmp/moved" -t T -g '_*'
if [ "$(wc -l <"$tmp/out")" -ge 8 ] && ! grep -q '^moved ' "$tmp/out"; then ok "diff --summary: counts only"; else not_ok "diff --summary: counts only"; fi
run 1 "diff --json" "$ksyms" diff --json "$tmp/proc" "$tmp/moved"
if python3 -c "import json,sys; d=json.load(open(sys.argv[1])); assert d['moved']==1 and d['differences'][0]['b']['addr']=='0xffffffff81000280'" "$tmp/out"; then
	ok "diff --json: parses, with the move"
else
	not_ok "diff --json: parses, with the move"
fi
run 0 "diff: a source against itself" "$ksyms" diff "$tmp/proc" "$tmp/proc"
has "^same:         11" "diff: module symbols compared when both have them"
# one source: compared with the running kernel (a fake root: KSYMS_SYSROOT)
mkdir -p "$tmp/root/proc"
cp "$tmp/proc" "$tmp/root/proc/kallsyms"
run 0 "diff: one argument: against the running kernel" env KSYMS_SYSROOT="$tmp/root" "$ksyms" diff "$tmp/proc"
has "^B: .*/root/proc/kallsyms" "diff: one argument: B is /proc/kallsyms"
bad 2 "diff: stdin twice" "$ksyms" diff - -
run 2 "diff: bad option" "$ksyms" diff --bogus "$tmp/map" "$tmp/proc"
bad 2 "diff: missing file" "$ksyms" diff "$tmp/map" "$tmp/nonexistent"
bad 2 "diff: empty file" "$ksyms" diff "$tmp/empty" "$tmp/map"
bad 2 "diff: malformed list" "$ksyms" diff "$tmp/map" "$tmp/malformed"
bad 2 "diff: kptr_restrict zeros" "$ksyms" diff "$tmp/map" "$tmp/hidden"
bad 2 "diff: a non-kernel ELF" "$ksyms" diff "$ksyms" "$tmp/map"
bad 2 "diff: a directory" "$ksyms" diff "$tmp" "$tmp/map"

# --- check-map
run 0 "check-map: matches" "$ksyms" check-map --kallsyms "$tmp/proc" "$tmp/map"
has "matches .* (10 symbols, KASLR slide 0x0)" "check-map: one line, slide 0"
run 0 "check-map: matches with KASLR" "$ksyms" check-map -k "$tmp/kaslr" "$tmp/map"
has "matches .* KASLR slide 0x2c5a00000)" "check-map: the slide"
run 1 "check-map: does not match" "$ksyms" check-map -k "$tmp/moved" "$tmp/map"
has "does NOT match .*: 1 symbol differs beyond a constant slide (e.g. start_kernel at 0xffffffff81000200 in the map, 0xffffffff81000280 in" \
	"check-map: says what differs"
run 0 "check-map --json" "$ksyms" check-map --json -k "$tmp/kaslr" "$tmp/map"
if python3 -c "import json,sys; d=json.load(open(sys.argv[1])); assert d['match'] and d['slide']=='0x2c5a00000'" "$tmp/out"; then
	ok "check-map --json"
else
	not_ok "check-map --json"
fi
bad 1 "check-map: kptr_restrict zeros" "$ksyms" check-map -k "$tmp/hidden" "$tmp/map"
if grep -q "kptr_restrict" "$tmp/err"; then ok "check-map: explains kptr_restrict"; else not_ok "check-map: explains kptr_restrict"; fi
bad 1 "check-map: missing map" "$ksyms" check-map -k "$tmp/proc" "$tmp/nonexistent"
bad 1 "check-map: missing kallsyms" "$ksyms" check-map -k "$tmp/nonexistent" "$tmp/map"
bad 1 "check-map: malformed kallsyms" "$ksyms" check-map -k "$tmp/malformed" "$tmp/map"
bad 1 "check-map: empty map" "$ksyms" check-map -k "$tmp/proc" "$tmp/empty"
bad 1 "check-map: an image as /proc/kallsyms" "$ksyms" check-map -k "$ksyms" "$tmp/map"
run 2 "check-map: two maps" "$ksyms" check-map "$tmp/map" "$tmp/map"
run 2 "check-map: bad option" "$ksyms" check-map --bogus

# the live /proc/kallsyms says size 0: it must be read, not taken as empty
if [ -r /proc/kallsyms ]; then
	"$ksyms" diff --summary /proc/kallsyms /proc/kallsyms >"$tmp/out" 2>"$tmp/err"
	rc=$?
	if [ $rc -eq 0 ] || { [ $rc -eq 2 ] && grep -q kptr_restrict "$tmp/err"; }; then
		ok "diff: the live /proc/kallsyms is read (exit $rc)"
	else
		not_ok "diff: the live /proc/kallsyms is read: exit $rc"
	fi
else
	echo "# no readable /proc/kallsyms here"
fi

echo "1..$n"
[ $fails -eq 0 ]
