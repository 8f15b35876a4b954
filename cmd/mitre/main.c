/*
 * mitre: look up MITRE ATT&CK techniques in a compact local index and
 * write technique records, one JSON object per line.
 *
 * IDs come from the command line or from stdin, where a line may be a plain
 * ID or any text holding IDs, a request {"technique_id": "T1059.001"}
 * (consumed and answered), an incident record (passed through, followed by
 * a technique record for each technique it and its alerts carry) or any
 * other record (passed through unchanged).  "search", "tactic" and "info"
 * read the same index; "update" hands over to triage-mitre-update, so that
 * this program never loads libcurl: a lookup is a few milliseconds for the
 * whole process, and most of that would be the dynamic loader's.
 */
#include <sys/stat.h>

#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "attack.h"
#include "attack_store.h"
#include "buf.h"
#include "cli.h"
#include "jsonx.h"
#include "mitre.h"
#include "ndjson.h"
#include "paths.h"

static const char synopsis[] =
"triage-mitre [-n chars] [ID ...]\n"
"       triage-mitre [-n chars] [-l count] search TEXT ...\n"
"       triage-mitre [-n chars] tactic NAME ...\n"
"       triage-mitre info\n"
"       triage-mitre update [-f file] [--dataset-version version]";

static const char help_text[] =
"usage: triage-mitre [-n chars] [ID ...]\n"
"       triage-mitre [-n chars] [-l count] search TEXT ...\n"
"       triage-mitre [-n chars] tactic NAME ...\n"
"       triage-mitre info\n"
"       triage-mitre update [-f file] [--dataset-version version]\n"
"\n"
"Look up MITRE ATT&CK (Enterprise) techniques in a local index and write\n"
"one technique record per ID, as JSON lines.  With no ID, read stdin: plain\n"
"IDs or text holding them, requests {\"technique_id\": \"T1059.001\"}, and\n"
"incident records (passed through, each followed by the records of the\n"
"techniques it carries); other records pass through unchanged.\n"
"\n"
"Commands:\n"
"  search TEXT       techniques ranked by how well TEXT matches their names\n"
"                    and descriptions\n"
"  tactic NAME       a tactic (TA0002, execution, \"Command and Control\")\n"
"                    and its techniques\n"
"  info              the dataset's version and counts, and the index used\n"
"  update            download the current ATT&CK bundle ($TRIAGE_ATTACK_URL)\n"
"                    and rebuild the index; the old one stays on failure\n"
"\n"
"Options:\n"
"  -n, --max-description chars  cut descriptions to this many characters\n"
"  -l, --limit count            search: at most count results (default 10,\n"
"                               0 for all)\n"
"  -f, --from file              update: build from a local bundle (JSON or\n"
"                               gzip; - for stdin) instead of downloading\n"
"      --dataset-version version\n"
"                               update: the ATT&CK release, when the bundle\n"
"                               does not say\n"
"  -h, --help                   show this help\n"
"  -V, --version                show the version\n"
"\n"
"Without an update, the ATT&CK v18.1 copy shipped with triage answers,\n"
"with no network.  Exit status: 0 ok, 1 failure, 2 usage, 3 bad input,\n"
"4 download failed, 6 an ID, tactic or search on the command line found\n"
"nothing.\n";

enum { OPT_DATASET_VERSION = 256 };

static struct attack_store store;
static int stdout_regular = -1;

static void
open_index(void)
{
	char err[1024];

	if (attack_store_open(&store, err, sizeof(err)) == -1)
		cli_die(EXIT_FAIL, "%s", err);
}

static void
put(json_t *rec)
{
	if (rec == NULL)
		cli_die(EXIT_FAIL, "cannot make a record: the ATT&CK index is "
		    "damaged or memory ran out");
	if (ndjson_write(stdout, rec) == -1)
		cli_die(EXIT_FAIL, "cannot write: %s", strerror(errno));
	json_decref(rec);
}

/* A record passed through as it came, byte for byte. */
static void
put_line(const char *line, size_t len)
{
	struct stat sb;

	if (stdout_regular == -1)
		stdout_regular = fstat(STDOUT_FILENO, &sb) == 0 &&
		    S_ISREG(sb.st_mode);
	if (fwrite(line, 1, len, stdout) != len || putchar('\n') == EOF ||
	    (!stdout_regular && fflush(stdout) == EOF))
		cli_die(EXIT_FAIL, "cannot write: %s", strerror(errno));
}

static char *
join(int argc, char *argv[])
{
	struct buf b;
	int i;

	buf_init(&b);
	for (i = 0; i < argc; i++) {
		if (i > 0)
			buf_addc(&b, ' ');
		buf_adds(&b, argv[i]);
	}
	if (buf_failed(&b))
		cli_die(EXIT_FAIL, "out of memory");
	return buf_steal(&b);
}

