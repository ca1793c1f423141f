#!/bin/sh
# addr2sym, sym2addr and config on small hand-made inputs (TAP): the
# output formats, stdin, exit statuses, module symbols, kptr_restrict
# zeros, duplicate static names, globs, JSON, and an embedded .config in a
# plain and a gzip'd binary.  The real kernels are in tests/corpus.
#   cli_lookups.sh KSYMS
set -u
ksyms=$1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
n=0
fails=0

ok() { # name
	n=$((n + 1))
	echo "ok $n - $1"
}

not_ok() { # name detail
	n=$((n + 1))
	fails=$((fails + 1))
	echo "not ok $n - $1"
	printf '%s\n' "$2" | sed 's/^/#   /'
}

# expect NAME WANT_RC WANT_STDOUT_FILE command...
expect() {
	name=$1 want_rc=$2 want=$3
	shift 3
	"$@" >"$tmp/out" 2>"$tmp/err" <"${STDIN:-/dev/null}"
	rc=$?
	if [ "$rc" -ne "$want_rc" ]; then
		not_ok "$name" "exit $rc, want $want_rc; stderr: $(cat "$tmp/err")"
	elif ! cmp -s "$tmp/out" "$want"; then
		not_ok "$name" "$(diff "$want" "$tmp/out")"
	else
		ok "$name"
	fi
}

# stderr_has NAME TEXT: the last command's stderr mentions TEXT
stderr_has() {
	if grep -q -- "$2" "$tmp/err"; then ok "$1"; else not_ok "$1" "stderr: $(cat "$tmp/err")"; fi
}

cat >"$tmp/System.map" <<'EOF'
ffffffff81000000 T _stext
ffffffff81000000 T _text
ffffffff81000010 t helper
ffffffff81000040 T do_thing
ffffffff81000080 t dup
ffffffff81000100 t dup
ffffffff81000180 T _etext
ffffffff82000000 D some_data
ffffffff82001000 B _end
EOF
printf 'ffffffff81000000 T _stext\nffffffff81000010 t helper\nffffffff81000180 T _etext\nffffffffc0001000 t mod_fn\t[mymod]\nffffffffc0001040 T mod_fn2\t[mymod]\n' >"$tmp/kallsyms"
printf '0000000000000000 T _stext\n0000000000000000 t helper\n0000000000000000 t mod_fn\t[mymod]\n' >"$tmp/zeroed"
map=$tmp/System.map

printf 'ffffffff81000014 helper+0x4/0x30\nffffffff82000008 some_data+0x8/0x1000\n' >"$tmp/want"
expect "addr2sym: %pS, with and without 0x" 0 "$tmp/want" "$ksyms" addr2sym "$map" 0xffffffff81000014 ffffffff82000008

printf 'ffffffff80000000 not in any symbol\nffffffff82001000 not in any symbol\n' >"$tmp/want"
expect "addr2sym: before _stext and at _end: not in any symbol, exit 1" 1 "$tmp/want" \
	"$ksyms" addr2sym "$map" ffffffff80000000 ffffffff82001000

printf 'ffffffff81000000 _stext+0x0/0x10\nffffffff81000000 _text+0x0/0x10\n' >"$tmp/want"
expect "addr2sym --all-aliases: every name, table order" 0 "$tmp/want" "$ksyms" addr2sym -a "$map" ffffffff81000000

printf 'ffffffff81000044\n  0xffffffff81000081\tjunk\n\n' >"$tmp/in"
printf 'ffffffff81000044 do_thing+0x4/0x40\nffffffff81000081 dup+0x1/0x80\n' >"$tmp/want"
STDIN=$tmp/in expect "addr2sym: addresses from stdin; a bad token fails the run" 1 "$tmp/want" \
	"$ksyms" addr2sym "$map"
stderr_has "addr2sym: the bad token is named" "'junk' is not a kernel address"

printf 'ffffffffc0001010 mod_fn+0x10/0x40 [mymod]\nffffffffc0001050 mod_fn2+0x10/? [mymod]\n' >"$tmp/want"
expect "addr2sym: module symbols from /proc/kallsyms" 0 "$tmp/want" \
	"$ksyms" addr2sym "$tmp/kallsyms" ffffffffc0001010 ffffffffc0001050

