// SPDX-License-Identifier: GPL-2.0
/*
 * camfenced: inotify on the directories holding the config and every file
 * it includes. Watching the directory (not the file) sees editors that write
 * a new file and rename it over the old one.
 */
#include <errno.h>
#include <fnmatch.h>
#include <libgen.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/inotify.h>
#include <unistd.h>

#include "daemon.h"

#define MAX_WATCHED 256

struct watched {
	int wd;
	char dir[PATH_MAX];
	char base[NAME_MAX + 1];
	bool pattern;			/* base is a glob(3) pattern */
};

static int ifd = -1;
static struct watched files[MAX_WATCHED];
static int nfiles;

int watch_init(void)
{
	ifd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
	return ifd;
}

static void add_file(const char *path, bool pattern)
{
	char a[PATH_MAX], b[PATH_MAX];
	char *dir, *base;
	int i, wd;

	if (nfiles >= MAX_WATCHED || strlen(path) >= sizeof(a))
		return;
	strcpy(a, path);
	strcpy(b, path);
	dir = dirname(a);
	base = basename(b);
	for (i = 0; i < nfiles; i++)
		if (!strcmp(files[i].dir, dir) && !strcmp(files[i].base, base))
			return;
	wd = inotify_add_watch(ifd, dir, IN_CLOSE_WRITE | IN_MOVED_TO |
			       IN_CREATE | IN_DELETE | IN_MOVED_FROM |
			       IN_ATTRIB);
	if (wd < 0) {
		log_msg(4, "inotify watch on %s: %s", dir, strerror(errno));
		return;
	}
	files[nfiles].wd = wd;
	snprintf(files[nfiles].dir, sizeof(files[nfiles].dir), "%s", dir);
	snprintf(files[nfiles].base, sizeof(files[nfiles].base), "%s", base);
	files[nfiles].pattern = pattern;
	nfiles++;
}

void watch_set(const struct cf_config *x, const struct cf_config *y,
	       const char *main_path)
{
	int i;

	if (ifd < 0)
		return;
	/* directories stay watched (a watch per directory is shared by the
	 * kernel); only the list of interesting names is rebuilt
	 */
	nfiles = 0;
	add_file(main_path, false);
	for (i = 0; x && i < x->nfiles; i++)
		add_file(x->files[i], false);
	for (i = 0; y && i < y->nfiles; i++)
		add_file(y->files[i], false);
	/* include patterns: a matching file added, removed or renamed in
	 * the directory (a wildcard in the directory part is not watched)
	 */
	for (i = 0; x && i < x->nglobs; i++)
		add_file(x->globs[i], true);
	for (i = 0; y && i < y->nglobs; i++)
		add_file(y->globs[i], true);
}

bool watch_changed(void)
{
	char buf[4096] __attribute__((aligned(__alignof__(struct inotify_event))));
	bool hit = false;
	ssize_t len;

	while ((len = read(ifd, buf, sizeof(buf))) > 0) {
		char *p = buf;

		while (p < buf + len) {
			struct inotify_event *ev = (struct inotify_event *)p;
			int i;

			for (i = 0; i < nfiles && ev->len; i++)
				if (files[i].wd == ev->wd &&
				    (files[i].pattern ?
				     !fnmatch(files[i].base, ev->name, FNM_PERIOD) :
				     !strcmp(files[i].base, ev->name)))
					hit = true;
			if (ev->mask & IN_Q_OVERFLOW)
				hit = true;
			p += sizeof(*ev) + ev->len;
		}
	}
	return hit;
}
