// SPDX-License-Identifier: GPL-2.0
/*
 * camfenced: keeps the kernel policy equal to the configuration.
 *
 * - loads the config at start (the code path of "camfencectl load");
 * - reloads on SIGHUP and when the config or an included file changes
 *   (inotify on their directories, debounced); a bad config is logged with
 *   every error and the active policy stays;
 * - polls the family every second and re-applies the policy when the module
 *   was unloaded and loaded again (the family vanished, or the generation
 *   went backwards);
 * - logs denied connections from the events group, rate-limited;
 * - writes a Prometheus textfile atomically (--textfile);
 * - sd_notify READY=1 / RELOADING=1; SIGTERM exits 0 and leaves the policy.
 */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <syslog.h>
#include <time.h>
#include <unistd.h>
#include "daemon.h"
#include "nl.h"

#ifndef CAMFENCE_VERSION
#define CAMFENCE_VERSION "unknown"
#endif

#define DEBOUNCE_MS	300
#define POLL_MS		1000
#define EVENT_RATE	10	/* event lines per second ... */
#define EVENT_BURST	20	/* ... with this burst */

static const char *cfg_path = "/etc/camfence/camfence.conf";
static const char *textfile;
static int textfile_ms = 5000;

static struct cf_config active;		/* last config committed */
static bool have_active;
static struct cf_nl nl, evnl;
static bool connected;
static uint64_t last_generation;

static int64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void disconnect(void)
{
	if (!connected)
		return;
	cf_nl_close(&nl);
	cf_nl_close(&evnl);
	connected = false;
}

/* autoload: resolve the family by name, which loads the module when it is
 * installed (at start only); else only find a family that is registered.
 */
static int connect_nl(bool autoload)
{
	int err;

	err = autoload ? cf_nl_open_autoload(&nl) : cf_nl_open(&nl);
	if (err)
		return err;
	err = cf_nl_open(&evnl);
	if (!err)
		err = cf_nl_events_subscribe(&evnl);
	if (err) {
		log_msg(LOG_WARNING, "events: %s", cf_nl_strerror(&evnl, err));
		cf_nl_close(&evnl);
	}
	connected = true;
	return 0;
}

static void log_names(const char *what, char **names, int n)
{
	char line[1024];
	int i, len = 0;

	if (!n)
		return;
	for (i = 0; i < n && len < (int)sizeof(line) - 64; i++)
		len += snprintf(line + len, sizeof(line) - len, "%s%s",
				i ? ", " : "", names[i]);
	if (i < n)
		snprintf(line + len, sizeof(line) - len, ", ... (+%d more)",
			 n - i);
	log_msg(LOG_INFO, "%s: %s", what, line);
}

/* Commits cfg; logs the outcome. */
static int apply(const struct cf_config *cfg)
{
	struct cf_commit res;
	struct cf_diff diff;
	int err;

	err = cf_nl_load(&nl, cfg, &res, &diff);
	if (err) {
		log_msg(LOG_ERR, "load failed, active policy unchanged: %s",
			cf_nl_strerror(&nl, err));
		cf_diff_free(&diff);
		return err;
	}
	if (res.noop) {
		/* the kernel compared: the same policy is not committed */
		log_msg(LOG_INFO, "policy unchanged: generation %" PRIu64
			" (%u devices)", res.generation, res.unchanged);
		last_generation = res.generation;
		cf_diff_free(&diff);
		return 0;
	}
	log_names("added", diff.added, diff.nadded);
	log_names("removed", diff.removed, diff.nremoved);
	log_names("changed", diff.changed, diff.nchanged);
	log_msg(LOG_INFO, "policy loaded: generation %" PRIu64
		": %u added, %u removed, %u changed, %u unchanged",
		res.generation, res.added, res.removed, res.changed,
		res.unchanged);
	last_generation = res.generation;
	cf_diff_free(&diff);
	return 0;
}

/* One log line per line of msg (an error and its "included here" lines). */
static void log_lines(int prio, const char *msg)
{
	const char *eol;

	while ((eol = strchr(msg, '\n'))) {
		log_msg(prio, "%.*s", (int)(eol - msg), msg);
		msg = eol + 1;
	}
	log_msg(prio, "%s", msg);
}