: >"$tmp/empty"
expect "addr2sym: kptr_restrict zeros are refused" 1 "$tmp/empty" "$ksyms" addr2sym "$tmp/zeroed" 0
stderr_has "addr2sym: ... with the reason" "kptr_restrict"
expect "sym2addr: kptr_restrict zeros are refused" 1 "$tmp/empty" "$ksyms" sym2addr "$tmp/zeroed" helper

printf 'ffffffff81000080 t dup\t(1 of 2: kallsyms_lookup_name)\nffffffff81000100 t dup\t(2 of 2)\n' >"$tmp/want"
expect "sym2addr: duplicated static name, lowest first and marked" 0 "$tmp/want" "$ksyms" sym2addr "$map" dup

printf 'ffffffff81000040 T do_thing\nffffffff81000080 t dup\t(1 of 2: kallsyms_lookup_name)\nffffffff81000100 t dup\t(2 of 2)\nffffffff81000010 t helper\n' >"$tmp/want"
expect "sym2addr: globs" 0 "$tmp/want" "$ksyms" sym2addr "$map" 'd*' helper

printf 'ffffffff81000010 t helper\n' >"$tmp/want"
expect "sym2addr: unknown name: exit 1" 1 "$tmp/want" "$ksyms" sym2addr "$map" nosuch helper 'zz*'
stderr_has "sym2addr: ... named on stderr" "'nosuch': no such symbol"

"$ksyms" addr2sym -j "$map" 0xffffffff81000014 1 >"$tmp/a.json" 2>/dev/null
"$ksyms" sym2addr -j "$map" dup nosuch >"$tmp/s.json" 2>/dev/null
if python3 - "$tmp/a.json" "$tmp/s.json" <<'EOF'
import json, sys
a = [json.loads(l) for l in open(sys.argv[1])]
s = [json.loads(l) for l in open(sys.argv[2])]
assert a[0] == {"addr": "0xffffffff81000014", "symbol": "helper+0x4/0x30", "name": "helper", "offset": 4, "size": 48}, a
assert a[1]["symbol"] is None and a[1]["error"] == "not in any symbol", a
assert [x.get("lookup_name") for x in s] == [True, False, None], s
assert s[2] == {"query": "nosuch", "error": "no such symbol"}, s
EOF
then ok "JSON output of addr2sym and sym2addr"; else not_ok "JSON output of addr2sym and sym2addr" "$(cat "$tmp/a.json" "$tmp/s.json")"; fi

expect "list --exported on a symbol list: unknown, said" 1 "$tmp/empty" "$ksyms" list --exported "$map"
stderr_has "list --exported: ... why" "no ksymtab"

# An embedded .config as kernel/configs.c lays it out, in a plain binary
# and inside a gzip'd one.
printf '#\n# Automatically generated file; DO NOT EDIT.\n#\nCONFIG_IKCONFIG=y\nCONFIG_KALLSYMS=y\n' >"$tmp/config"
python3 - "$tmp/config" "$tmp/img" <<'EOF'
import gzip, random, sys
r = random.Random(4)
cfg = open(sys.argv[1], 'rb').read()
blob = bytes(r.getrandbits(8) for _ in range(5000))
open(sys.argv[2], 'wb').write(blob + b'Linux version 9.9.9 (t) #1\n' + blob + b'IKCFG_ST' + gzip.compress(cfg) + b'IKCFG_ED' + blob)
EOF
expect "config: the embedded .config" 0 "$tmp/config" "$ksyms" config "$tmp/img"
stderr_has "config: the banner on stderr" "Linux version 9.9.9"
gzip -c "$tmp/img" >"$tmp/img.gz"
expect "config: inside a gzip'd image" 0 "$tmp/config" "$ksyms" config -q "$tmp/img.gz"
{ echo "# Linux version 9.9.9 (t) #1"; cat "$tmp/config"; } >"$tmp/want"
expect "config --banner: first, as a comment" 0 "$tmp/want" "$ksyms" config --banner "$tmp/img"
expect "config: none embedded: exit 1" 1 "$tmp/empty" "$ksyms" config "$map"
stderr_has "config: ... said plainly" "built without CONFIG_IKCONFIG"

echo "1..$n"
[ "$fails" -eq 0 ]
