#!/bin/sh
# bench-symbolize.sh [KSYMS] [KERNEL_ID] [LINES]: how fast `ksyms symbolize`
# annotates a big log.  The log (default 100,000 lines) is made from the
# corpus kernel's System.map: call traces as a kernel without kallsyms
# prints them ("? 0xffffffff9a2b3c4d"), frames that name their symbol,
# register dumps mixing kernel and other values, plain dmesg lines, all
# moved by a KASLR slide that the closing "Kernel Offset:" line gives.
# Prints the best of three runs (wall and CPU time), for the whole command
# and for loading the table alone (an empty log); the difference is the
# symbolizing.
#   KSYMS_CORPUS   unpacked corpus (default ~/.cache/ksyms-corpus)
set -eu
ksyms=${1:-build/tools/ksyms/ksyms}
id=${2:-6.12-amd64}
lines=${3:-100000}
dir=${KSYMS_CORPUS:-$HOME/.cache/ksyms-corpus}/$id
[ -f "$dir/System.map" ] || { echo "no corpus kernel $dir" >&2; exit 1; }
image=$(find "$dir" -maxdepth 1 -name 'vmlinu*' -print -quit)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

python3 - "$dir/System.map" "$lines" > "$tmp/big.log" <<'EOF'
import bisect, random, sys
rng = random.Random(42)
syms, every = [], set()
for line in open(sys.argv[1]):
    a, t, n = line.split()[:3]
    if t not in 'AaUuNn':
        every.add(int(a, 16))    # sizes end at the next symbol of any kind
    if t in 'tTwW' and not n.startswith('$'):
        syms.append((int(a, 16), n))
stext = min(a for a, n in syms if n == '_stext') if any(n == '_stext' for _, n in syms) else 0
syms = sorted(s for s in syms if s[0] >= stext)   # %pS resolves nothing below _stext
addrs = sorted(every)
size = {a: addrs[i + 1] - a for i, a in enumerate(addrs[:-1])}
syms = [(a, n) for a, n in syms if size.get(a, 0) > 1]
width = 16 if addrs[-1] > 0xffffffff else 8
slide = 0x1c600000
out = []
for i in range(int(sys.argv[2]) - 1):
    ts = '[%5d.%06d] ' % (i // 1000, i % 1000000)
    a, n = rng.choice(syms)
    off = rng.randrange(1, size[a])
    k = i % 10
    if k < 4:
        out.append('%s %s0x%0*x' % (ts, '? ' if k & 1 else '', width, a + off + slide))
    elif k < 6:
        out.append('%s %s+0x%x/0x%x' % (ts, n, off, size[a]))
    elif k < 8:
        vals = [a + off + slide, rng.getrandbits(4 * width), 0, rng.getrandbits(32)]
        rng.shuffle(vals)
        out.append(ts + 'RAX: %0*x RBX: %0*x RCX: %0*x RDX: %0*x' % sum(((width, v) for v in vals), ()))
    else:
        out.append(ts + 'usb 1-1: new high-speed USB device number %d using xhci_hcd' % i)
out.append('[99999.999999] Kernel Offset: 0x%x from 0x%x' % (slide, min(a for a, n in syms if n == '_text') if any(n == '_text' for _, n in syms) else addrs[0]))
print('\n'.join(out))
EOF
: > "$tmp/empty.log"

# best wall and CPU (user + system) time of three runs of "$@", in seconds:
# on a busy machine the CPU time is the one to trust
best() {
	python3 - "$@" <<'PY'
import resource, subprocess, sys, time
wall = cpu = None
for _ in range(3):
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t = time.monotonic()
    subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
    w = time.monotonic() - t
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    c = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
    wall = w if wall is None else min(wall, w)
    cpu = c if cpu is None else min(cpu, c)
print('%.3f %.3f' % (wall, cpu))
PY
}

n=$(wc -l < "$tmp/big.log")
for src in "$image" "$dir/System.map"; do
	# shellcheck disable=SC2046  # two numbers each, split on purpose
	set -- $(best "$ksyms" symbolize "$src" "$tmp/big.log") $(best "$ksyms" symbolize "$src" "$tmp/empty.log")
	echo "$id $(basename "$src"): $n lines in $1 s wall, $2 s CPU; loading the table alone $3 s wall, $4 s CPU;" \
		"so symbolizing $(awk -v t="$2" -v l="$4" -v n="$n" 'BEGIN { d = t - l; printf "%.3f s CPU, %.0f lines/s", d, (d > 0 ? n / d : 0) }')"
done
"$ksyms" symbolize -q --json "$dir/System.map" "$tmp/big.log" |
	python3 -c 'import json, sys; d = json.load(sys.stdin); print("check: slide %s from %s, %d annotated, %d checked, %d mismatches" % (d["slide"], d["slide_source"], d["annotated"], d["checked"], d["mismatches"]))'
