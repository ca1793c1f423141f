// SPDX-License-Identifier: MIT
/*
 * ksyms scan's workers: each file is described in a process of its own,
 * forked for it, which writes its result down a pipe and exits.  A
 * process per file keeps one hostile file's crash, or the memory a big
 * kernel took, from touching the others (the library's caps bound each
 * one: --max-output), and costs a fork per file, little beside decoding.
 * Results are printed in walk order as soon as every earlier one is in;
 * with stderr a terminal, a progress line says how far the scan is.
 */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "scan.h"

struct worker {
	pid_t pid;
	int fd;
	size_t idx;
};

struct progress {
	bool on;
	struct timespec start, last;
	size_t done, total, shown; /* shown: width of the line on the terminal */
	const char *current;
};

enum { RESULT_MAX = 1 << 20 }; /* a worker's output is a line; more is a bug */

static double seconds(const struct timespec *a, const struct timespec *b)
{
	return (double)(b->tv_sec - a->tv_sec) + (double)(b->tv_nsec - a->tv_nsec) / 1e9;
}

static void progress_clear(struct progress *p)
{
	if (!p->on || !p->shown)
		return;
	fprintf(stderr, "\r%*s\r", (int)p->shown, "");
	p->shown = 0;
}

/* "scan: 12/340 files, 3.1 files/s, PATH", cut to the terminal's width */
static void progress_show(struct progress *p, bool force)
{
	struct timespec now;
	struct winsize ws;
	char line[512];

	if (!p->on)
		return;
	clock_gettime(CLOCK_MONOTONIC, &now);
	if (!force && seconds(&p->last, &now) < 0.1)
		return;
	p->last = now;
	double t = seconds(&p->start, &now);
	int cols = ioctl(STDERR_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 20 ? ws.ws_col : 80;
	int n = snprintf(line, sizeof(line), "scan: %zu/%zu files, %.1f files/s, %s", p->done, p->total,
			 t > 0 ? (double)p->done / t : 0.0, p->current ? p->current : "");
	if (n < 0)
		return;
	size_t len = (size_t)n < sizeof(line) ? (size_t)n : sizeof(line) - 1;
	if (len > (size_t)cols - 1)
		len = (size_t)cols - 1;
	for (size_t i = 0; i < len; i++)
		if ((unsigned char)line[i] < 0x20 || line[i] == 0x7f)
			line[i] = '?';
	fprintf(stderr, "\r%.*s%*s", (int)len, line, p->shown > len ? (int)(p->shown - len) : 0, "");
	p->shown = len;
}

static void worker_start(struct scan *s, struct worker *w, size_t idx)
{
	int p[2];

	w->idx = idx;
	w->pid = -1;
	w->fd = -1;
	if (pipe(p) != 0) {
		s->v[idx].error = strdup(strerror(errno));
		return;
	}
	fflush(stdout);
	fflush(stderr);
	pid_t pid = fork();
	if (pid < 0) {
		int e = errno;
		close(p[0]);
		close(p[1]);
		s->v[idx].error = strdup(strerror(e));
		return;
	}
	if (pid == 0) {
		/* no core file per hostile input; the parent's atexit handlers
		 * (-o's temporary file) are not ours: _exit */
		struct rlimit nocore = { 0, 0 };
		setrlimit(RLIMIT_CORE, &nocore);
		close(p[0]);
		if (dup2(p[1], STDOUT_FILENO) < 0)
			_exit(127);
		close(p[1]);
		_exit(scan_describe(s, &s->v[idx]));
	}
	close(p[1]);
	w->pid = pid;
	w->fd = p[0];
}

/* The worker's pipe is at its end: its result, or why there is none. */
static void worker_finish(struct scan *s, struct worker *w)
{
	struct scan_entry *e = &s->v[w->idx];
	int st = 0;
	char why[128] = "";

	close(w->fd);
	w->fd = -1;
	while (waitpid(w->pid, &st, 0) < 0 && errno == EINTR)
		;
	if (WIFSIGNALED(st))
		snprintf(why, sizeof(why), "ksyms crashed on it (signal %d, %s)", WTERMSIG(st), strsignal(WTERMSIG(st)));
	else if (!WIFEXITED(st) || (WEXITSTATUS(st) != 0 && WEXITSTATUS(st) != EXIT_BAD_INPUT))
		snprintf(why, sizeof(why), "ksyms failed on it (exit status %d)", WEXITSTATUS(st));
	else if (!e->result_len || e->result[e->result_len - 1] != '\n')
		snprintf(why, sizeof(why), "ksyms said nothing about it");
	if (why[0]) {
		free(e->result);
		e->result = NULL;
		e->result_len = 0;
		e->error = strdup(why);
		e->status = EXIT_BAD_INPUT;
	} else {
		e->status = WEXITSTATUS(st);
	}
	w->pid = -1;
}

/* Read what is there; false at the end of the pipe. */
static bool worker_read(struct scan *s, struct worker *w)
{
	struct scan_entry *e = &s->v[w->idx];
	char buf[8192];
	ssize_t n = read(w->fd, buf, sizeof(buf));

	if (n < 0 && (errno == EINTR || errno == EAGAIN))
		return true;
	if (n <= 0)
		return false;
	if (e->result_len + (size_t)n > RESULT_MAX)
		return true; /* cut: worker_finish finds no final newline */
	char *r = realloc(e->result, e->result_len + (size_t)n);
	if (!r)
		return true;
	memcpy(r + e->result_len, buf, (size_t)n);
	e->result = r;
	e->result_len += (size_t)n;
	return true;
}

/* Print the entries from *next on that are finished, in order. */
static void print_ready(struct scan *s, const bool *finished, size_t *next, struct out *o, struct progress *p)
{
	size_t from = *next;

	while (*next < s->n && finished[*next]) {
		struct scan_entry *e = &s->v[*next];
		if (*next == from)
			progress_clear(p);
		if (e->error)
			scan_print_error(s, o, e);
		else
			out_bytes(o, e->result, e->result_len);
		free(e->result);
		e->result = NULL;
		(*next)++;
	}
	if (*next != from)
		out_flush(o);
}

int scan_run(struct scan *s)
{
	struct worker *w = calloc(s->jobs, sizeof(*w));
	struct pollfd *pfd = calloc(s->jobs, sizeof(*pfd));
	bool *finished = calloc(s->n ? s->n : 1, sizeof(*finished));
	struct progress p = { .on = isatty(STDERR_FILENO) && verbose < 2 };
	size_t next = 0, printed = 0, running = 0;
	struct out o;
	int rc = 0;

	if (!w || !pfd || !finished) {
		fprintf(stderr, "%s: scan: out of memory\n", progname);
		free(w);
		free(pfd);
		free(finished);
		return EXIT_BAD_INPUT;
	}
	for (size_t i = 0; i < s->n; i++)
		p.total += !s->v[i].error;
	clock_gettime(CLOCK_MONOTONIC, &p.start);
	out_init(&o);
	for (unsigned k = 0; k < s->jobs; k++)
		w[k].pid = -1;
	while (printed < s->n) {
		/* start workers on the next files; walk errors need none */
		for (unsigned k = 0; k < s->jobs && next < s->n; k++) {
			if (w[k].pid >= 0)
				continue;
			while (next < s->n && s->v[next].error)
				finished[next++] = true;
			if (next == s->n)
				break;
			p.current = s->v[next].path;
			worker_start(s, &w[k], next);
			if (w[k].pid < 0) {
				s->v[next].status = EXIT_BAD_INPUT;
				finished[next] = true;
				p.done++;
			} else {
				running++;
			}
			next++;
		}
		print_ready(s, finished, &printed, &o, &p);
		if (!running)
			continue;
		progress_show(&p, false);
		nfds_t nf = 0;
		for (unsigned k = 0; k < s->jobs; k++)
			if (w[k].pid >= 0)
				pfd[nf++] = (struct pollfd){ .fd = w[k].fd, .events = POLLIN };
		if (poll(pfd, nf, p.on ? 100 : -1) < 0) {
			if (errno == EINTR)
				continue;
			fprintf(stderr, "%s: scan: poll: %s\n", progname, strerror(errno));
			rc = EXIT_BAD_INPUT;
			break;
		}
		for (nfds_t f = 0; f < nf; f++) {
			if (!pfd[f].revents)
				continue;
			unsigned k = 0;
			while (w[k].pid < 0 || w[k].fd != pfd[f].fd)
				k++;
			if (worker_read(s, &w[k]))
				continue;
			size_t idx = w[k].idx;
			worker_finish(s, &w[k]);
			finished[idx] = true;
			running--;
			p.done++;
		}
	}
	progress_show(&p, true);
	progress_clear(&p);
	for (size_t i = 0; i < s->n; i++)
		if (s->v[i].status)
			rc = EXIT_BAD_INPUT;
	free(w);
	free(pfd);
	free(finished);
	int orc = out_finish(&o);
	return orc ? orc : rc;
}
