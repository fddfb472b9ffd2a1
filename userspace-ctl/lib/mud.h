/* SPDX-License-Identifier: GPL-2.0 */
/*
 * MUD (RFC 8520, ACLs of RFC 8519) to and from camfence profiles. Pure:
 * json-c for reading, the lib/json.h writer for writing, no netlink.
 *
 * The site's addresses are the placeholders of the vendor profiles
 * (profiles/README.md): a MUD "my-controller" or "controller" class is the
 * NVR (192.0.2.10), "local-networks" the operators' network
 * (198.51.100.0/24), the controller classes urn:ietf:params:mud:dns and
 * urn:ietf:params:mud:ntp the router (192.0.2.1). `camfencectl profile`
 * replaces them by the site's addresses.
 */
#ifndef CAMFENCE_MUD_H
#define CAMFENCE_MUD_H

#include <stdio.h>
#include <time.h>
#include "config.h"

#define CF_MUD_MAX_RULES 256
#define CF_MUD_MAX_ACES 4096

struct cf_mud {
	char url[512];			/* mud-url */
	char systeminfo[256];
	char name[CF_CFG_NAME_MAX + 1];	/* a profile name derived from the URL */
	int nrules;
	struct cf_cfg_rule rules[CF_MUD_MAX_RULES];	/* merged and sorted */
	int nunmapped;
	char **unmapped;		/* "ACE 'x' (ACL 'y'): why" */
};

void cf_mud_init(struct cf_mud *m);
void cf_mud_free(struct cf_mud *m);

/*
 * Reads a MUD file. ACEs that cannot be expressed as camfence rules (DNS
 * names, manufacturer classes, drop actions, ...) are listed in unmapped;
 * leaving an accept ACE out only denies more (camfence is default deny).
 * Returns 0, or -1 with a message in err when the text is not a MUD file.
 */
int cf_mud_import(const char *buf, size_t len, struct cf_mud *m,
		  char *err, size_t errlen);

/* The imported profile in camfence.conf syntax, named name. */
void cf_mud_write_profile(FILE *f, const struct cf_mud *m, const char *name,
			  const char *source);

/*
 * A MUD file for profile p: mud-url url, systeminfo, last-update when.
 * The placeholders become MUD classes; other peers are written as
 * networks. A rule towards the router placeholder other than DNS or NTP
 * has no MUD form: it is left out, said on notes (may be NULL) and
 * counted in *nskipped. Returns the number of ACEs, -1 on error.
 */
int cf_mud_export(FILE *f, FILE *notes, const struct cf_cfg_profile *p, const char *url,
		  const char *systeminfo, time_t when, int *nskipped);

#endif /* CAMFENCE_MUD_H */