/* Parses the config and, if valid and the module is there, commits it. */
static void reload(void)
{
	struct cf_config cfg;
	struct cf_diags d;
	int i, n;

	cf_config_init(&cfg);
	cf_diags_init(&d);
	d.limit = CF_DIAGS_SHOW;
	n = cf_config_parse_file(cfg_path, &cfg, &d, 0);
	watch_set(have_active ? &active : NULL, &cfg, cfg_path);
	if (n > 0) {
		for (i = 0; i < d.count; i++)
			log_lines(LOG_ERR, d.msgs[i]);
		if (d.more)
			log_msg(LOG_ERR, "%d more error%s", d.more,
				d.more == 1 ? "" : "s");
		log_msg(LOG_ERR, "%s: %d error%s, active policy unchanged",
			cfg_path, n, n == 1 ? "" : "s");
		goto out;
	}
	if (!connected) {
		log_msg(LOG_WARNING, "camfence module not loaded; the policy is applied when it is");
	} else if (apply(&cfg)) {
		goto out;
	}
	/* the config to re-apply after a module reload */
	if (have_active)
		cf_config_free(&active);
	active = cfg;
	have_active = true;
	cf_config_init(&cfg);
out:
	cf_config_free(&cfg);
	cf_diags_free(&d);
}

/* Every second: is the module still there, and is it the same instance? */
static void check_module(void)
{
	struct cf_stats st;
	int err;

	if (connected) {
		err = cf_nl_get_stats(&nl, &st);
		if (!err && st.generation >= last_generation &&
		    !(st.sealed && last_generation))
			return;
		if (err)
			log_msg(LOG_WARNING, "camfence module gone (%s)",
				cf_nl_strerror(&nl, err));
		else
			log_msg(LOG_WARNING, "camfence module was reloaded");
		disconnect();
		last_generation = 0;
	}
	/* never resolve the family by name while the module is absent: that
	 * would autoload it (the family alias) behind an administrator's
	 * rmmod; cf_nl_open() only looks at the registered families
	 */
	if (connect_nl(false))
		return;
	log_msg(LOG_INFO, "camfence module present%s", have_active ?
		", applying the policy" : "");
	if (have_active) {
		if (apply(&active))
			return;
	} else if (!cf_nl_get_stats(&nl, &st)) {
		last_generation = st.generation;
	}
}

static struct {
	double tokens;
	int64_t last;
	uint64_t suppressed;
} rl = { EVENT_BURST, 0, 0 };

static int log_event(const struct cf_event *ev, void *arg)
{
	int64_t t = now_ms();
	char line[512];

	rl.tokens += (t - rl.last) * EVENT_RATE / 1000.0;
	if (rl.tokens > EVENT_BURST)
		rl.tokens = EVENT_BURST;
	rl.last = t;
	if (rl.tokens < 1) {
		rl.suppressed++;
		return 0;
	}
	rl.tokens -= 1;
	if (rl.suppressed) {
		log_msg(LOG_NOTICE, "%" PRIu64 " event lines suppressed",
			rl.suppressed);
		rl.suppressed = 0;
	}
	log_msg(LOG_NOTICE, "%s", cf_format_event(ev, line, sizeof(line)));
	return 0;
}

static void write_textfile(void)
{
	char tmp[4096];
	FILE *f;
	int err;

	if (!textfile)
		return;
	snprintf(tmp, sizeof(tmp), "%s.tmp.%d", textfile, (int)getpid());
	f = fopen(tmp, "w");
	if (!f) {
		log_msg(LOG_ERR, "%s: %s", tmp, strerror(errno));
		return;
	}
	/* without the module: camfence_up 0, not the last values */
	err = connected ? cf_nl_write_metrics(&nl, f) : cf_metrics_write_down(f);
	if (fclose(f) && !err)
		err = -errno;
	if (err) {
		log_msg(LOG_ERR, "metrics: %s", cf_nl_strerror(&nl, err));
		unlink(tmp);
		return;
	}
	if (rename(tmp, textfile) < 0) {
		log_msg(LOG_ERR, "rename %s: %s", textfile, strerror(errno));
		unlink(tmp);
	}
}