/* IDs on the command line: each must look like one. */
static int
cmd_lookup(int argc, char *argv[])
{
	int i, found, missing = 0;
	uint32_t key;

	for (i = 0; i < argc; i++)
		if (attack_parse_id(argv[i], strlen(argv[i]), &key) == -1) {
			cli_warn("'%s' is not a technique ID such as T1059 or "
			    "T1059.001 (to search: triage-mitre search '%s')",
			    argv[i], argv[i]);
			cli_usage(synopsis);
		}
	open_index();
	for (i = 0; i < argc; i++) {
		put(mitre_answer(&store.ix, argv[i], strlen(argv[i]), &found));
		if (!found)
			missing++;
	}
	return missing > 0 ? EXIT_NOTFOUND : EXIT_OK;
}

/* The technique IDs one line of text names, each once. */
static void
answer_text(const char *line, size_t len)
{
	uint32_t seen[64];
	const char *p = line, *end = line + len, *at;
	size_t n, nseen = 0, i;
	uint32_t key;
	int found;

	while ((at = attack_find_id(p, end, &n, &key)) != NULL) {
		p = at + n;
		for (i = 0; i < nseen; i++)
			if (seen[i] == key)
				break;
		if (i < nseen)
			continue;
		if (nseen < sizeof(seen) / sizeof(seen[0]))
			seen[nseen++] = key;
		put(mitre_answer(&store.ix, at, n, &found));
	}
}

static void
collect_ids(const json_t *list, uint32_t **keys, size_t *n, size_t *cap)
{
	const char *s, *p, *end, *at;
	size_t i, j, len;
	uint32_t key;
	json_t *v;

	json_array_foreach(list, i, v) {
		if ((s = json_string_value(v)) == NULL)
			continue;
		p = s;
		end = s + json_string_length(v);
		while ((at = attack_find_id(p, end, &len, &key)) != NULL) {
			p = at + len;
			for (j = 0; j < *n; j++)
				if ((*keys)[j] == key)
					break;
			if (j < *n)
				continue;
			if (*n == *cap) {
				*cap = *cap ? *cap * 2 : 16;
				*keys = xrealloc(*keys, *cap * sizeof(**keys));
			}
			(*keys)[(*n)++] = key;
		}
	}
}

/* An incident's techniques: its own, then its alerts', each once. */
static void
answer_incident(const json_t *inc)
{
	uint32_t *keys = NULL;
	size_t n = 0, cap = 0, i;
	char id[16];
	json_t *alert;
	int found;

	collect_ids(json_object_get(inc, "techniques"), &keys, &n, &cap);
	json_array_foreach(json_object_get(inc, "alerts"), i, alert)
		collect_ids(json_object_get(alert, "techniques"), &keys, &n,
		    &cap);
	for (i = 0; i < n; i++) {
		attack_format_id(keys[i], id, sizeof(id));
		put(mitre_answer(&store.ix, id, strlen(id), &found));
	}
	free(keys);
}

/* {"technique_id": "T1059.001"} or {"technique_id": ["T1059", ...]}. */
static void
answer_request(struct ndjson_reader *r, const json_t *req)
{
	const json_t *ids = json_object_get(req, "technique_id");
	const json_t *v;
	size_t i;
	int found;

	if (json_is_string(ids)) {
		put(mitre_answer(&store.ix, json_string_value(ids),
		    json_string_length(ids), &found));
		return;
	}
	if (!json_is_array(ids))
		cli_die(EXIT_DATA, "%s:%zu: \"technique_id\" must be a string "
		    "or an array of strings", r->source, r->line);
	json_array_foreach(ids, i, v) {
		if (!json_is_string(v))
			cli_die(EXIT_DATA, "%s:%zu: \"technique_id\" must be a "
			    "string or an array of strings", r->source,
			    r->line);
		put(mitre_answer(&store.ix, json_string_value(v),
		    json_string_length(v), &found));
	}
}

static int
cmd_stdin(void)
{
	struct ndjson_reader r;
	const char *type;
	char *line;
	size_t len;
	json_t *v;
	long saved = mitre_max_description;

	open_index();
	ndjson_init(&r, stdin, "<stdin>");
	while ((line = ndjson_getline(&r, &len)) != NULL) {
		if (!ndjson_is_json_line(line, len)) {
			answer_text(line, len);
			continue;
		}
		if ((v = ndjson_parse(&r, line, len)) == NULL)
			cli_die(EXIT_DATA, "%s", r.error);
		if (!json_is_object(v)) {
			json_decref(v);
			cli_die(EXIT_DATA, "%s:%zu: expected an object",
			    r.source, r.line);
		}
		type = jx_type(v);
		if (type == NULL && json_object_get(v, "technique_id")) {
			if (json_is_integer(json_object_get(v,
			    "max_description")))
				mitre_max_description = (long)jx_int(v,
				    "max_description", -1);
			answer_request(&r, v);
			mitre_max_description = saved;
		} else {
			put_line(line, len);
			if (type != NULL && strcmp(type, "incident") == 0)
				answer_incident(v);
		}
		json_decref(v);
	}
	if (r.failed)
		cli_die(EXIT_FAIL, "%s", r.error);
	ndjson_release(&r);
	return EXIT_OK;
}

