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
 * - sd_notify READY=1 only after the first successful commit (or a policy
 *   found equal to the file); until then STATUS= says why it is not ready
 *   (module not loaded, errors in the file, load refused); RELOADING=1;
 *   SIGTERM exits 0 and leaves the policy;
 * - notices a kernel policy that is not the configuration's (another
 *   commit: camfencectl load or flush): each new generation (or mode) is
 *   read back (GET_POLICY) and compared with the file's; a difference is
 *   logged at LOG_CRIT and exported (camfence_config_policy_matches 0);
 *   with --enforce-config the file's policy is committed again, except
 *   while a "camfencectl load --confirm" waits for its confirmation, and
 *   for the policy it confirmed or its rollback restored (until the next
 *   reload).
 */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <limits.h>
#include <sys/signalfd.h>
#include <sys/stat.h>
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
/* what the last commit left open (no zone, not sealed), "" if nothing */
static char seal_open[512];
static bool have_active;
static struct cf_nl nl, evnl;
static bool connected;
static uint64_t last_generation;
static int last_mode = -1;		/* the kernel's global mode seen */
static bool enforce;			/* --enforce-config */
static bool no_device_metrics;		/* --no-device-metrics */
static bool ready;			/* READY=1 sent */
static bool drift;			/* kernel policy != config */
static bool drift_recheck;		/* compare again at the next poll */
static uint64_t drift_generation;	/* the generation logged as drift */
static bool reload_ok;			/* the last reload committed */
static int64_t reload_time;		/* its wall clock time, seconds */

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

static const char *run_dir(void)
{
	const char *d = getenv("CAMFENCE_RUN_DIR");

	return d && d[0] ? d : "/run/camfence";
}

static bool run_file_exists(const char *name)
{
	char path[PATH_MAX];

	snprintf(path, sizeof(path), "%s/%s", run_dir(), name);
	return access(path, F_OK) == 0;
}

/*
 * load --confirm writes RUNDIR/rollback.conf before it commits, and its
 * rollback process writes confirm-pending only after: a fresh rollback.conf
 * (under a minute old; a stale one is what a killed camfencectl left) is a
 * confirmation being set up.
 */
static bool run_file_recent(const char *name, int secs)
{
	char path[PATH_MAX];
	struct stat sb;

	snprintf(path, sizeof(path), "%s/%s", run_dir(), name);
	return stat(path, &sb) == 0 && time(NULL) - sb.st_mtime < secs;
}

static void unlink_rolled_back(void)
{
	char path[PATH_MAX];

	snprintf(path, sizeof(path), "%s/rolled-back", run_dir());
	unlink(path);
	snprintf(path, sizeof(path), "%s/confirmed", run_dir());
	unlink(path);
}

/*
 * The generation a load --confirm rollback committed (name "rolled-back"),
 * or camfencectl confirm kept ("confirmed"); 0 if none.
 */
static uint64_t marked_generation(const char *name)
{
	char path[PATH_MAX];
	unsigned long long g = 0;
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", run_dir(), name);
	f = fopen(path, "r");
	if (!f)
		return 0;
	if (fscanf(f, "generation %llu", &g) != 1)
		g = 0;
	fclose(f);
	return g;
}

/* STATUS= (systemctl status) and, the first time, READY=1. */
static void set_ready(void)
{
	char msg[1024];

	snprintf(msg, sizeof(msg), "%sSTATUS=running: generation %" PRIu64 "%s%s%s%s",
		 ready ? "" : "READY=1\n", last_generation,
		 drift ? ", the kernel policy differs from the configuration" : "",
		 seal_open[0] ? "; OPEN, without any filtering: " : "",
		 seal_open,
		 seal_open[0] ? " (not in sealed_vlans/sealed_ifaces)" : "");
	notify(msg);
	ready = true;
}

static void set_not_ready(const char *why)
{
	char msg[512];

	if (ready) {
		snprintf(msg, sizeof(msg), "STATUS=running: generation %" PRIu64
			 "; %s", last_generation, why);
	} else {
		snprintf(msg, sizeof(msg), "STATUS=not ready: %s", why);
	}
	notify(msg);
}

