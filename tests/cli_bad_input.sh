#!/bin/sh
# Bad input: every case must print one line on stderr naming the file, exit
# with status 1, and print nothing on stdout.
#   cli_bad_input.sh KSYMS            made-up files
#   cli_bad_input.sh KSYMS --corpus   a real kernel (corpus 7.2-arm64) cut short:
#                                     skipped (77) without a corpus, see corpuslib.py
set -u
ksyms=$1
mode=${2:-}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fails=0

check() { # name command...
	name=$1
	shift
	"$@" >"$tmp/out" 2>"$tmp/err"
	rc=$?
	lines=$(wc -l <"$tmp/err")
	if [ $rc -ne 1 ] || [ -s "$tmp/out" ] || [ "$lines" -ne 1 ] || ! grep -q "^ksyms: '" "$tmp/err"; then
		echo "not ok - $name: exit $rc, stdout $(wc -c <"$tmp/out") bytes, stderr:"
		sed 's/^/#   /' "$tmp/err"
		fails=$((fails + 1))
	else
		echo "ok - $name: $(cat "$tmp/err")"
	fi
}

if [ "$mode" = --corpus ]; then
	corpus=$(python3 "$(dirname "$0")/corpus/corpuslib.py") || {
		rc=$?
		echo "$corpus"
		exit $rc
	}
	img=$corpus/7.2-arm64/vmlinuz.unsigned
	[ -f "$img" ] || {
		echo "FAIL: corpus kernel 7.2-arm64 is missing from $corpus: re-run ../shared/corpus/unpack"
		exit 1
	}
	for n in 4096 20000000 27779000 27780000; do
		head -c $n "$img" >"$tmp/cut"
		check "list 7.2-arm64 cut at $n bytes" "$ksyms" list "$tmp/cut"
	done
	[ $fails -eq 0 ]
	exit
fi

: >"$tmp/empty"
python3 -c "import random,sys; r=random.Random(1); sys.stdout.buffer.write(bytes(r.getrandbits(8) for _ in range(1<<20)))" >"$tmp/random"
python3 -c "import sys; sys.stdout.buffer.write(b'\0' * (1 << 20))" >"$tmp/zeros"
# a token_index look-alike with nothing around it
python3 -c "import struct,sys; sys.stdout.buffer.write(b'\x01' * 4096 + struct.pack('<256H', *range(0, 512, 2)) + b'\x01' * 4096)" >"$tmp/lookalike"
printf '\177ELF\002\001\001' >"$tmp/elf-truncated"
head -c 100 "$ksyms" >"$tmp/elf-cut"
printf '\037\213\010\000garbage' >"$tmp/bad.gz"

for cmd in list info; do
	check "$cmd empty file" "$ksyms" $cmd "$tmp/empty"
	check "$cmd random bytes" "$ksyms" $cmd "$tmp/random"
	check "$cmd all zeros" "$ksyms" $cmd "$tmp/zeros"
	check "$cmd token_index look-alike" "$ksyms" $cmd "$tmp/lookalike"
	check "$cmd non-kernel ELF" "$ksyms" $cmd "$ksyms"
	check "$cmd truncated ELF header" "$ksyms" $cmd "$tmp/elf-truncated"
	check "$cmd ELF cut after 100 bytes" "$ksyms" $cmd "$tmp/elf-cut"
	check "$cmd corrupt gzip" "$ksyms" $cmd "$tmp/bad.gz"
	check "$cmd missing file" "$ksyms" $cmd "$tmp/does-not-exist"
	check "$cmd directory" "$ksyms" $cmd "$tmp"
done
[ $fails -eq 0 ]
