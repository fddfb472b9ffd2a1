// SPDX-License-Identifier: GPL-2.0
/*
 * camfencectl load --confirm SECONDS FILE, camfencectl confirm: a commit
 * that undoes itself unless it is confirmed in time (Junos' commit
 * confirmed), for changes made over the link they could cut.
 *
 * load --confirm reads the active policy back (GET_POLICY) before it
 * commits FILE, writes it to RUNDIR/rollback.conf, commits, and leaves a
 * rollback process behind: forked twice, in a session of its own, SIGHUP
 * ignored, stdio on /dev/null, so neither the end of camfencectl nor a lost
 * SSH session (the hangup of its terminal) stops it. The process holds the
 * previous policy in memory and writes RUNDIR/confirm-pending (its pid, the
 * generations, the deadline); at the deadline it takes that file with
 * rename(2) and restores the previous policy, unless camfencectl confirm
 * took it first. rename(2) is the lock: exactly one of the two wins.
 *
 * The rollback is an ordinary commit: devices keep their state by MAC, so
 * per-device counters survive it, and the generation moves on (it counts
 * commits, it never goes back). A commit by anyone else in between (load,
 * flush, camfenced) ends the wait: the rollback process sees another
 * generation and leaves that policy alone. SIGTERM makes it roll back at
 * once (a shutdown or a kill must not keep an unconfirmed policy); only
 * SIGKILL (or a cgroup kill such as logind's KillUserProcesses=yes, not
 * Debian's default) can stop it without a rollback: see camfencectl(8).
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <syslog.h>
#include <time.h>
#include <unistd.h>
#include "ctl.h"

#define RUN_DIR_DEFAULT	"/run/camfence"
#define CONFIRM_MAX	86400

struct pending {
	long pid;
	uint64_t generation, previous;
	int64_t deadline;
	char file[PATH_MAX];
};

/* Absolute, and fixed at the first call: the rollback process chdir()s. */
static const char *run_dir(void)
{
	static char buf[PATH_MAX - 64];	/* room for the file names */
	const char *d;
	char cwd[PATH_MAX];

	if (buf[0])
		return buf;
	d = getenv("CAMFENCE_RUN_DIR");
	if (!d || !d[0])
		d = RUN_DIR_DEFAULT;
	if (d[0] != '/' && getcwd(cwd, sizeof(cwd)))
		snprintf(buf, sizeof(buf), "%.1900s/%.1900s", cwd, d);
	else
		snprintf(buf, sizeof(buf), "%.3900s", d);
	return buf;
}

static void run_path(char *buf, size_t len, const char *name)
{
	snprintf(buf, len, "%s/%s", run_dir(), name);
}

static int read_pending(const char *path, struct pending *p)
{
	char line[PATH_MAX + 32];
	FILE *f = fopen(path, "r");
	int have = 0;

	memset(p, 0, sizeof(*p));
	if (!f)
		return -errno;
	while (fgets(line, sizeof(line), f)) {
		unsigned long long v;
		long long sv;

		line[strcspn(line, "\n")] = '\0';
		if (sscanf(line, "pid %lld", &sv) == 1) {
			p->pid = sv;
			have |= 1;
		} else if (sscanf(line, "generation %llu", &v) == 1) {
			p->generation = v;
			have |= 2;
		} else if (sscanf(line, "previous %llu", &v) == 1) {
			p->previous = v;
		} else if (sscanf(line, "deadline %lld", &sv) == 1) {
			p->deadline = sv;
			have |= 4;
		} else if (!strncmp(line, "file ", 5)) {
			size_t n = strnlen(line + 5, sizeof(p->file) - 1);

			memcpy(p->file, line + 5, n);
			p->file[n] = '\0';
		}
	}
	fclose(f);
	return have == 7 && p->pid > 0 ? 0 : -EINVAL;
}

/* Writes path atomically (a temporary file renamed over it), mode 0600. */
static int write_file(const char *path, int (*fill)(FILE *f, const void *arg),
		      const void *arg)
{
	char tmp[PATH_MAX + 8];
	FILE *f;
	int fd, err = 0;

	snprintf(tmp, sizeof(tmp), "%s.tmp", path);
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (fd < 0)
		return -errno;
	f = fdopen(fd, "w");
	if (!f) {
		err = -errno;
		close(fd);
		unlink(tmp);
		return err;
	}
	if (fill(f, arg) || fflush(f) || fsync(fileno(f)))
		err = -EIO;
	if (fclose(f) && !err)
		err = -EIO;
	if (!err && rename(tmp, path))
		err = -errno;
	if (err)
		unlink(tmp);
	return err;
}