/*
 * Before a commit of cfg: the VLANs and interfaces it takes out of the
 * zones of the active policy, re-sealed (LOG_NOTICE) or OPEN (LOG_CRIT);
 * camfenced commits anyway (it is not interactive). open gets the open
 * ones ("zone b VLAN 22"), "" if none or the policy cannot be read.
 */
static void seal_check(const struct cf_config *cfg, char *open, size_t len)
{
	struct cf_seal_changes c;
	struct cf_lint_env env;
	struct cf_config cur;
	char line[256];
	uint64_t gen = 0;
	bool sealed = false;
	int i;

	open[0] = '\0';
	cf_config_init(&cur);
	if (cf_nl_get_policy(&nl, &cur, &gen, &sealed)) {
		cf_config_free(&cur);
		return;
	}
	cf_seal_read(&env, "/sys/module/camfence/parameters", false);
	if (cf_seal_compare(&cur, cfg, &env, &c) > 0) {
		for (i = 0; i < c.n; i++)
			log_msg(c.items[i].sealed ? LOG_NOTICE : LOG_CRIT, "%s",
				cf_seal_item_text(&c.items[i], line,
						  sizeof(line)));
		if (c.nopen)
			cf_seal_open_text(&c, open, len);
	}
	cf_seal_changes_free(&c);
	cf_config_free(&cur);
}

