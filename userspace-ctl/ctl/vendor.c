// SPDX-License-Identifier: GPL-2.0
/*
 * camfencectl vendor MAC...: who registered a MAC address (the IEEE
 * registries of Debian's ieee-data, longest assignment first) and whether
 * it is a camera maker (camera-vendors.list). Also the shared loader the
 * other subcommands (unknown, show, report) use for their VENDOR column.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "ctl.h"

static struct cf_vendor_db vdb;
static bool vdb_loaded;
static int vdb_files;			/* registry files read */
static char vdb_err[512];		/* registry */
static char cam_err[512];		/* camera-vendors.list */

const char *ctl_ieee_dir(void)
{
	const char *d = getenv("CAMFENCE_IEEE_DATA");

	return d && *d ? d : CF_IEEE_DATA_DIR;
}

/*
 * CAMFENCE_PROFILES, else the installed directory; a camfencectl run from
 * its build tree (userspace-ctl/build/camfencectl, the tests and the demo)
 * without an installed copy uses the tree's profiles/.
 */
const char *ctl_profiles_dir(void)
{
	static const char tail[] = "/userspace-ctl/build/camfencectl";
	static char tree[4096];
	const char *d = getenv("CAMFENCE_PROFILES");
	ssize_t n;

	if (d && *d)
		return d;
	if (!access(CF_PROFILES_DIR "/" CF_CAMERA_VENDORS_NAME, F_OK))
		return CF_PROFILES_DIR;
	if (tree[0])
		return tree;
	n = readlink("/proc/self/exe", tree, sizeof(tree) - 1);
	if (n > (ssize_t)strlen(tail) && !strcmp(tree + n - strlen(tail), tail) &&
	    (size_t)n < sizeof(tree) - 16) {
		strcpy(tree + n - strlen(tail), "/profiles");
		return tree;
	}
	tree[0] = 0;
	return CF_PROFILES_DIR;
}

struct cf_vendor_db *ctl_vendor_db(const char **err)
{
	if (!vdb_loaded) {
		char path[4096];
		int n;

		vdb_loaded = true;
		cf_vendor_db_init(&vdb);
		n = cf_vendor_load_dir(&vdb, ctl_ieee_dir());
		if (n < 0)
			snprintf(vdb_err, sizeof(vdb_err), "%s: %s", ctl_ieee_dir(), strerror(-n));
		else if (n == 0)
			snprintf(vdb_err, sizeof(vdb_err),
				 "%s: no IEEE registry (oui.csv; apt-get install ieee-data)",
				 ctl_ieee_dir());
		vdb_files = n > 0 ? n : 0;
		snprintf(path, sizeof(path), "%s/%s", ctl_profiles_dir(), CF_CAMERA_VENDORS_NAME);
		if (cf_vendor_load_cameras(&vdb, path, cam_err, sizeof(cam_err)) < 0)
			cf_vendor_db_free_cameras(&vdb);
	}
	if (err)
		*err = vdb_err[0] ? vdb_err : cam_err[0] ? cam_err : NULL;
	return &vdb;
}

void ctl_vendor_of(const uint8_t mac[6], struct cf_vendor *v)
{
	cf_vendor_lookup(ctl_vendor_db(NULL), mac, v);
}

/* The VENDOR cell: the camera family when known ("Hikvision"), else the
 * organisation, "locally administered", "randomised", or "-".
 */
const char *ctl_vendor_cell(const struct cf_vendor *v)
{
	if (v->camera)
		return v->camera->family;
	if (v->kind == CF_MAC_UNREGISTERED)
		return "-";
	return cf_vendor_name(v);
}

/* "vendor" and "camera_vendor" members of a JSON object. */
void ctl_vendor_json(struct cf_json *j, const struct cf_vendor *v)
{
	if (v->kind == CF_MAC_UNREGISTERED)
		cf_json_null(j, "vendor");
	else
		cf_json_str(j, "vendor", cf_vendor_name(v));
	cf_json_bool(j, "camera_vendor", v->camera != NULL);
	if (v->camera)
		cf_json_str(j, "camera_family", v->camera->family);
}

int cmd_vendor(int argc, char **argv)
{
	static const char *const hdr[] = {
		"MAC", "VENDOR", "REGISTRY", "CAMERA"
	};
	struct cf_vendor_db *db;
	struct ctl_table t;
	struct cf_json j;
	const char *err;
	int i, ret = CTL_OK;

	if (argc < 2)
		return ctl_usage(argv[0]);
	db = ctl_vendor_db(&err);
	if (!vdb_files) {
		ctl_err("%s", err);
		return CTL_FAIL;
	}
	if (cam_err[0])
		ctl_err("warning: %s", cam_err);
	if (ctl_json) {
		cf_json_begin(&j, stdout);
		cf_json_obj_open(&j, NULL);
		cf_json_arr_open(&j, "vendors");
	} else {
		ctl_table_init(&t, 4, hdr);
	}
	for (i = 1; i < argc; i++) {
		struct cf_vendor v;
		uint8_t mac[6];
		char m[18], reg[32];

		switch (cf_parse_mac(argv[i], mac)) {
		case 0:
			break;
		case CF_MAC_EMULTICAST:
			ctl_err("'%s' is a multicast MAC (no device has it)", argv[i]);
			ret = CTL_FAIL;
			continue;
		case CF_MAC_EZERO:
			ctl_err("'%s' is the zero MAC (no device has it)", argv[i]);
			ret = CTL_FAIL;
			continue;
		default:
			ctl_err("invalid MAC '%s' (expected aa:bb:cc:dd:ee:ff, aabb.ccdd.eeff or aabbccddeeff)",
				argv[i]);
			ret = CTL_FAIL;
			continue;
		}
		cf_vendor_lookup(db, mac, &v);
		cf_format_mac(mac, m, sizeof(m));
		if (v.registry)
			snprintf(reg, sizeof(reg), "%s %s", v.registry, v.assignment);
		else
			snprintf(reg, sizeof(reg), "-");
		if (ctl_json) {
			cf_json_obj_open(&j, NULL);
			cf_json_str(&j, "mac", m);
			ctl_vendor_json(&j, &v);
			if (v.registry) {
				cf_json_str(&j, "registry", v.registry);
				cf_json_str(&j, "assignment", v.assignment);
			} else {
				cf_json_null(&j, "registry");
				cf_json_null(&j, "assignment");
			}
			if (v.camera)
				cf_json_str(&j, "suggested_profile", v.camera->profile);
			cf_json_obj_close(&j);
		} else {
			const char *cells[4] = {
				m, cf_vendor_name(&v), reg,
				v.camera ? v.camera->family : "-"
			};

			ctl_table_row(&t, cells);
		}
	}
	if (ctl_json) {
		cf_json_arr_close(&j);
		cf_json_obj_close(&j);
		cf_json_end(&j);
	} else {
		ctl_table_print(&t, stdout, "");
		ctl_table_free(&t);
	}
	return ret;
}