static int fill_pending(FILE *f, const void *arg)
{
	const struct pending *p = arg;

	fprintf(f, "pid %ld\ngeneration %" PRIu64 "\nprevious %" PRIu64
		"\ndeadline %lld\nfile %s\n", p->pid, p->generation,
		p->previous, (long long)p->deadline, p->file);
	return ferror(f) ? -1 : 0;
}

struct rollback_file {
	const struct cf_config *cfg;
	uint64_t generation;
};

static int fill_rollback(FILE *f, const void *arg)
{
	const struct rollback_file *r = arg;
	char header[256];

	snprintf(header, sizeof(header),
		 "# camfence: the policy of generation %" PRIu64 ", restored by the rollback\n"
		 "# of camfencectl load --confirm unless camfencectl confirm comes in time\n",
		 r->generation);
	return cf_config_write(f, r->cfg, header);
}

static void log_line(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* One line to RUNDIR/confirm.log and to syslog. */
static void log_line(const char *fmt, ...)
{
	char path[PATH_MAX], msg[768], ts[32];
	va_list ap;
	FILE *f;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	syslog(LOG_WARNING, "%s", msg);
	run_path(path, sizeof(path), "confirm.log");
	f = fopen(path, "a");
	if (!f)
		return;
	fprintf(f, "%s %s\n", cf_format_time((uint64_t)time(NULL), ts,
					     sizeof(ts)), msg);
	fclose(f);
}

/* ---- the rollback process ---- */

struct agent_args {
	int nl_fd;			/* camfencectl's socket: closed */
	const struct cf_config *prev;
	struct pending p;
	int secs;
};

static void cleanup_files(void)
{
	char path[PATH_MAX];

	run_path(path, sizeof(path), "rollback.conf");
	unlink(path);
	run_path(path, sizeof(path), "confirm-pending.rollback");
	unlink(path);
}

static void rollback(const struct agent_args *a, const char *why)
{
	char path[PATH_MAX];
	struct cf_commit res;
	struct cf_stats st;
	struct cf_nl nl;
	FILE *f;
	int err;

	err = cf_nl_open(&nl);
	if (err) {
		log_line("rollback of generation %" PRIu64 " failed: %s",
			 a->p.generation, cf_nl_strerror(NULL, err));
		return;
	}
	err = cf_nl_get_stats(&nl, &st);
	if (!err && st.generation != a->p.generation) {
		log_line("no rollback: the policy is at generation %" PRIu64
			 ", not %" PRIu64 " any more (another commit came after load --confirm)",
			 st.generation, a->p.generation);
		goto out;
	}
	err = err ? err : cf_nl_load(&nl, a->prev, &res, NULL);
	if (err) {
		log_line("rollback of generation %" PRIu64 " failed: %s",
			 a->p.generation, cf_nl_strerror(&nl, err));
		goto out;
	}
	log_line("rollback: generation %" PRIu64 " (load --confirm %s) %s; restored the policy of generation %"
		 PRIu64 ": generation %" PRIu64 ": %u added, %u removed, %u changed, %u unchanged",
		 a->p.generation, a->p.file, why, a->p.previous, res.generation,
		 res.added, res.removed, res.changed, res.unchanged);
	/* camfenced --enforce-config leaves this generation alone (it
	 * differs from the file on disk on purpose) until its next reload
	 */
	run_path(path, sizeof(path), "rolled-back");
	f = fopen(path, "w");
	if (f) {
		fprintf(f, "generation %" PRIu64 "\n", res.generation);
		fclose(f);
	}
out:
	cf_nl_close(&nl);
}

static void agent(const struct agent_args *a, int ready_fd)
{
	char state[PATH_MAX], taken[PATH_MAX];
	struct pending p = a->p;
	struct timespec ts;
	siginfo_t si;
	sigset_t set;
	int fd, sig;

	umask(077);
	if (a->nl_fd >= 0)
		close(a->nl_fd);
	if (chdir("/"))
		_exit(1);
	fd = open("/dev/null", O_RDWR);
	if (fd >= 0) {
		dup2(fd, 0);
		dup2(fd, 1);
		dup2(fd, 2);
		if (fd > 2)
			close(fd);
	}
	signal(SIGHUP, SIG_IGN);
	signal(SIGINT, SIG_IGN);
	signal(SIGPIPE, SIG_IGN);
	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	sigaddset(&set, SIGTERM);
	sigprocmask(SIG_BLOCK, &set, NULL);
	openlog("camfencectl", LOG_PID, LOG_DAEMON);

	p.pid = getpid();
	run_path(state, sizeof(state), "confirm-pending");
	run_path(taken, sizeof(taken), "confirm-pending.rollback");
	if (write_file(state, fill_pending, &p)) {
		log_line("cannot write %s: rolling back now", state);
		rollback(a, "could not wait for a confirmation");
		cleanup_files();
		_exit(1);
	}
	if (write(ready_fd, "r", 1) != 1) {
		/* camfencectl is gone: wait for the deadline all the same */
	}
	close(ready_fd);

	for (;;) {
		int64_t left = p.deadline - (int64_t)time(NULL);

		if (left <= 0) {
			sig = 0;
			break;
		}
		ts.tv_sec = left;
		ts.tv_nsec = 0;
		sig = sigtimedwait(&set, &si, &ts);
		if (sig == SIGTERM)
			break;
		if (sig == SIGUSR1 && access(state, F_OK)) {
			/* confirmed: camfencectl confirm took the file */
			_exit(0);
		}
	}
	if (rename(state, taken)) {
		/* confirm won the race */
		_exit(0);
	}
	rollback(a, sig == SIGTERM ? "was ended by SIGTERM before a confirmation" :
		 "was not confirmed in time");
	cleanup_files();
	_exit(0);
}

/* Starts the rollback process; its pid, or -1 (nothing started). */
static long start_agent(const struct agent_args *a)
{
	int pfd[2], status;
	char c;
	pid_t pid;
	long apid = -1;

	if (pipe2(pfd, O_CLOEXEC))
		return -1;
	fflush(NULL);
	pid = fork();
	if (pid < 0) {
		close(pfd[0]);
		close(pfd[1]);
		return -1;
	}
	if (pid == 0) {
		close(pfd[0]);
		if (setsid() < 0)
			_exit(1);
		pid = fork();
		if (pid < 0)
			_exit(1);
		if (pid > 0)
			_exit(0);
		agent(a, pfd[1]);
		_exit(1);
	}
	close(pfd[1]);
	waitpid(pid, &status, 0);
	/* "r" once the pending file is written */
	if (read(pfd[0], &c, 1) == 1 && c == 'r') {
		char state[PATH_MAX];
		struct pending p;

		run_path(state, sizeof(state), "confirm-pending");
		if (!read_pending(state, &p))
			apid = p.pid;
	}
	close(pfd[0]);
	return apid;
}

/* A pending confirmation whose process is alive: 1; none (stale state
 * removed): 0.
 */
static int pending_alive(struct pending *p)
{
	char state[PATH_MAX];

	run_path(state, sizeof(state), "confirm-pending");
	if (read_pending(state, p))
		return 0;
	if (kill(p->pid, 0) == 0 || errno == EPERM)
		return 1;
	ctl_err("removing the state of a rollback process that is gone (pid %ld, generation %" PRIu64 ")",
		p->pid, p->generation);
	unlink(state);
	cleanup_files();
	return 0;
}

void ctl_warn_pending(void)
{
	struct pending p;
	char state[PATH_MAX];

	run_path(state, sizeof(state), "confirm-pending");
	if (read_pending(state, &p) || (kill(p.pid, 0) && errno != EPERM))
		return;
	ctl_err("note: generation %" PRIu64 " was waiting for confirmation; a commit now ends the wait (no rollback will follow)",
		p.generation);
}

int ctl_load_confirm(const char *path, const char *secs_arg)
{
	struct rollback_file rf;
	struct agent_args a;
	struct cf_config want, prev;
	struct cf_commit res;
	struct cf_diff diff;
	struct pending p;
	struct cf_nl nl;
	char rpath[PATH_MAX], ts[32], *end;
	uint64_t gen = 0;
	bool sealed = false;
	long secs, apid;
	int ret = CTL_FAIL, err;

	errno = 0;
	secs = strtol(secs_arg, &end, 10);
	if (errno || *end || end == secs_arg || secs < 1 || secs > CONFIRM_MAX) {
		ctl_err("--confirm needs a number of seconds from 1 to %d, not '%s'",
			CONFIRM_MAX, secs_arg);
		return CTL_USAGE;
	}
	if (pending_alive(&p)) {
		ctl_err("generation %" PRIu64 " is waiting for confirmation (rollback process %ld): run 'camfencectl confirm' first, or let it roll back",
			p.generation, p.pid);
		return CTL_FAIL;
	}
	cf_config_init(&want);
	if (ctl_parse(path, &want) < 0)
		goto out_want;
	if (ctl_open_load(&nl))
		goto out_want;
	if (ctl_read_policy(&nl, &prev, &gen, &sealed))
		goto out_nl;
	if (sealed || !gen) {
		ctl_err("--confirm: no policy was committed yet, so there is none to roll back to; load without --confirm");
		goto out_prev;
	}
	{
		char retry[4200];

		snprintf(retry, sizeof(retry),
			 "camfencectl load --force --confirm %s %s", secs_arg,
			 path);
		if (ctl_seal_gate(&prev, &want, "load", retry))
			goto out_prev;
	}
	if (mkdir(run_dir(), 0700) && errno != EEXIST) {
		ctl_err("cannot create %s: %s", run_dir(), strerror(errno));
		goto out_prev;
	}
	run_path(rpath, sizeof(rpath), "rollback.conf");
	rf.cfg = &prev;
	rf.generation = gen;
	err = write_file(rpath, fill_rollback, &rf);
	if (err) {
		ctl_err("cannot write %s: %s", rpath, strerror(-err));
		goto out_prev;
	}
	err = cf_nl_load(&nl, &want, &res, &diff);
	if (err) {
		unlink(rpath);
		ret = ctl_nl_fail(&nl, err);
		goto out_prev;
	}
	ctl_print_load(&res, &diff);
	cf_diff_free(&diff);
	if (res.noop) {
		unlink(rpath);
		printf("nothing to confirm: the policy did not change\n");
		ret = CTL_OK;
		goto out_prev;
	}

	memset(&a, 0, sizeof(a));
	a.nl_fd = cf_nl_fd(&nl);
	a.prev = &prev;
	a.secs = (int)secs;
	a.p.generation = res.generation;
	a.p.previous = gen;
	a.p.deadline = (int64_t)time(NULL) + secs;
	snprintf(a.p.file, sizeof(a.p.file), "%s", path);
	apid = start_agent(&a);
	if (apid < 0) {
		ctl_err("cannot start the rollback process: rolling back now");
		rollback(&a, "could not wait for a confirmation");
		cleanup_files();
		goto out_prev;
	}
	printf("waiting for confirmation: run 'camfencectl confirm' within %ld s, or the policy of generation %"
	       PRIu64 " is restored at %s (rollback process %ld)\n", secs, gen,
	       cf_format_time((uint64_t)a.p.deadline, ts, sizeof(ts)), apid);
	ret = CTL_OK;
out_prev:
	cf_config_free(&prev);
out_nl:
	cf_nl_close(&nl);
out_want:
	cf_config_free(&want);
	return ret;
}

static bool is_camfencectl(long pid)
{
	char path[64], comm[32] = "";
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%ld/comm", pid);
	f = fopen(path, "r");
	if (!f)
		return false;
	if (!fgets(comm, sizeof(comm), f))
		comm[0] = '\0';
	fclose(f);
	comm[strcspn(comm, "\n")] = '\0';
	return !strcmp(comm, "camfencectl");
}

int cmd_confirm(int argc, char **argv)
{
	char state[PATH_MAX], done[PATH_MAX], mark[PATH_MAX];
	struct pending p;
	FILE *f;
	int err;

	if (argc != 1)
		return ctl_usage(argv[0]);
	run_path(state, sizeof(state), "confirm-pending");
	run_path(done, sizeof(done), "confirm-pending.done");
	err = read_pending(state, &p);
	if (err == -EACCES || err == -EPERM) {
		ctl_err("cannot read %s: %s", state, strerror(-err));
		return CTL_FAIL;
	}
	if (err) {
		ctl_err("no commit is waiting for confirmation");
		return CTL_FAIL;
	}
	/* camfenced --enforce-config leaves a confirmed generation alone
	 * until its next reload (the file may be a copy, moved into place
	 * after the confirmation): written before the pending file goes
	 */
	run_path(mark, sizeof(mark), "confirmed");
	f = fopen(mark, "w");
	if (f) {
		fprintf(f, "generation %" PRIu64 "\n", p.generation);
		fclose(f);
	}
	if (rename(state, done)) {
		unlink(mark);
		ctl_err("too late: the rollback of generation %" PRIu64 " has started (see %s/confirm.log)",
			p.generation, run_dir());
		return CTL_FAIL;
	}
	/* wakes the rollback process, which finds the file gone and exits
	 * (only if that pid is still a camfencectl: SIGUSR1 kills others)
	 */
	if (is_camfencectl(p.pid))
		kill(p.pid, SIGUSR1);
	unlink(done);
	cleanup_files();
	printf("confirmed: generation %" PRIu64 " stays (rollback to the policy of generation %" PRIu64 " cancelled)\n",
	       p.generation, p.previous);
	return CTL_OK;
}
