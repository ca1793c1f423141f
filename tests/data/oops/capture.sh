#!/usr/bin/env bash
# capture.sh -- make a real kernel crash log for the symbolize tests.
#
# Boots a corpus kernel under QEMU (software emulation by default) with
# KASLR on and a busybox initramfs whose /init asks every CPU for a
# backtrace (sysrq l: register dumps with RIP/pc/lr and call traces), then
# crashes the kernel (sysrq c: panic, call trace, "Kernel Offset:" line).
# The serial console is kept as NAME.log; NAME.stripped.log is the same log
# with every symbol+off/size turned back into the address the kernel would
# have printed without kallsyms (strip.py, using the kernel's System.map).
#
# Usage: capture.sh ARCH KERNEL_DIR NAME
#   ARCH        amd64 | arm64 | riscv64
#   KERNEL_DIR  an unpacked corpus kernel ($KSYMS_CORPUS/<id>): its image and System.map
#   NAME        output prefix, e.g. tests/data/oops/6.12-amd64
#
# Environment: TIMEOUT (default 900 s), ACCEL (default tcg; kvm works for
# amd64 on an x86 host), BUSYBOX (a static busybox for the target; else
# `apt-get download busybox-static:ARCH` from this host's own Debian
# release, after `dpkg --add-architecture ARCH; apt-get update` for a
# foreign ARCH; riscv64 without BUSYBOX gets mkinit-riscv64.py's /init).
# Needs root (mknod for the initramfs).  Prints the QEMU command and how
# long the run took.  Takes 5 to 15 s per kernel under software emulation.
set -euo pipefail

die() { echo "capture.sh: $*" >&2; exit 1; }
[ $# -eq 3 ] || { sed -n '2,24p' "$0"; exit 2; }
ARCH=$1; KDIR=$(readlink -f "$2"); NAME=$3
HERE=$(cd "$(dirname "$0")" && pwd)
TIMEOUT=${TIMEOUT:-900}; ACCEL=${ACCEL:-tcg}
[ "$(id -u)" = 0 ] || die "run as root"
KERNEL=$(find "$KDIR" -maxdepth 1 -name 'vmlinu*' -print -quit)
[ -f "$KERNEL" ] || die "no kernel image in $KDIR"
[ -f "$KDIR/System.map" ] || die "no System.map in $KDIR"

# shellcheck disable=SC2054  # commas inside -cpu are intended
case $ARCH in
amd64)   QEMU=qemu-system-x86_64;  CONSOLE=ttyS0;   MACH=(-M pc -cpu max) ;;
arm64)   QEMU=qemu-system-aarch64; CONSOLE=ttyAMA0
         # pauth-impdef: a cheap pointer-auth hash keeps TCG fast
         MACH=(-M virt -cpu max,pauth-impdef=on) ;;
riscv64) QEMU=qemu-system-riscv64; CONSOLE=ttyS0;   MACH=(-M virt -bios default) ;;
*) die "unsupported arch $ARCH" ;;
esac
command -v "$QEMU" >/dev/null || die "$QEMU missing: apt-get install qemu-system-x86 qemu-system-arm qemu-system-misc"

WORK=$(mktemp -d); trap 'rm -rf "$WORK"' EXIT

R=$WORK/root
mkdir -p "$R"/{bin,dev,proc,sys}
mknod -m 600 "$R/dev/console" c 5 1
if [ "$ARCH" = riscv64 ] && [ -z "${BUSYBOX:-}" ]; then
	# Debian has riscv64 packages from 13 on; before, a tiny static /init
	# does the same steps (without the banner line)
	python3 "$HERE/mkinit-riscv64.py" "$R/init"
else
	if [ -z "${BUSYBOX:-}" ]; then
		( cd "$WORK" && apt-get download "busybox-static:$ARCH" >/dev/null 2>&1 ) ||
			die "no busybox-static:$ARCH (dpkg --add-architecture $ARCH; apt-get update), or set BUSYBOX"
		dpkg-deb -x "$WORK"/busybox-static_*.deb "$WORK/bbx"
		BUSYBOX=$WORK/bbx/bin/busybox
	fi
	[ -f "$BUSYBOX" ] || die "no static busybox"
	cp "$BUSYBOX" "$R/bin/busybox"
	chmod 755 "$R/bin/busybox"
	for a in sh echo mount sleep dmesg grep; do ln -s busybox "$R/bin/$a"; done
	cat > "$R/init" <<'EOF'
#!/bin/busybox sh
export PATH=/bin
mount -t proc proc /proc
mount -t sysfs sysfs /sys
dmesg | grep -m1 'Linux version'       # which kernel, in the log itself
echo 8 > /proc/sys/kernel/printk       # every level reaches the console
echo 1 > /proc/sys/kernel/panic_on_oops
echo l > /proc/sysrq-trigger           # backtrace of all CPUs, with registers
sleep 2
echo c > /proc/sysrq-trigger           # panic: call trace and Kernel Offset
sleep 10
EOF
fi
chmod 755 "$R/init"
( cd "$R" && find . -mindepth 1 | LC_ALL=C sort | cpio -o -H newc -R 0:0 --quiet ) > "$WORK/initrd"

# KASLR is on by default; "quiet" keeps the boot short (init raises the level)
APPEND="console=$CONSOLE quiet panic=-1"
CMD=("$QEMU" "${MACH[@]}" -accel "$ACCEL" -m 1G -smp 2 -nographic -no-reboot
     -kernel "$KERNEL" -initrd "$WORK/initrd" -append "$APPEND")
echo "running: ${CMD[*]}" >&2
T0=$(date +%s.%N)
timeout "$TIMEOUT" "${CMD[@]}" </dev/null >"$WORK/serial" 2>"$WORK/qemu.err" || true
T1=$(date +%s.%N)
echo "qemu took $(awk -v a="$T0" -v b="$T1" 'BEGIN { printf "%.1f", b - a }') s" >&2

# Keep the kernel's lines, from the first timestamped one: firmware output
# before it is not part of the log.  panic=-1 reboots at once, so the log
# ends with the panic (no "end Kernel panic" line).
# Terminal escape codes from the firmware are not part of the log either.
tr -d '\r' < "$WORK/serial" | sed -e 's/\x1b\[[0-9;?]*[A-Za-z]//g' -e 's/\x1bc//g' | awk '/^\[ *[0-9]+\.[0-9]+\]/ { on = 1 } on' > "$NAME.log"
grep -q 'Kernel panic - not syncing: sysrq triggered crash' "$NAME.log" ||
	{ cp "$WORK/serial" "$NAME.serial"; die "no sysrq panic in the log; see $NAME.serial"; }
grep -q '^\[ *[0-9.]*\] Kernel Offset: 0x' "$NAME.log" || echo "capture.sh: warning: no Kernel Offset line (KASLR off?)" >&2
python3 "$HERE/strip.py" "$KDIR/System.map" "$NAME.log" > "$NAME.stripped.log"
echo "wrote $NAME.log ($(wc -l < "$NAME.log") lines) and $NAME.stripped.log" >&2
