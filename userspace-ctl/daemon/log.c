// SPDX-License-Identifier: GPL-2.0
/* camfenced logging: syslog (journal), or stderr with -f. */
#include <stdarg.h>
#include <stdio.h>
#include <syslog.h>
#include "daemon.h"

static bool to_stderr;

void log_init(bool foreground)
{
	to_stderr = foreground;
	if (!foreground)
		openlog("camfenced", LOG_PID, LOG_DAEMON);
}

void log_msg(int prio, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	if (to_stderr) {
		/* sd-daemon(3) level prefix: the journal keeps the priority */
		fprintf(stderr, "<%d>", prio);
		vfprintf(stderr, fmt, ap);
		fputc('\n', stderr);
		fflush(stderr);
	} else {
		vsyslog(prio, fmt, ap);
	}
	va_end(ap);
}