static void usage(FILE *f)
{
	fprintf(f, "Usage: camfenced [-c FILE] [-f] [--textfile PATH] [--textfile-interval SECONDS]\n"
		"       camfenced --version | --help\n"
		"  -c, --config FILE      configuration (default /etc/camfence/camfence.conf)\n"
		"  -f, --foreground       stay in the foreground, log to stderr\n"
		"      --textfile PATH    write Prometheus metrics to PATH (atomically)\n"
		"      --textfile-interval SECONDS  how often (default 5)\n");
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "config", required_argument, NULL, 'c' },
		{ "foreground", no_argument, NULL, 'f' },
		{ "textfile", required_argument, NULL, 't' },
		{ "textfile-interval", required_argument, NULL, 'i' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 }
	};
	int64_t reload_at = -1, next_poll, next_text;
	bool foreground = false;
	struct pollfd pfd[3];
	sigset_t mask;
	int c, sfd, ifd;

	while ((c = getopt_long(argc, argv, "c:fhV", opts, NULL)) != -1) {
		switch (c) {
		case 'c':
			cfg_path = optarg;
			break;
		case 'f':
			foreground = true;
			break;
		case 't':
			textfile = optarg;
			break;
		case 'i':
			textfile_ms = atoi(optarg) * 1000;
			if (textfile_ms <= 0) {
				fprintf(stderr, "camfenced: bad interval '%s'\n", optarg);
				return 2;
			}
			break;
		case 'h':
			usage(stdout);
			return 0;
		case 'V':
			printf("camfenced %s\n", CAMFENCE_VERSION);
			return 0;
		default:
			usage(stderr);
			return 2;
		}
	}
	if (optind != argc) {
		usage(stderr);
		return 2;
	}
	if (!foreground && daemon(0, 0) < 0) {
		perror("camfenced: daemon");
		return 1;
	}
	log_init(foreground);

	sigemptyset(&mask);
	sigaddset(&mask, SIGHUP);
	sigaddset(&mask, SIGTERM);
	sigaddset(&mask, SIGINT);
	sigprocmask(SIG_BLOCK, &mask, NULL);
	signal(SIGPIPE, SIG_IGN);
	sfd = signalfd(-1, &mask, SFD_CLOEXEC | SFD_NONBLOCK);
	ifd = watch_init();
	if (sfd < 0 || ifd < 0) {
		log_msg(LOG_ERR, "signalfd/inotify: %s", strerror(errno));
		return 1;
	}
	cf_config_init(&active);
	log_msg(LOG_INFO, "camfenced %s starting, config %s", CAMFENCE_VERSION,
		cfg_path);
	/* at start, resolving the family may autoload the module */
	if (connect_nl(true) == 0) {
		struct cf_stats st;

		if (!cf_nl_get_stats(&nl, &st))
			last_generation = st.generation;
	}
	reload();
	write_textfile();
	notify("READY=1\nSTATUS=running");
	next_poll = now_ms() + POLL_MS;
	next_text = now_ms() + textfile_ms;

	for (;;) {
		int64_t t = now_ms(), wait = next_poll - t;
		int n = 2;

		if (textfile && next_text - t < wait)
			wait = next_text - t;
		if (reload_at >= 0 && reload_at - t < wait)
			wait = reload_at - t;
		if (wait < 0)
			wait = 0;
		pfd[0] = (struct pollfd){ .fd = sfd, .events = POLLIN };
		pfd[1] = (struct pollfd){ .fd = ifd, .events = POLLIN };
		if (connected && evnl.sk)
			pfd[n++] = (struct pollfd){ .fd = cf_nl_fd(&evnl),
						    .events = POLLIN };
		if (poll(pfd, n, (int)wait) < 0 && errno != EINTR) {
			log_msg(LOG_ERR, "poll: %s", strerror(errno));
			return 1;
		}
		if (pfd[0].revents & POLLIN) {
			struct signalfd_siginfo si;

			while (read(sfd, &si, sizeof(si)) == sizeof(si)) {
				if (si.ssi_signo == SIGHUP) {
					log_msg(LOG_INFO, "SIGHUP: reloading %s", cfg_path);
					reload_at = now_ms();
				} else {
					log_msg(LOG_INFO, "exiting on signal %u; the kernel policy stays",
						si.ssi_signo);
					notify("STOPPING=1");
					disconnect();
					if (have_active)
						cf_config_free(&active);
					return 0;
				}
			}
		}
		if ((pfd[1].revents & POLLIN) && watch_changed()) {
			if (reload_at < 0)
				log_msg(LOG_INFO, "%s changed", cfg_path);
			reload_at = now_ms() + DEBOUNCE_MS;
		}
		if (n == 3 && (pfd[2].revents & POLLIN)) {
			int err = cf_nl_events_recv(&evnl, log_event, NULL);

			if (err == -ENOBUFS)
				log_msg(LOG_WARNING, "events lost (receive buffer full)");
		}
		t = now_ms();
		if (reload_at >= 0 && t >= reload_at) {
			reload_at = -1;
			notify("RELOADING=1");
			reload();
			notify("READY=1");
			write_textfile();
		}
		if (t >= next_poll) {
			check_module();
			next_poll = t + POLL_MS;
		}
		if (textfile && t >= next_text) {
			write_textfile();
			next_text = t + textfile_ms;
		}
	}
}
