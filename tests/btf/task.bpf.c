// SPDX-License-Identifier: MIT
/*
 * A small CO-RE BPF program against the vmlinux.h that
 * `bpftool btf dump file vmlinux.btf format c` writes from `ksyms btf`:
 * it reads fields of struct task_struct through relocations that libbpf
 * resolves against the running kernel's BTF.  tests/corpus/check-btf
 * compiles it with `clang -target bpf -O2 -g -c` for every kernel with BTF.
 * No libbpf headers: the few helpers it calls are declared here by their
 * ids (include/uapi/linux/bpf.h).
 */
#include "vmlinux.h"

#define SEC(name) __attribute__((section(name), used))

static long (*bpf_probe_read_kernel)(void *dst, __u32 size, const void *src) = (void *)113;
static __u64 (*bpf_get_current_task)(void) = (void *)35;
static long (*bpf_trace_printk)(const char *fmt, __u32 fmt_size, ...) = (void *)6;

/* vmlinux.h marks every struct preserve_access_index: these reads are CO-RE */
#define READ(dst, src) bpf_probe_read_kernel(&(dst), sizeof(dst), &(src))

SEC("kprobe/do_exit")
int trace_exit(void *ctx)
{
	struct task_struct *task = (struct task_struct *)bpf_get_current_task();
	struct task_struct *parent = 0;
	pid_t pid = 0, tgid = 0, ppid = 0;
	char comm[16] = { 0 };
	static const char fmt[] = "exit %s pid %d parent %d\n";

	READ(pid, task->pid);
	READ(tgid, task->tgid);
	READ(comm, task->comm);
	READ(parent, task->real_parent);
	if (parent)
		READ(ppid, parent->pid);
	bpf_trace_printk(fmt, sizeof(fmt), comm, tgid == pid ? pid : tgid, ppid);
	return 0;
}

char LICENSE[] SEC("license") = "Dual MIT/GPL";