/* Commits cfg; logs the outcome. */
static int apply(const struct cf_config *cfg)
{
	struct cf_commit res;
	struct cf_diff diff;
	char open[sizeof(seal_open)];
	int err;

	seal_check(cfg, open, sizeof(open));
	err = cf_nl_load(&nl, cfg, &res, &diff);
	if (err) {
		char why[320];

		snprintf(why, sizeof(why), "load failed, active policy unchanged: %s",
			 cf_nl_strerror(&nl, err));
		log_msg(LOG_ERR, "%s", why);
		set_not_ready(why);
		cf_diff_free(&diff);
		return err;
	}
	drift = false;
	drift_recheck = false;
	if (res.noop) {
		/* the kernel compared: the same policy is not committed */
		log_msg(LOG_INFO, "policy unchanged: generation %" PRIu64
			" (%u devices)", res.generation, res.unchanged);
		last_generation = res.generation;
		cf_diff_free(&diff);
		set_ready();
		return 0;
	}
	log_names("added", diff.added, diff.nadded);
	log_names("removed", diff.removed, diff.nremoved);
	log_names("changed", diff.changed, diff.nchanged);
	log_msg(LOG_INFO, "policy loaded: generation %" PRIu64
		": %u added, %u removed, %u changed, %u unchanged",
		res.generation, res.added, res.removed, res.changed,
		res.unchanged);
	snprintf(seal_open, sizeof(seal_open), "%s", open);
	if (open[0])
		log_msg(LOG_CRIT, "generation %" PRIu64 " leaves %s OPEN, without any filtering (not in sealed_vlans/sealed_ifaces)",
			res.generation, open);
	last_generation = res.generation;
	cf_diff_free(&diff);
	set_ready();
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
	char why[PATH_MAX + 128];
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
		snprintf(why, sizeof(why), "%s: %d error%s, active policy unchanged (camfencectl check %s)",
			 cfg_path, n, n == 1 ? "" : "s", cfg_path);
		set_not_ready(why);
		reload_ok = false;
		reload_time = time(NULL);
		goto out;
	}
	reload_time = time(NULL);
	if (!connected) {
		log_msg(LOG_WARNING, "camfence module not loaded; the policy is applied when it is");
		set_not_ready("camfence module not loaded (modprobe camfence; dkms status camfence); the policy is applied when it is");
		reload_ok = false;
	} else if (apply(&cfg)) {
		reload_ok = false;
		goto out;
	} else {
		reload_ok = true;
		/* a reload ends the respite of a rolled back policy */
		unlink_rolled_back();
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

/* "devices: 1 added, ...; mode unchanged" (cf_diffstat_print) */
static void diffstat_text(const struct cf_cfg_diffstat *ds, char *buf,
			  size_t len)
{
	FILE *f = fmemopen(buf, len, "w");
	size_t n;

	buf[0] = '\0';
	if (!f)
		return;
	cf_diffstat_print(f, ds);
	fclose(f);
	buf[len - 1] = '\0';
	n = strlen(buf);
	if (n && buf[n - 1] == '\n')
		buf[n - 1] = '\0';
}

/*
 * Another generation (or mode) than the one camfenced committed: read the
 * policy back and compare it with the configuration's.
 */
/* true the first time a generation is left alone for this reason */
static bool new_reason(uint64_t gen, int reason)
{
	static uint64_t last_gen;
	static int last_reason;

	if (gen == last_gen && reason == last_reason)
		return false;
	last_gen = gen;
	last_reason = reason;
	return true;
}

static void check_drift(const struct cf_stats *st)
{
	struct cf_cfg_diffstat ds;
	struct cf_config cur;
	char stat[512];
	uint64_t gen = 0;
	bool sealed = false;
	int err, d;

	drift_recheck = false;
	last_mode = st->mode;
	if (!have_active) {
		/* no valid configuration yet: nothing to compare with */
		last_generation = st->generation;
		return;
	}
	cf_config_init(&cur);
	err = cf_nl_get_policy(&nl, &cur, &gen, &sealed);
	if (err) {
		log_msg(LOG_WARNING, "cannot read the kernel policy back to compare it with %s: %s",
			cfg_path, cf_nl_strerror(&nl, err));
		last_generation = st->generation;
		cf_config_free(&cur);
		return;
	}
	last_generation = gen;
	d = cf_config_diff(NULL, &cur, &active, &ds);
	cf_config_free(&cur);
	if (d == 0) {
		if (drift)
			log_msg(LOG_NOTICE, "the kernel policy (generation %" PRIu64
				") is the one of %s again", gen, cfg_path);
		drift = false;
		if (ready)
			set_ready();
		return;
	}
	if (d < 0)
		return;
	if (!drift || drift_generation != gen) {
		diffstat_text(&ds, stat, sizeof(stat));
		log_msg(LOG_CRIT, "the kernel policy (generation %" PRIu64
			") is not the one of %s: another commit changed it (%s); 'camfencectl diff %s' shows how",
			gen, cfg_path, stat, cfg_path);
	}
	drift = true;
	if (!enforce) {
		if (new_reason(gen, 1))
			log_msg(LOG_WARNING, "not re-applied: camfenced runs without --enforce-config (systemctl reload camfenced applies %s)",
				cfg_path);
		drift_generation = gen;
		set_not_ready("the kernel policy differs from the configuration (camfencectl diff)");
		return;
	}
	if (run_file_exists("confirm-pending") ||
	    run_file_exists("confirm-pending.rollback") ||
	    run_file_exists("confirm-pending.done") ||
	    run_file_recent("rollback.conf", 60)) {
		if (new_reason(gen, 2))
			log_msg(LOG_WARNING, "not re-applied yet: a 'camfencectl load --confirm' waits for its confirmation (%s/confirm-pending)",
				run_dir());
		drift_generation = gen;
		drift_recheck = true;	/* until it is confirmed or rolled back */
		set_not_ready("a load --confirm waits for its confirmation");
		return;
	}
	if (marked_generation("confirmed") == gen) {
		if (new_reason(gen, 3))
			log_msg(LOG_WARNING, "not re-applied: generation %" PRIu64
				" was kept by 'camfencectl confirm'; %s is applied again at the next reload (put the confirmed file in its place)",
				gen, cfg_path);
		drift_generation = gen;
		set_not_ready("a confirmed load --confirm differs from the configuration; it is applied again at the next reload");
		return;
	}
	if (marked_generation("rolled-back") == gen) {
		if (new_reason(gen, 4))
			log_msg(LOG_WARNING, "not re-applied: generation %" PRIu64
				" is the rollback of an unconfirmed 'camfencectl load --confirm'; fix %s, then systemctl reload camfenced",
				gen, cfg_path);
		drift_generation = gen;
		set_not_ready("the policy was rolled back by load --confirm; the configuration is not applied until the next reload");
		return;
	}
	drift_generation = gen;
	log_msg(LOG_WARNING, "re-applying %s (--enforce-config)", cfg_path);
	apply(&active);
}

/* Every second: is the module still there, and is it the same instance? */
static void check_module(void)
{
	struct cf_stats st;
	int err;

	if (connected) {
		err = cf_nl_get_stats(&nl, &st);
		if (!err && st.generation >= last_generation &&
		    !(st.sealed && last_generation)) {
			if (st.generation != last_generation ||
			    (int)st.mode != last_mode || drift_recheck)
				check_drift(&st);
			return;
		}
		if (err)
			log_msg(LOG_WARNING, "camfence module gone (%s)",
				cf_nl_strerror(&nl, err));
		else
			log_msg(LOG_WARNING, "camfence module was reloaded");
		disconnect();
		last_generation = 0;
		set_not_ready("camfence module not loaded (modprobe camfence); the policy is applied again when it is");
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
		reload_ok = true;
		reload_time = time(NULL);
		unlink_rolled_back();	/* generations of another instance */
	} else if (!cf_nl_get_stats(&nl, &st)) {
		last_generation = st.generation;
	}
	if (!cf_nl_get_stats(&nl, &st))
		last_mode = st.mode;
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
	err = connected ? cf_nl_write_metrics_opt(&nl, f, !no_device_metrics) :
		cf_metrics_write_down(f);
	if (!err)
		err = cf_metrics_write_config(f, reload_ok, reload_time,
					      have_active && connected ?
					      !drift : -1);
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

/*
 * node_exporter's textfile collector reads one directory: a missing one is
 * a deployment error (node_exporter not installed, or another
 * --collector.textfile.directory), said at start rather than as a write
 * error every few seconds.
 */
static bool textfile_dir_missing(void)
{
	char dir[PATH_MAX];
	char *slash;
	struct stat sb;

	snprintf(dir, sizeof(dir), "%s", textfile);
	slash = strrchr(dir, '/');
	if (!slash)
		return false;		/* the working directory */
	if (slash == dir)
		slash[1] = '\0';
	else
		*slash = '\0';
	if (stat(dir, &sb) == 0 && S_ISDIR(sb.st_mode))
		return false;
	fprintf(stderr, "camfenced: --textfile %s: the directory %s %s; it is node_exporter's textfile directory (--collector.textfile.directory, Debian: /var/lib/prometheus/node-exporter from prometheus-node-exporter)\n",
		textfile, dir, stat(dir, &sb) == 0 ? "is not a directory" :
		"does not exist");
	return true;
}

static void usage(FILE *f)
{
	fprintf(f, "Usage: camfenced [-c FILE] [-f] [--enforce-config] [--textfile PATH]\n"
		"                 [--textfile-interval SECONDS] [--no-device-metrics]\n"
		"       camfenced --version | --help\n"
		"  -c, --config FILE      configuration (default /etc/camfence/camfence.conf)\n"
		"  -f, --foreground       stay in the foreground, log to stderr\n"
		"      --enforce-config   commit the configuration again when another\n"
		"                         commit changed the kernel policy\n"
		"      --textfile PATH    write Prometheus metrics to PATH (atomically)\n"
		"      --textfile-interval SECONDS  how often (default 5)\n"
		"      --no-device-metrics  leave out the per-device series (large sites)\n");
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "config", required_argument, NULL, 'c' },
		{ "foreground", no_argument, NULL, 'f' },
		{ "textfile", required_argument, NULL, 't' },
		{ "textfile-interval", required_argument, NULL, 'i' },
		{ "enforce-config", no_argument, NULL, 'E' },
		{ "no-device-metrics", no_argument, NULL, 'D' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 }
	};
	int64_t reload_at = -1, next_poll, next_text;
	struct cf_stats st0;
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
		case 'E':
			enforce = true;
			break;
		case 'D':
			no_device_metrics = true;
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
	if (textfile && textfile_dir_missing())
		return 1;
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
	if (!connected)
		set_not_ready("camfence module not loaded (modprobe camfence; dkms status camfence)");
	reload();
	write_textfile();
	if (connected && !cf_nl_get_stats(&nl, &st0))
		last_mode = st0.mode;
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
			if (ready)
				notify("RELOADING=1");
			reload();
			if (ready)
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
