/* SPDX-License-Identifier: GPL-2.0 */
/* camfenced: shared declarations. */
#ifndef CAMFENCED_H
#define CAMFENCED_H

#include <stdbool.h>
#include "config.h"

/* log.c: syslog, or stderr in the foreground */
void log_init(bool foreground);
__attribute__((format(printf, 2, 3)))
void log_msg(int prio, const char *fmt, ...);

/* notify.c: sd_notify(3) without libsystemd; no-op without $NOTIFY_SOCKET */
void notify(const char *state);

/* watch.c: inotify on the directories of the config files, so that editors
 * that replace a file by rename are seen too.
 */
int watch_init(void);			/* returns the inotify fd */
/* Watches every file of both lists (either may be NULL). */
void watch_set(const struct cf_config *a, const struct cf_config *b,
	       const char *main_path);
/* Reads the pending inotify events; true if one concerns a watched file. */
bool watch_changed(void);

#endif /* CAMFENCED_H */
