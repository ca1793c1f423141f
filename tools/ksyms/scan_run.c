// SPDX-License-Identifier: MIT
/*
 * ksyms scan's workers: processes forked after the walk (so they have
 * every path), each handed one file at a time by its index, down a socket,
 * and writing its result back down a pipe, ended by a NUL and the exit
 * status (the output holds no NUL: it is C strings).  Processes, not
 * threads: a hostile file that crashes the reader takes its own worker
 * and its own line ("ksyms crashed on it") and nothing else, and the
 * memory a big kernel took goes back with the worker, which leaves after
 * a file over BIG_FILE (the library's caps bound each file:
 * --max-output).  A worker per file would cost a fork per file: most of
 * the time of a tree of small files.  Results are printed in walk order
 * as soon as every earlier one is in; with stderr a terminal, a progress
 * line says how far the scan is.
 */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "scan.h"

enum {
	RESULT_MAX = 1 << 20,     /* a worker's output is a line; more is a bug */
	BIG_FILE = 16 << 20,      /* a worker that read a bigger file leaves, with its memory */
};

struct worker {
	pid_t pid;  /* -1: none */
	int req;    /* socket: job indexes to the worker */
	int res;    /* pipe: results from it */
	bool busy;
	bool leaving; /* it said it leaves after this file: no more jobs for it */
	size_t idx; /* the file it is describing when busy */
};

struct progress {
	bool on;
	struct timespec start, last;
	size_t done, total, shown; /* shown: width of the line on the terminal */
	const char *current;
};

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

/* ------------------------------------------------------------------------ */
/* A worker */

static bool read_all(int fd, void *buf, size_t n)
{
	for (size_t done = 0; done < n;) {
		ssize_t r = read(fd, (char *)buf + done, n - done);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			return false;
		done += (size_t)r;
	}
	return true;
}

static bool big_file(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0 && st.st_size > BIG_FILE;
}

static _Noreturn void worker_main(const struct scan *s, int req)
{
	size_t idx;

	/* no core file per hostile input; the parent's atexit handlers
	 * (-o's temporary file) are not ours: _exit */
	struct rlimit nocore = { 0, 0 };
	setrlimit(RLIMIT_CORE, &nocore);
	while (read_all(req, &idx, sizeof(idx)) && idx < s->n) {
		int rc = scan_describe(s, &s->v[idx]);
		bool leave = big_file(s->v[idx].path);
		char end[2] = { 0, (char)(rc | (leave ? 0x80 : 0)) };
		if (write(STDOUT_FILENO, end, 2) != 2)
			_exit(127);
		if (leave)
			break;
	}
	_exit(0);
}

static void worker_close(struct worker *w)
{
	if (w->req >= 0)
		close(w->req);
	if (w->res >= 0)
		close(w->res);
	w->req = w->res = -1;
}

static bool worker_spawn(const struct scan *s, struct worker *all, unsigned k)
{
	struct worker *w = &all[k];
	int sv[2], p[2];

	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) != 0)
		return false;
	if (pipe(p) != 0) {
		close(sv[0]);
		close(sv[1]);
		return false;
	}
	fflush(stdout);
	fflush(stderr);
	pid_t pid = fork();
	if (pid < 0) {
		close(sv[0]);
		close(sv[1]);
		close(p[0]);
		close(p[1]);
		return false;
	}
	if (pid == 0) {
		/* the others' ends too: a worker sees the end of its jobs only
		 * when no process holds the parent's end of its socket */
		for (unsigned i = 0; i < s->jobs; i++)
			if (i != k)
				worker_close(&all[i]);
		close(sv[0]);
		close(p[0]);
		if (dup2(p[1], STDOUT_FILENO) < 0)
			_exit(127);
		close(p[1]);
		worker_main(s, sv[1]);
	}
	close(sv[1]);
	close(p[1]);
	w->pid = pid;
	w->req = sv[0];
	w->res = p[0];
	w->busy = w->leaving = false;
	return true;
}

/* The worker is gone (its pipe ended): reap it; if it was describing a
 * file, that file's result is the reason. */
static void worker_reap(struct scan *s, struct worker *w)
{
	int st = 0;
	char why[128] = "";

	worker_close(w);
	while (waitpid(w->pid, &st, 0) < 0 && errno == EINTR)
		;
	w->pid = -1;
	if (!w->busy)
		return;
	w->busy = false;
	struct scan_entry *e = &s->v[w->idx];
	if (WIFSIGNALED(st))
		snprintf(why, sizeof(why), "ksyms crashed on it (signal %d, %s)", WTERMSIG(st), strsignal(WTERMSIG(st)));
	else
		snprintf(why, sizeof(why), "ksyms failed on it (exit status %d)", WIFEXITED(st) ? WEXITSTATUS(st) : -1);
	free(e->result);
	e->result = NULL;
	e->result_len = 0;
	e->error = strdup(why);
	e->status = EXIT_BAD_INPUT;
}

