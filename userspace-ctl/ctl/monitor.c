// SPDX-License-Identifier: GPL-2.0
/*
 * camfencectl monitor: subscribe to the events group and print one line per
 * event (-j: one JSON object per line) until SIGINT or SIGTERM.
 */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include "ctl.h"

static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
	stop = sig;
}

static int print_event(const struct cf_event *ev, void *arg)
{
	char line[512];

	if (ctl_json) {
		struct cf_json j;

		cf_json_begin(&j, stdout);
		cf_event_json(&j, ev);
		cf_json_end(&j);
	} else {
		printf("%s\n", cf_format_event(ev, line, sizeof(line)));
	}
	fflush(stdout);
	return 0;
}

int cmd_monitor(int argc, char **argv)
{
	struct sigaction sa;
	struct pollfd pfd;
	struct cf_nl nl;
	int err;

	if (argc != 1)
		return ctl_usage(argv[0]);
	if (ctl_open(&nl))
		return CTL_FAIL;
	err = cf_nl_events_subscribe(&nl);
	if (err) {
		err = ctl_nl_fail(&nl, err);
		cf_nl_close(&nl);
		return err;
	}
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	pfd.fd = cf_nl_fd(&nl);
	pfd.events = POLLIN;
	while (!stop) {
		int n = poll(&pfd, 1, -1);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			ctl_err("poll: %s", strerror(errno));
			break;
		}
		err = cf_nl_events_recv(&nl, print_event, NULL);
		if (err == -EINTR || err == -EAGAIN)
			continue;
		if (err == -ENOBUFS) {
			fprintf(stderr, "%s: events lost (receive buffer full)\n", prog);
		} else if (err < 0) {
			ctl_err("%s", cf_nl_strerror(&nl, err));
			cf_nl_close(&nl);
			return CTL_FAIL;
		}
	}
	cf_nl_close(&nl);
	return CTL_OK;
}
