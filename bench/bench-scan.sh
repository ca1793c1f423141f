#!/bin/sh
# bench-scan.sh [KSYMS] [RUNS]: how `ksyms scan` scales with -j.  Scans the
# whole corpus folder (twelve kernels beside their System.map, config,
# meta and proc-kallsyms files) with -j 1 and with -j 2, best wall time of
# RUNS (default 3) each, checks that both print the same bytes, and prints
# the ratio.  Then the same for 2000 files of random bytes (what a firmware
# tree is mostly made of: the cost of a file that is no kernel).  The
# machine should be quiet: the ratio is only as good as the idle cores.
#   KSYMS_CORPUS   unpacked corpus (default ~/.cache/ksyms-corpus)
set -eu
ksyms=${1:-build/tools/ksyms/ksyms}
runs=${2:-3}
corpus=${KSYMS_CORPUS:-$HOME/.cache/ksyms-corpus}
[ -d "$corpus" ] || { echo "no corpus at $corpus" >&2; exit 1; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# best wall time of $runs runs of: ksyms scan -j $1 $2 > $tmp/out-$1
best() {
	b=
	for _ in $(seq "$runs"); do
		s=$(date +%s.%N)
		"$ksyms" scan -j "$1" "$2" >"$tmp/out-$1" || [ $? -eq 1 ]
		t=$(echo "$(date +%s.%N) - $s" | bc)
		if [ -z "$b" ] || [ "$(echo "$t < $b" | bc)" -eq 1 ]; then b=$t; fi
	done
	echo "$b"
}

bench() {
	j1=$(best 1 "$2")
	j2=$(best 2 "$2")
	cmp -s "$tmp/out-1" "$tmp/out-2" || { echo "$1: -j 1 and -j 2 differ" >&2; exit 1; }
	printf '%-28s -j 1 %6.2f s   -j 2 %6.2f s   ratio %.2f\n' "$1" "$j1" "$j2" "$(echo "$j1 / $j2" | bc -l)"
}

bench "corpus ($(find "$corpus" -type f | wc -l) files)" "$corpus"
mkdir "$tmp/small"
python3 -c "
import random, sys
r = random.Random(18)
for i in range(2000):
    open('%s/f%04d' % (sys.argv[1], i), 'wb').write(r.randbytes(r.randrange(10, 20000)))
" "$tmp/small"
bench "2000 small files" "$tmp/small"
