/*
 * mitre-update: download the MITRE ATT&CK Enterprise bundle (or read a
 * local copy), check it, and install a new index for triage-mitre in the
 * cache, atomically: a failed, truncated or invalid download leaves the
 * previous index exactly as it was.
 *
 * It is a program of its own because it needs libcurl and triage-mitre
 * must not load it: linking libcurl and its dependencies costs a lookup
 * about 5 ms and 6 MB before main() runs.  "triage-mitre update" runs it.
 */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "attack.h"
#include "attack_build.h"
#include "attack_store.h"
#include "buf.h"
#include "cli.h"
#include "config.h"
#include "file.h"
#include "http.h"
#include "log.h"
#include "term.h"

#define DEFAULT_URL "https://raw.githubusercontent.com/mitre-attack/" \
	"attack-stix-data/master/enterprise-attack/enterprise-attack.json"
/* The full bundle is about 51 MB; leave room for years of growth. */
#define MAX_DOWNLOAD	((size_t)512 << 20)
/* Seconds for the whole download unless TRIAGE_HTTP_TIMEOUT says. */
#define DOWNLOAD_TIMEOUT 600

static const char synopsis[] =
"triage-mitre-update [-f file] [--dataset-version version]";

static const char help_text[] =
"usage: triage-mitre-update [-f file] [--dataset-version version]\n"
"\n"
"Download the MITRE ATT&CK Enterprise STIX bundle from $TRIAGE_ATTACK_URL\n"
"(default: the attack-stix-data enterprise-attack.json), check it, and\n"
"install a new index for triage-mitre in the cache directory.  A failed,\n"
"truncated or invalid download keeps the previous index.  Usually run as\n"
"'triage-mitre update'.\n"
"\n"
"Options:\n"
"  -f, --from file              build from a local bundle (JSON or gzip;\n"
"                               - for stdin) instead of downloading\n"
"      --dataset-version version\n"
"                               the ATT&CK release, when the bundle does\n"
"                               not say\n"
"  -h, --help                   show this help\n"
"  -V, --version                show the version\n"
"\n"
"Exit status: 0 ok, 1 failure, 2 usage, 3 not an ATT&CK bundle,\n"
"4 download failed.\n";

enum { OPT_DATASET_VERSION = 256 };

/* Fetches url into *data; exits on failure. */
static void
download(const char *url, char **data, size_t *len)
{
	struct http_request req;
	struct http_response res;
	char safe[512];

	memset(&req, 0, sizeof(req));
	memset(&res, 0, sizeof(res));
	req.url = url;
	req.flags = HTTP_FOLLOW;
	req.max_response = MAX_DOWNLOAD;
	req.timeout_ms = config_get_long("TRIAGE_HTTP_TIMEOUT",
	    DOWNLOAD_TIMEOUT) * 1000;
	http_safe_url(url, 0, safe, sizeof(safe));
	if (http_global_init() == -1)
		cli_die(EXIT_FAIL, "cannot start libcurl");
	progress_update("downloading %s", safe);
	if (http_send(&req, &res) == -1) {
		progress_done();
		cli_die(EXIT_UPSTREAM, "download failed: %s; the previous "
		    "index is kept", res.error[0] ? res.error :
		    http_describe(&res));
	}
	progress_done();
	if (res.status != 200) {
		http_response_release(&res);
		cli_die(EXIT_UPSTREAM, "download failed: %s: HTTP %ld; the "
		    "previous index is kept", safe, res.status);
	}
	*data = res.body;
	*len = res.len;
	res.body = NULL;
	http_response_release(&res);
	http_global_cleanup();
}

int
main(int argc, char *argv[])
{
	static const struct option longopts[] = {
		{ "help",		no_argument,       NULL, 'h' },
		{ "version",		no_argument,       NULL, 'V' },
		{ "from",		required_argument, NULL, 'f' },
		{ "dataset-version",	required_argument, NULL,
		    OPT_DATASET_VERSION },
		{ NULL, 0, NULL, 0 }
	};
	struct attack_build_opts opts;
	struct attack_dataset ds;
	struct attack_index ix;
	const char *from = NULL, *url;
	char path[4096], source[PATH_MAX], err[1024];
	struct buf idx;
	char *data = NULL;
	size_t len = 0;
	int c;

	memset(&opts, 0, sizeof(opts));
	cli_init(argc, argv);
	while ((c = getopt_long(argc, argv, "hVf:", longopts, NULL)) != -1) {
		switch (c) {
		case 'h':
			cli_help(help_text);
		case 'V':
			cli_version();
		case 'f':
			from = optarg;
			break;
		case OPT_DATASET_VERSION:
			if (*optarg == '\0' || strlen(optarg) > 32)
				cli_usage(synopsis);
			opts.version = optarg;
			break;
		default:
			cli_usage(synopsis);
		}
	}
	if (optind != argc)
		cli_usage(synopsis);
	if (attack_store_index_path(path, sizeof(path)) == -1)
		cli_die(EXIT_FAIL, "no cache directory for the ATT&CK index: "
		    "%s", strerror(errno));

	if (from != NULL) {
		if (file_read(from, ATTACK_MAX_BUNDLE, &data, &len) == -1)
			cli_die(EXIT_FAIL, "cannot read '%s': %s", from,
			    errno == EFBIG ? "larger than 1 GiB" :
			    strerror(errno));
		if (strcmp(from, "-") == 0 || realpath(from, source) == NULL)
			snprintf(source, sizeof(source), "%s", from);
	} else {
		url = config_get_or("TRIAGE_ATTACK_URL", DEFAULT_URL);
		download(url, &data, &len);
		http_safe_url(url, 0, source, sizeof(source));
	}
	opts.source = source;

	buf_init(&idx);
	if (attack_store_build(data, len, &opts, &idx, err, sizeof(err)) ==
	    -1) {
		free(data);
		cli_die(EXIT_DATA, "'%s' is not a usable ATT&CK bundle: %s; "
		    "the previous index is kept", source, err);
	}
	free(data);
	if (attack_store_install(path, idx.data, idx.len) == -1)
		cli_die(EXIT_FAIL, "cannot write '%s': %s; the previous index "
		    "is kept", path, strerror(errno));
	if (attack_index_open(&ix, idx.data, idx.len, err, sizeof(err)) == -1)
		cli_die(EXIT_FAIL, "%s", err);	/* checked when built */
	attack_index_dataset(&ix, &ds);
	if (*ds.version == '\0')
		cli_warn("the bundle does not name its ATT&CK release; give "
		    "--dataset-version to record it");
	fprintf(stderr, "%s: ATT&CK %s %s: %u techniques, %u sub-techniques, "
	    "%u tactics, %u mitigations (%u revoked, %u deprecated); index "
	    "'%s'\n", log_progname(), ds.domain,
	    *ds.version ? ds.version : "(release unknown)", ds.techniques,
	    ds.subtechniques, ds.tactics, ds.mitigations, ds.revoked,
	    ds.deprecated, path);
	buf_release(&idx);
	return cli_exit(EXIT_OK);
}