static int
cmd_search(int argc, char *argv[], long limit)
{
	struct attack_hit *hits;
	size_t n, i, max;
	char *query;

	if (argc == 0)
		cli_usage(synopsis);
	query = join(argc, argv);
	open_index();
	max = limit > 0 ? (size_t)limit : store.ix.n_tech;
	if (max == 0)
		max = 1;
	hits = xcalloc(max, sizeof(*hits));
	n = attack_search(&store.ix, query, hits, max);
	for (i = 0; i < n; i++)
		put(mitre_technique(&store.ix, hits[i].row, hits[i].score));
	free(hits);
	if (n == 0) {
		cli_warn("no technique matches '%s'", query);
		free(query);
		return EXIT_NOTFOUND;
	}
	free(query);
	return EXIT_OK;
}

static int
cmd_tactic(int argc, char *argv[])
{
	uint32_t row;
	char *name;

	if (argc == 0)
		cli_usage(synopsis);
	name = join(argc, argv);
	open_index();
	row = attack_find_tactic(&store.ix, name);
	if (row == ATTACK_NONE) {
		cli_warn("no tactic '%s' (try an ID such as TA0002 or a name "
		    "such as execution)", name);
		free(name);
		return EXIT_NOTFOUND;
	}
	free(name);
	put(mitre_tactic(&store.ix, row));
	return EXIT_OK;
}

static int
cmd_info(int argc)
{
	if (argc != 0)
		cli_usage(synopsis);
	open_index();
	put(mitre_dataset_record(&store));
	return EXIT_OK;
}

/* The download needs libcurl; it lives in triage-mitre-update. */
static _Noreturn void
cmd_update(int argc, const char *from, const char *version)
{
	char prog[PATH_MAX];
	const char *args[8];
	int n = 0;

	if (argc != 0)
		cli_usage(synopsis);
	paths_program("triage-mitre-update", prog, sizeof(prog));
	args[n++] = "triage-mitre-update";
	if (from != NULL) {
		args[n++] = "--from";
		args[n++] = from;
	}
	if (version != NULL) {
		args[n++] = "--dataset-version";
		args[n++] = version;
	}
	args[n] = NULL;
	fflush(stdout);
	if (strchr(prog, '/') != NULL)
		execv(prog, (char *const *)(uintptr_t)args);
	else
		execvp(prog, (char *const *)(uintptr_t)args);
	cli_die(EXIT_FAIL, "cannot run 'triage-mitre-update': %s",
	    strerror(errno));
}

int
main(int argc, char *argv[])
{
	static const struct option longopts[] = {
		{ "help",		no_argument,       NULL, 'h' },
		{ "version",		no_argument,       NULL, 'V' },
		{ "max-description",	required_argument, NULL, 'n' },
		{ "limit",		required_argument, NULL, 'l' },
		{ "from",		required_argument, NULL, 'f' },
		{ "dataset-version",	required_argument, NULL,
		    OPT_DATASET_VERSION },
		{ NULL, 0, NULL, 0 }
	};
	const char *from = NULL, *version = NULL;
	long limit = 10;
	int c, rc;

	cli_init(argc, argv);
	while ((c = getopt_long(argc, argv, "hVn:l:f:", longopts, NULL)) !=
	    -1) {
		switch (c) {
		case 'h':
			cli_help(help_text);
		case 'V':
			cli_version();
		case 'n':
			mitre_max_description = cli_number(
			    "--max-description", optarg, 0, LONG_MAX);
			break;
		case 'l':
			limit = cli_number("--limit", optarg, 0, LONG_MAX);
			break;
		case 'f':
			from = optarg;
			break;
		case OPT_DATASET_VERSION:
			version = optarg;
			break;
		default:
			cli_usage(synopsis);
		}
	}
	argc -= optind;
	argv += optind;
	if (argc > 0 && strcmp(argv[0], "update") == 0)
		cmd_update(argc - 1, from, version);
	if (from != NULL || version != NULL) {
		cli_warn("--from and --dataset-version go with 'update'");
		cli_usage(synopsis);
	}
	if (argc == 0)
		rc = cmd_stdin();
	else if (strcmp(argv[0], "search") == 0)
		rc = cmd_search(argc - 1, argv + 1, limit);
	else if (strcmp(argv[0], "tactic") == 0)
		rc = cmd_tactic(argc - 1, argv + 1);
	else if (strcmp(argv[0], "info") == 0)
		rc = cmd_info(argc - 1);
	else
		rc = cmd_lookup(argc, argv);
	attack_store_close(&store);
	return cli_exit(rc);
}