/* Read what the busy worker wrote; true when its file's result is complete. */
static bool worker_read(struct scan *s, struct worker *w, bool *gone)
{
	struct scan_entry *e = &s->v[w->idx];
	char buf[8192];
	ssize_t n = read(w->res, buf, sizeof(buf));

	*gone = false;
	if (n < 0 && (errno == EINTR || errno == EAGAIN))
		return false;
	if (n <= 0) {
		*gone = true;
		return false;
	}
	if (!w->busy)
		return false; /* nothing is expected: ignore it */
	if (e->result_len + (size_t)n > RESULT_MAX) {
		kill(w->pid, SIGKILL); /* our own worker, run wild */
		return false;
	}
	char *r = realloc(e->result, e->result_len + (size_t)n);
	if (!r) {
		kill(w->pid, SIGKILL);
		return false;
	}
	memcpy(r + e->result_len, buf, (size_t)n);
	e->result = r;
	e->result_len += (size_t)n;
	char *nul = memchr(r, 0, e->result_len);
	if (!nul || (size_t)(nul - r) + 2 > e->result_len)
		return false;
	e->status = (unsigned char)nul[1] & 0x7f;
	w->leaving = (unsigned char)nul[1] & 0x80;
	e->result_len = (size_t)(nul - r);
	if (!e->result_len || r[e->result_len - 1] != '\n') {
		free(e->result);
		e->result = NULL;
		e->result_len = 0;
		e->error = strdup("ksyms said nothing about it");
		e->status = EXIT_BAD_INPUT;
	}
	w->busy = false;
	return true;
}

/* ------------------------------------------------------------------------ */

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

struct run {
	struct scan *s;
	struct worker *w;
	struct pollfd *pfd;
	bool *finished;
	struct progress p;
	size_t next, printed;
};

/* Hand the next file to each idle worker (spawning one where needed). */
static void dispatch(struct run *r)
{
	struct scan *s = r->s;

	for (unsigned k = 0; k < s->jobs; k++) {
		struct worker *w = &r->w[k];
		while (r->next < s->n && s->v[r->next].error)
			r->finished[r->next++] = true; /* walk errors need no worker */
		if (r->next == s->n)
			return;
		if (w->pid >= 0 && (w->busy || w->leaving))
			continue; /* a leaving worker is reaped when its pipe ends */
		if (w->pid < 0 && !worker_spawn(s, r->w, k)) {
			struct scan_entry *e = &s->v[r->next];
			e->error = strdup(strerror(errno));
			e->status = EXIT_BAD_INPUT;
			r->finished[r->next++] = true;
			r->p.done++;
			continue;
		}
		size_t idx = r->next;
		if (send(w->req, &idx, sizeof(idx), MSG_NOSIGNAL) != (ssize_t)sizeof(idx)) {
			/* it died idle (killed): another one takes this file */
			worker_close(w);
			while (waitpid(w->pid, NULL, 0) < 0 && errno == EINTR)
				;
			w->pid = -1;
			k--;
			continue;
		}
		w->busy = true;
		w->idx = idx;
		r->p.current = s->v[idx].path;
		r->next++;
	}
}

/* Wait for the workers; false if poll fails. */
static bool collect(struct run *r)
{
	struct scan *s = r->s;
	nfds_t nf = 0;

	for (unsigned k = 0; k < s->jobs; k++)
		if (r->w[k].pid >= 0)
			r->pfd[nf++] = (struct pollfd){ .fd = r->w[k].res, .events = POLLIN };
	if (!nf)
		return true;
	if (poll(r->pfd, nf, r->p.on ? 100 : -1) < 0)
		return errno == EINTR;
	for (nfds_t f = 0; f < nf; f++) {
		if (!r->pfd[f].revents)
			continue;
		unsigned k = 0;
		while (r->w[k].pid < 0 || r->w[k].res != r->pfd[f].fd)
			k++;
		struct worker *w = &r->w[k];
		size_t idx = w->idx;
		bool was_busy = w->busy, gone;
		if (worker_read(s, w, &gone) || (gone && was_busy)) {
			r->finished[idx] = true;
			r->p.done++;
		}
		if (gone)
			worker_reap(s, w);
	}
	return true;
}

int scan_run(struct scan *s)
{
	struct run r = { .s = s };
	struct out o;
	int rc = 0;

	if (s->jobs > s->n)
		s->jobs = s->n ? (unsigned)s->n : 1;
	r.w = calloc(s->jobs, sizeof(*r.w));
	r.pfd = calloc(s->jobs, sizeof(*r.pfd));
	r.finished = calloc(s->n ? s->n : 1, sizeof(*r.finished));
	if (!r.w || !r.pfd || !r.finished) {
		fprintf(stderr, "%s: scan: out of memory\n", progname);
		free(r.w);
		free(r.pfd);
		free(r.finished);
		return EXIT_BAD_INPUT;
	}
	for (unsigned k = 0; k < s->jobs; k++)
		r.w[k] = (struct worker){ .pid = -1, .req = -1, .res = -1 };
	r.p.on = isatty(STDERR_FILENO) && verbose < 2;
	for (size_t i = 0; i < s->n; i++)
		r.p.total += !s->v[i].error;
	clock_gettime(CLOCK_MONOTONIC, &r.p.start);
	out_init(&o);
	while (r.printed < s->n) {
		dispatch(&r);
		print_ready(s, r.finished, &r.printed, &o, &r.p);
		if (r.printed == s->n)
			break;
		progress_show(&r.p, false);
		if (!collect(&r)) {
			fprintf(stderr, "%s: scan: poll: %s\n", progname, strerror(errno));
			rc = EXIT_BAD_INPUT;
			break;
		}
	}
	/* no more files: each worker sees the end of its socket and leaves */
	for (unsigned k = 0; k < s->jobs; k++) {
		if (r.w[k].pid < 0)
			continue;
		worker_close(&r.w[k]);
		while (waitpid(r.w[k].pid, NULL, 0) < 0 && errno == EINTR)
			;
	}
	progress_clear(&r.p);
	for (size_t i = 0; i < s->n; i++)
		if (s->v[i].status)
			rc = EXIT_BAD_INPUT;
	free(r.w);
	free(r.pfd);
	free(r.finished);
	int orc = out_finish(&o);
	return orc ? orc : rc;
}
