/*
 * build: a bundle of records becomes the document model, section by
 * section in the order every brief has.  This is where the content is
 * decided: what each table holds, what is said when a record is missing,
 * which values are indicators (defanged as values) and which are prose
 * (defanged where an indicator appears in it).  Nothing here escapes;
 * the emitters do.  The enrichment table is built from enrichment records
 * only, never from the model's words.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "buf.h"
#include "cli.h"
#include "defang.h"
#include "escape.h"
#include "incident.h"
#include "ioc.h"
#include "isotime.h"
#include "jsonx.h"
#include "render.h"
#include "version.h"

#define NOT_ASSESSED	"Not assessed: there is no brief in the stream " \
			"(no model or playbook ran)."
#define DASH		"\xe2\x80\x94"
#define DOT		" \xc2\xb7 "
#define WARN		"\xe2\x9a\xa0 "

struct ctx {
	const struct bundle	*b;
	const struct render_opts *o;
	json_t			*inc;		/* borrowed, may be NULL */
	json_t			*brief;		/* borrowed, may be NULL */
	struct doc		*d;
};

/* Small helpers. */

static const char *
classification_label(const char *s)
{
	if (s == NULL)
		return NULL;
	if (strcmp(s, "true_positive") == 0)
		return "True positive";
	if (strcmp(s, "benign_positive") == 0)
		return "Benign positive";
	if (strcmp(s, "false_positive") == 0)
		return "False positive";
	if (strcmp(s, "undetermined") == 0)
		return "Undetermined";
	return s;
}

const char *
fmt_time(const char *iso, char *out, size_t outsz)
{
	int64_t t;
	size_t n;

	if (iso == NULL || outsz < 40 || iso_parse(iso, &t) == -1)
		return NULL;
	iso_format(t, out, outsz, 0);
	out[10] = ' ';
	n = strlen(out);
	if (n > 0 && out[n - 1] == 'Z')
		out[n - 1] = '\0';
	return out;
}

/* 51234 -> "51,234". */
static const char *
fmt_count(long long v, char *out, size_t outsz)
{
	char digits[32];
	size_t n, i, o = 0;
	int neg = v < 0;

	snprintf(digits, sizeof(digits), "%llu",
	    neg ? 0ULL - (unsigned long long)v : (unsigned long long)v);
	n = strlen(digits);
	if (neg && o + 1 < outsz)
		out[o++] = '-';
	for (i = 0; i < n && o + 2 < outsz; i++) {
		if (i > 0 && (n - i) % 3 == 0)
			out[o++] = ',';
		out[o++] = digits[i];
	}
	out[o] = '\0';
	return out;
}

/* An indicator or literal value, defanged unless asked not to. */
static void
add_value(struct ctx *c, struct inl *in, const char *s)
{
	char *d;

	if (s == NULL || *s == '\0')
		return;
	if (!c->o->defang) {
		inl_add(in, SPAN_CODE, s);
		return;
	}
	d = defang(s);
	if (d == NULL)
		cli_die(EXIT_FAIL, "out of memory");
	inl_add(in, SPAN_CODE, d);
	free(d);
}

/* Free text (a summary, a note, a command line): indicators inside it are
 * defanged unless asked not to. */
static char *
prose(struct ctx *c, const char *s)
{
	char *d;

	d = c->o->defang ? defang_text(s) : strdup(s);
	if (d == NULL)
		cli_die(EXIT_FAIL, "out of memory");
	return d;
}

static void
add_prose(struct ctx *c, struct inl *in, enum span_kind kind, const char *s)
{
	char *d;

	if (s == NULL || *s == '\0')
		return;
	d = prose(c, s);
	inl_add(in, kind, d);
	free(d);
}

/*
 * A literal value that is not itself an indicator (a path, an image name, a
 * SID, an id): a code span, with any indicator inside it defanged; file
 * names such as "cmd.exe" are left alone.
 */
static void
add_code(struct ctx *c, struct inl *in, const char *s)
{
	char *d;

	if (s == NULL || *s == '\0')
		return;
	d = prose(c, s);
	inl_add(in, SPAN_CODE, d);
	free(d);
}

static void
add_sev(struct inl *in, const char *sev)
{
	const char *canon = incident_severity_name(sev);

	if (canon != NULL)
		inl_add(in, SPAN_SEV, canon);
	else
		inl_add(in, SPAN_TEXT, sev);
}

/* Appends the strings of a JSON array, or a lone string, joined. */
static void
add_joined(struct ctx *c, struct inl *in, json_t *v, const char *sep,
    int as_values)
{
	size_t i, n = 0;
	json_t *x;

	if (json_is_string(v)) {
		add_prose(c, in, SPAN_TEXT, json_string_value(v));
		return;
	}
	json_array_foreach(v, i, x) {
		const char *s = json_is_string(x) ? json_string_value(x) :
		    jx_str(x, "name");

		if (s == NULL || *s == '\0')
			continue;
		if (n++ > 0)
			inl_add(in, SPAN_TEXT, sep);
		if (as_values)
			add_value(c, in, s);
		else
			add_prose(c, in, SPAN_TEXT, s);
	}
}

static const char *
owner_name(json_t *owner)
{
	const char *s;

	if (json_is_string(owner))
		return json_string_value(owner);
	if ((s = jx_nstr(owner, "name")) != NULL ||
	    (s = jx_nstr(owner, "upn")) != NULL ||
	    (s = jx_nstr(owner, "email")) != NULL ||
	    (s = jx_nstr(owner, "assignedTo")) != NULL ||
	    (s = jx_nstr(owner, "object_id")) != NULL)
		return s;
	return NULL;
}

static void
add_owner(struct inl *in, json_t *owner)
{
	const char *s = owner_name(owner);

	if (s != NULL)
		inl_add(in, SPAN_TEXT, s);
	else
		inl_add(in, SPAN_EM, "unassigned");
}

/* Incident identity, from the incident or else from the brief. */
static long long
incident_number(struct ctx *c)
{
	long long n = jx_int(c->inc, "number", -1);

	if (n < 0)
		n = jx_int(json_object_get(c->brief, "incident"), "number", -1);
	return n;
}

static const char *
incident_field(struct ctx *c, const char *key)
{
	const char *s = jx_nstr(c->inc, key);

	if (s == NULL)
		s = jx_nstr(json_object_get(c->brief, "incident"), key);
	return s;
}

/* The severity the brief concluded, or else the incident's. */
static const char *
verdict_severity(struct ctx *c)
{
	const char *s = jx_nstr(json_object_get(c->brief, "verdict"),
	    "severity");

	return s != NULL ? s : jx_nstr(c->inc, "severity");
}

static const char *
verdict_classification(struct ctx *c)
{
	const char *s = jx_nstr(json_object_get(c->brief, "verdict"),
	    "classification");

	return s != NULL ? s : jx_nstr(c->brief, "classification");
}

/* "True positive (medium confidence)" or "Not assessed". */
static void
add_classification(struct ctx *c, struct inl *in, int strong)
{
	const char *cls = classification_label(verdict_classification(c));
	const char *conf = jx_nstr(c->brief, "classification_confidence");

	if (c->brief == NULL || cls == NULL) {
		inl_add(in, strong ? SPAN_STRONG : SPAN_TEXT, "Not assessed");
		return;
	}
	inl_add(in, strong ? SPAN_STRONG : SPAN_TEXT, cls);
	if (conf != NULL)
		inl_addf(in, SPAN_TEXT, " (%s confidence)", conf);
}

/* "High", or "High (Sentinel: Medium)" when the brief changed it. */
static void
add_verdict_severity(struct ctx *c, struct inl *in)
{
	const char *v = verdict_severity(c);
	const char *inc = jx_nstr(c->inc, "severity");

	if (v == NULL) {
		inl_add(in, SPAN_EM, "unknown");
		return;
	}
	add_sev(in, v);
	if (c->brief == NULL || jx_nstr(json_object_get(c->brief, "verdict"),
	    "severity") == NULL)
		inl_add(in, SPAN_TEXT, " (Sentinel)");
	else if (inc != NULL && strcasecmp(inc, v) != 0) {
		inl_add(in, SPAN_TEXT, " (Sentinel: ");
		inl_add(in, SPAN_TEXT, inc);
		inl_add(in, SPAN_TEXT, ")");
	}
}

/* Portal links become links only on the hosts Microsoft serves them from. */
static const char *
portal_label(const char *url)
{
#define DEFENDER	"Open in Microsoft Defender"
	static const struct {
		const char *prefix, *label;
	} hosts[] = {
		{ "https://portal.azure.com/", "Open in the Azure portal" },
		{ "https://portal.azure.us/", "Open in the Azure portal" },
		{ "https://portal.azure.cn/", "Open in the Azure portal" },
		{ "https://security.microsoft.com/", DEFENDER },
		{ "https://security.microsoft.us/", DEFENDER },
		{ "https://security.apps.mil/", DEFENDER },
	};
	size_t i;

	if (url == NULL || !esc_url_ok(url))
		return NULL;
	for (i = 0; i < sizeof(hosts) / sizeof(hosts[0]); i++)
		if (strncasecmp(url, hosts[i].prefix,
		    strlen(hosts[i].prefix)) == 0)
			return hosts[i].label;
	return NULL;
}

/* Title, stem and the card's facts. */

static void
build_head(struct ctx *c)
{
	struct doc *d = c->d;
	const char *title = incident_field(c, "title");
	const char *id = incident_field(c, "id");
	const char *url = jx_nstr(c->inc, "url");
	const char *sev = incident_severity_name(verdict_severity(c));
	long long num = incident_number(c);
	struct buf b;
	char tmp[64];
	size_t i;

	buf_init(&b);
	if (num >= 0)
		buf_printf(&b, "Incident %lld", num);
	else if (id != NULL)
		buf_printf(&b, "Incident %s", id);
	else
		buf_adds(&b, "Triage brief");
	if (title != NULL)
		buf_printf(&b, ": %s", title);
	inl_add(&d->title, SPAN_TEXT, buf_str(&b));
	buf_release(&b);
	/* Cleaned and defanged like the title itself. */
	d->plain_title = esc_clean_str(d->title.n > 0 ? d->title.v[0].text :
	    "", 0);
	if (d->plain_title == NULL)
		cli_die(EXIT_FAIL, "out of memory");

	/* A file name part from the number, else the id made safe. */
	if (num >= 0)
		snprintf(tmp, sizeof(tmp), "incident-%lld", num);
	else if (id != NULL) {
		snprintf(tmp, sizeof(tmp), "incident-");
		for (i = 0; id[i] != '\0' && i < 48; i++)
			tmp[9 + i] = isalnum((unsigned char)id[i]) ||
			    id[i] == '-' || id[i] == '_' ? id[i] : '_';
		tmp[9 + i] = '\0';
	} else
		snprintf(tmp, sizeof(tmp), "incident-unknown");
	d->stem = xstrdup(tmp);
	d->severity = sev != NULL ? xstrdup(sev) : NULL;
	if (portal_label(url) != NULL)
		d->link = xstrdup(url);

	add_verdict_severity(c, doc_fact(d, "Severity"));
	add_classification(c, doc_fact(d, "Verdict"), 0);
	if (c->inc != NULL) {
		inl_add(doc_fact(d, "Status"), SPAN_TEXT,
		    jx_nstr(c->inc, "status"));
		add_owner(doc_fact(d, "Owner"), json_object_get(c->inc,
		    "owner"));
		if (fmt_time(jx_str(c->inc, "first_activity"), tmp,
		    sizeof(tmp)) != NULL)
			inl_addf(doc_fact(d, "First activity"), SPAN_TEXT,
			    "%s UTC", tmp);
	}
}

/* Entities: their labels, values, indicators and flags. */

static const char *
kind_label(const char *kind)
{
	static const struct {
		const char *kind, *label;
	} k[] = {
		{ "host", "Host" }, { "account", "Account" }, { "ip", "IP" },
		{ "file", "File" }, { "filehash", "File hash" },
		{ "process", "Process" }, { "url", "URL" },
		{ "domain", "Domain" }, { "mailbox", "Mailbox" },
		{ "mailmessage", "Mail message" },
		{ "cloud_application", "Cloud app" },
		{ "registry_key", "Registry key" },
		{ "registry_value", "Registry value" }, { "other", "Other" },
		{ "hash", "File hash" },
	};
	size_t i;

	if (kind == NULL)
		return "Entity";
	for (i = 0; i < sizeof(k) / sizeof(k[0]); i++)
		if (strcasecmp(kind, k[i].kind) == 0)
			return k[i].label;
	return kind;
}

/* How an entity kind's value is shown: as an indicator, or as text. */
static void
add_entity_value(struct ctx *c, struct inl *in, const char *kind,
    const char *value)
{
	static const char *const iocs[] = {
		"host", "ip", "url", "domain", "mailbox", "filehash", "hash",
		NULL
	};
	size_t i;

	for (i = 0; kind != NULL && iocs[i] != NULL; i++)
		if (strcmp(kind, iocs[i]) == 0) {
			add_value(c, in, value);
			return;
		}
	add_code(c, in, value);
}

/* The value that names an entity ("CORP\akshita", the address, ...). */
static const char *
entity_value(json_t *e, char *tmp, size_t tmpsz)
{
	const char *kind = jx_str(e, "kind"), *s, *dom;

	if (kind == NULL)
		return NULL;
	if (strcmp(kind, "host") == 0) {
		if ((s = jx_nstr(e, "hostname")) == NULL &&
		    (s = jx_nstr(e, "fqdn")) == NULL)
			s = jx_nstr(e, "netbios_name");
		return s;
	}
	if (strcmp(kind, "account") == 0) {
		s = jx_nstr(e, "name");
		dom = jx_nstr(e, "nt_domain");
		if (s != NULL && dom != NULL) {
			snprintf(tmp, tmpsz, "%s\\%s", dom, s);
			return tmp;
		}
		if (s == NULL && (s = jx_nstr(e, "upn")) == NULL)
			s = jx_nstr(e, "display_name");
		return s;
	}
	if (strcmp(kind, "ip") == 0)
		return jx_nstr(e, "address");
	if (strcmp(kind, "file") == 0) {
		if ((s = jx_nstr(e, "name")) == NULL)
			s = jx_nstr(e, "path");
		return s;
	}
	if (strcmp(kind, "filehash") == 0)
		return jx_nstr(e, "value");
	if (strcmp(kind, "process") == 0) {
		if ((s = jx_nstr(e, "command_line")) == NULL)
			s = jx_path_str(e, "image.name");
		return s;
	}
	if (strcmp(kind, "url") == 0)
		return jx_nstr(e, "url");
	if (strcmp(kind, "domain") == 0)
		return jx_nstr(e, "domain");
	if (strcmp(kind, "mailbox") == 0)
		return jx_nstr(e, "address");
	if (strcmp(kind, "mailmessage") == 0)
		return jx_nstr(e, "subject");
	if (strcmp(kind, "cloud_application") == 0) {
		if ((s = jx_nstr(e, "name")) == NULL)
			s = jx_nstr(e, "app_id");
		return s;
	}
	if (strcmp(kind, "registry_key") == 0) {
		s = jx_nstr(e, "key");
		dom = jx_nstr(e, "hive");
		if (s != NULL && dom != NULL) {
			snprintf(tmp, tmpsz, "%s\\%s", dom, s);
			return tmp;
		}
		return s;
	}
	if (strcmp(kind, "registry_value") == 0)
		return jx_nstr(e, "name");
	return jx_nstr(e, "original_type");
}

/* The indicator values an entity carries (borrowed), at most max. */
static size_t
entity_indicators(json_t *e, const char **out, size_t max)
{
	static const char *const keys[] = {
		"address", "md5", "sha1", "sha256", "value", "url", "domain",
		"image.md5", "image.sha1", "image.sha256", NULL
	};
	const char *kind = jx_str(e, "kind"), *s;
	size_t n = 0, i;

	if (kind == NULL || strcmp(kind, "host") == 0 ||
	    strcmp(kind, "account") == 0 || strcmp(kind, "mailbox") == 0)
		return 0;
	for (i = 0; keys[i] != NULL && n < max; i++)
		if ((s = jx_path_str(e, keys[i])) != NULL && *s != '\0' &&
		    ioc_classify(s) != IOC_NONE)
			out[n++] = s;
	return n;
}

/* Whether two indicator spellings are the same indicator. */
static int
same_indicator(const char *a, const char *b)
{
	char na[512], nb[512];

	if (a == NULL || b == NULL)
		return 0;
	if (ioc_normalise(a, na, sizeof(na)) != IOC_NONE &&
	    ioc_normalise(b, nb, sizeof(nb)) != IOC_NONE)
		return strcmp(na, nb) == 0;
	return strcasecmp(a, b) == 0;
}

static int
verdict_rank(const char *v)
{
	static const char *const order[] = {
		"malicious", "suspicious", "unknown", "not_found", "clean",
		"error", "not_configured", "skipped", NULL
	};
	int i;

	for (i = 0; v != NULL && order[i] != NULL; i++)
		if (strcmp(v, order[i]) == 0)
			return i;
	return i;
}

static void
add_verdict_word(struct inl *in, const char *verdict)
{
	int r = verdict_rank(verdict);
	char tmp[64];
	size_t i;

	if (verdict == NULL) {
		inl_add(in, SPAN_EM, "no verdict");
		return;
	}
	snprintf(tmp, sizeof(tmp), "%s", verdict);
	for (i = 0; tmp[i] != '\0'; i++)
		if (tmp[i] == '_')
			tmp[i] = ' ';
	inl_add(in, r <= 1 ? SPAN_STRONG : SPAN_TEXT, tmp);
}

/* "malicious (virustotal); clean (abuseipdb)" for an entity's values. */
static void
entity_enrichment(struct ctx *c, struct inl *in, const char **vals,
    size_t nvals)
{
	size_t i, j, n = 0;
	json_t *e;

	json_array_foreach(c->b->enrichments, i, e) {
		const char *v = jx_str(json_object_get(e, "indicator"),
		    "value");

		for (j = 0; j < nvals; j++)
			if (same_indicator(v, vals[j]))
				break;
		if (j == nvals)
			continue;
		if (n++ > 0)
			inl_add(in, SPAN_TEXT, "; ");
		add_verdict_word(in, jx_str(e, "verdict"));
		if (jx_nstr(e, "provider") != NULL) {
			inl_add(in, SPAN_TEXT, " (");
			inl_add(in, SPAN_TEXT, jx_str(e, "provider"));
			inl_add(in, SPAN_TEXT, ")");
		}
	}
}

static const char *
flag_label(const char *flag, int *warn)
{
	static const struct {
		const char *flag, *label;
		int warn;
	} f[] = {
		{ "rid500", "RID-500: the built-in Administrator", 1 },
		{ "domain_admins", "Domain Admins (RID 512)", 1 },
		{ "enterprise_admins", "Enterprise Admins (RID 519)", 1 },
		{ "builtin_administrators", "BUILTIN\\Administrators", 1 },
		{ "local_system", "SYSTEM (S-1-5-18)", 0 },
		{ "local_service", "LOCAL SERVICE", 0 },
		{ "network_service", "NETWORK SERVICE", 0 },
		{ "public_ip", "public address", 0 },
		{ "private_ip", "private address", 0 },
		{ "encoded_command", "-EncodedCommand", 1 },
		{ "execution_policy_bypass", "-ExecutionPolicy Bypass", 1 },
		{ "download_cradle", "download cradle", 1 },
	};
	size_t i;

	for (i = 0; i < sizeof(f) / sizeof(f[0]); i++)
		if (strcmp(flag, f[i].flag) == 0) {
			*warn = f[i].warn;
			return f[i].label;
		}
	*warn = 0;
	return flag;
}

/* Adds an entity's flags; returns how many. */
static size_t
add_flags(struct inl *in, json_t *e, size_t n)
{
	json_t *flags = json_object_get(e, "flags"), *f;
	const char *label;
	size_t i;
	int warn;

	json_array_foreach(flags, i, f) {
		if (!json_is_string(f))
			continue;
		label = flag_label(json_string_value(f), &warn);
		if (n++ > 0)
			inl_add(in, SPAN_TEXT, "; ");
		if (warn) {
			inl_add(in, SPAN_TEXT, WARN);
			inl_add(in, SPAN_STRONG, label);
		} else
			inl_add(in, SPAN_TEXT, label);
	}
	return n;
}

/* "label value" notes, separated by "; "; as_value: 0 prose, 1 a literal
 * value, 2 an indicator. */
static void
note(struct ctx *c, struct inl *in, size_t *n, const char *label,
    const char *value, int as_value)
{
	if (value == NULL || *value == '\0')
		return;
	if ((*n)++ > 0)
		inl_add(in, SPAN_TEXT, "; ");
	if (label != NULL) {
		inl_add(in, SPAN_TEXT, label);
		inl_add(in, SPAN_TEXT, " ");
	}
	if (as_value == 2)
		add_value(c, in, value);
	else if (as_value == 1)
		add_code(c, in, value);
	else
		add_prose(c, in, SPAN_TEXT, value);
}

static json_t *
entity_by_id(struct ctx *c, const char *id)
{
	json_t *e;
	size_t i;

	if (id == NULL)
		return NULL;
	json_array_foreach(json_object_get(c->inc, "entities"), i, e)
		if (jx_str(e, "id") != NULL && strcmp(jx_str(e, "id"), id) == 0)
			return e;
	return NULL;
}

static void
entity_notes(struct ctx *c, struct inl *in, json_t *e, size_t *n)
{
	const char *kind = jx_str(e, "kind");
	json_t *loc, *parent;
	char tmp[128];

	*n = add_flags(in, e, *n);
	if (kind == NULL)
		return;
	if (strcmp(kind, "account") == 0) {
		note(c, in, n, "SID", jx_nstr(e, "sid"), 1);
		if (jx_nstr(e, "name") != NULL)
			note(c, in, n, "UPN", jx_nstr(e, "upn"), 1);
		note(c, in, n, "display name", jx_nstr(e, "display_name"), 0);
	} else if (strcmp(kind, "host") == 0) {
		const char *os = jx_nstr(e, "os_family");
		const char *ver = jx_nstr(e, "os_version");

		if (os != NULL && ver != NULL) {
			snprintf(tmp, sizeof(tmp), "%s %s", os, ver);
			note(c, in, n, "OS", tmp, 0);
		} else
			note(c, in, n, "OS", os != NULL ? os : ver, 0);
		note(c, in, n, "domain", jx_nstr(e, "dns_domain"), 2);
	} else if (strcmp(kind, "ip") == 0) {
		loc = json_object_get(e, "location");
		note(c, in, n, NULL, jx_nstr(e, "range"), 0);
		note(c, in, n, "country", jx_nstr(loc, "country"), 0);
		note(c, in, n, "city", jx_nstr(loc, "city"), 0);
		note(c, in, n, "org", jx_nstr(loc, "org"), 0);
	} else if (strcmp(kind, "file") == 0) {
		if (jx_nstr(e, "name") != NULL) {
			if (jx_nstr(e, "path") != NULL)
				note(c, in, n, "path", jx_str(e, "path"), 1);
			else
				note(c, in, n, "directory",
				    jx_nstr(e, "directory"), 1);
		}
		note(c, in, n, "SHA-256", jx_nstr(e, "sha256"), 1);
		if (jx_nstr(e, "sha256") == NULL) {
			note(c, in, n, "SHA-1", jx_nstr(e, "sha1"), 1);
			note(c, in, n, "MD5", jx_nstr(e, "md5"), 1);
		}
	} else if (strcmp(kind, "filehash") == 0) {
		note(c, in, n, NULL, jx_nstr(e, "algorithm"), 0);
	} else if (strcmp(kind, "process") == 0) {
		long long pid = jx_int(e, "process_id", -1);
		json_t *host = entity_by_id(c, jx_str(e, "host_id"));

		if (pid >= 0) {
			snprintf(tmp, sizeof(tmp), "%lld", pid);
			note(c, in, n, "pid", tmp, 0);
		}
		if (jx_nstr(e, "command_line") != NULL)
			note(c, in, n, "image", jx_path_str(e, "image.name"),
			    1);
		parent = json_object_get(e, "parent");
		note(c, in, n, "parent", jx_path_str(parent, "image.name"), 1);
		note(c, in, n, "on", jx_nstr(host, "hostname"), 2);
	} else if (strcmp(kind, "mailbox") == 0) {
		note(c, in, n, NULL, jx_nstr(e, "display_name"), 0);
	} else if (strcmp(kind, "mailmessage") == 0) {
		note(c, in, n, "from", jx_nstr(e, "sender"), 2);
		note(c, in, n, "to", jx_nstr(e, "recipient"), 2);
	} else if (strcmp(kind, "registry_value") == 0) {
		note(c, in, n, "data", jx_nstr(e, "value"), 1);
		note(c, in, n, "key", jx_nstr(e, "key"), 1);
	} else if (strcmp(kind, "other") == 0) {
		note(c, in, n, "type", jx_nstr(e, "original_type"), 0);
	}
}

/* Whether s equals t, ignoring case and surrounding blanks and quotes. */
static int
same_text(const char *s, const char *t)
{
	size_t ns, nt;

	if (s == NULL || t == NULL)
		return 0;
	while (*s == ' ' || *s == '"')
		s++;
	while (*t == ' ' || *t == '"')
		t++;
	ns = strlen(s);
	nt = strlen(t);
	while (ns > 0 && (s[ns - 1] == ' ' || s[ns - 1] == '"'))
		ns--;
	while (nt > 0 && (t[nt - 1] == ' ' || t[nt - 1] == '"'))
		nt--;
	return ns > 0 && ns == nt && strncasecmp(s, t, ns) == 0;
}

/*
 * Whether the brief's value names this entity by another of its names: a
 * file by its path, a process by its image or "image (pid N)", a host by
 * its FQDN, an account by its UPN or SID.
 */
static int
names_entity(const json_t *e, const char *bv)
{
	static const char *const keys[] = { "hostname", "fqdn",
	    "netbios_name", "name", "upn", "sid", "path", "address", "url",
	    "domain", "command_line", NULL };
	const json_t *img;
	const char *pid;
	char path[1024];
	long long n;
	size_t i;

	for (i = 0; keys[i] != NULL; i++)
		if (same_text(jx_str(e, keys[i]), bv))
			return 1;
	if (jx_nstr(e, "directory") != NULL && jx_nstr(e, "name") != NULL) {
		snprintf(path, sizeof(path), "%s\\%s", jx_str(e, "directory"),
		    jx_str(e, "name"));
		if (same_text(path, bv))
			return 1;
	}
	img = json_object_get(e, "image");
	if (same_text(jx_str(img, "path"), bv))
		return 1;
	pid = strstr(bv, "(pid ");
	n = jx_int(e, "process_id", -1);
	if (pid != NULL && n >= 0 && strtoll(pid + 5, NULL, 10) == n)
		return 1;
	return 0;
}

/* The brief's entity that speaks of this entity, if any. */
static json_t *
brief_entity(struct ctx *c, const json_t *e, const char *value,
    const char **vals, size_t nvals, char *used)
{
	const char *bv;
	json_t *be;
	size_t i, j;

	json_array_foreach(json_object_get(c->brief, "entities"), i, be) {
		if (used[i] || (bv = jx_str(be, "value")) == NULL)
			continue;
		if (value != NULL && (strcasecmp(bv, value) == 0 ||
		    same_indicator(bv, value)))
			goto found;
		if (names_entity(e, bv))
			goto found;
		for (j = 0; j < nvals; j++)
			if (same_indicator(bv, vals[j]))
				goto found;
		/* "akshita" names the account "CORP\akshita". */
		if (value != NULL && strchr(value, '\\') != NULL &&
		    strcasecmp(strrchr(value, '\\') + 1, bv) == 0)
			goto found;
		continue;
found:
		used[i] = 1;
		return be;
	}
	return NULL;
}

static const struct column entity_cols[] = {
	{ "Type", 20 }, { "Value", 160 }, { "Enrichment", 200 },
	{ "Notes", 400 }
};

static void
build_entities(struct ctx *c)
{
	struct section *s = doc_section(c->d, "Entities", 2, 5, 0);
	json_t *ents = json_object_get(c->inc, "entities");
	json_t *bents = json_object_get(c->brief, "entities");
	const char *vals[12], *value;
	struct block *t = NULL;
	struct inl **row;
	char *used, tmp[1024];
	size_t i, n, nv;
	json_t *e, *be;

	used = xcalloc(json_array_size(bents) + 1, 1);
	json_array_foreach(ents, i, e) {
		if (!json_is_object(e))
			continue;
		if (t == NULL)
			t = sec_table(s, entity_cols, 4);
		row = table_row(t);
		value = entity_value(e, tmp, sizeof(tmp));
		nv = entity_indicators(e, vals, 12);
		inl_add(row[0], SPAN_TEXT, kind_label(jx_str(e, "kind")));
		add_entity_value(c, row[1], jx_str(e, "kind"), value);
		entity_enrichment(c, row[2], vals, nv);
		n = 0;
		entity_notes(c, row[3], e, &n);
		be = brief_entity(c, e, value, vals, nv, used);
		if (be != NULL && jx_nstr(be, "notes") != NULL) {
			if (n++ > 0)
				inl_add(row[3], SPAN_TEXT, "; ");
			add_prose(c, row[3], SPAN_TEXT, jx_str(be, "notes"));
		}
	}
	/* What the brief names that the incident did not. */
	json_array_foreach(bents, i, be) {
		if (used[i] || !json_is_object(be) ||
		    jx_nstr(be, "value") == NULL)
			continue;
		if (t == NULL)
			t = sec_table(s, entity_cols, 4);
		row = table_row(t);
		value = jx_str(be, "value");
		inl_add(row[0], SPAN_TEXT, kind_label(jx_str(be, "kind")));
		add_entity_value(c, row[1], jx_str(be, "kind"), value);
		vals[0] = value;
		entity_enrichment(c, row[2], vals, 1);
		add_prose(c, row[3], SPAN_TEXT, jx_str(be, "notes"));
	}
	free(used);
	if (t == NULL)
		inl_add(sec_para(s), SPAN_EM, "No entities in the records.");
}

/* Summary and metadata. */

/* "account CORP\akshita (RID-500) on host akshita-vm". */
static int
add_who(struct ctx *c, struct inl *in)
{
	static const char *const kinds[] = { "account", "host", "mailbox",
	    NULL };
	const char *value;
	char tmp[1024];
	size_t i, j, n = 0;
	json_t *e, *f;
	int k, warn;

	for (k = 0; kinds[k] != NULL; k++) {
		json_array_foreach(json_object_get(c->inc, "entities"), i, e) {
			const char *kind = jx_str(e, "kind");

			if (kind == NULL || strcmp(kind, kinds[k]) != 0 ||
			    (value = entity_value(e, tmp, sizeof(tmp))) ==
			    NULL)
				continue;
			inl_add(in, SPAN_TEXT, n++ == 0 ? "" : ", ");
			inl_addf(in, SPAN_TEXT, "%s ", kinds[k]);
			add_entity_value(c, in, kinds[k], value);
			json_array_foreach(json_object_get(e, "flags"), j, f) {
				const char *l = json_is_string(f) ?
				    flag_label(json_string_value(f), &warn) :
				    NULL;

				if (l != NULL && warn) {
					inl_add(in, SPAN_TEXT, " (" WARN);
					inl_add(in, SPAN_STRONG, l);
					inl_add(in, SPAN_TEXT, ")");
				}
			}
		}
	}
	if (n == 0) {
		json_array_foreach(json_object_get(c->brief, "entities"), i,
		    e) {
			const char *kind = jx_str(e, "kind");

			if (kind == NULL || (strcmp(kind, "account") != 0 &&
			    strcmp(kind, "host") != 0) ||
			    jx_nstr(e, "value") == NULL)
				continue;
			inl_add(in, SPAN_TEXT, n++ == 0 ? "" : ", ");
			inl_addf(in, SPAN_TEXT, "%s ", kind);
			add_entity_value(c, in, kind, jx_str(e, "value"));
		}
	}
	return n > 0;
}

static json_t *
first_action(struct ctx *c)
{
	json_t *acts = json_object_get(c->brief, "actions"), *a, *best = NULL;
	long long p, bp = 0;
	size_t i;

	json_array_foreach(acts, i, a) {
		p = jx_int(a, "priority", 1000000 + (long long)i);
		if (best == NULL || p < bp) {
			best = a;
			bp = p;
		}
	}
	return best;
}

static void
build_summary(struct ctx *c)
{
	struct section *s = doc_section(c->d, "Summary", 2, 0, 0);
	const char *what;
	struct inl *p;
	json_t *a;

	p = sec_para(s);
	/* Cards show this line as their facts. */
	s->blocks[s->n - 1]->flags = BLOCK_DOC_ONLY;
	inl_add(p, SPAN_STRONG, "Verdict:");
	inl_add(p, SPAN_TEXT, " ");
	add_classification(c, p, 1);
	if (c->brief == NULL)
		inl_add(p, SPAN_TEXT, " (no brief in the stream)");
	inl_add(p, SPAN_TEXT, DOT);
	inl_add(p, SPAN_STRONG, "Severity:");
	inl_add(p, SPAN_TEXT, " ");
	add_verdict_severity(c, p);
	if (c->inc != NULL) {
		if (jx_nstr(c->inc, "status") != NULL) {
			inl_add(p, SPAN_TEXT, DOT);
			inl_add(p, SPAN_STRONG, "Status:");
			inl_add(p, SPAN_TEXT, " ");
			inl_add(p, SPAN_TEXT, jx_str(c->inc, "status"));
		}
		inl_add(p, SPAN_TEXT, DOT);
		inl_add(p, SPAN_STRONG, "Owner:");
		inl_add(p, SPAN_TEXT, " ");
		add_owner(p, json_object_get(c->inc, "owner"));
	}

	p = sec_para(s);
	inl_add(p, SPAN_STRONG, "What happened:");
	inl_add(p, SPAN_TEXT, " ");
	if ((what = jx_nstr(c->brief, "summary")) != NULL)
		add_prose(c, p, SPAN_TEXT, what);
	else if ((what = jx_nstr(c->inc, "description")) != NULL ||
	    (what = jx_path_str(c->inc, "alerts[0].description")) != NULL) {
		add_prose(c, p, SPAN_TEXT, what);
		inl_add(p, SPAN_EM, " (the incident's description; "
		    "not assessed)");
	} else if ((what = incident_field(c, "title")) != NULL) {
		add_prose(c, p, SPAN_TEXT, what);
		inl_add(p, SPAN_EM, " (the incident's title; not assessed)");
	} else
		inl_add(p, SPAN_EM, "unknown: no incident or brief in the "
		    "stream");

	p = sec_para(s);
	inl_add(p, SPAN_STRONG, "Who:");
	inl_add(p, SPAN_TEXT, " ");
	if (!add_who(c, p))
		inl_add(p, SPAN_EM, "no account or host in the records");

	if ((a = first_action(c)) != NULL) {
		const char *act = json_is_string(a) ? json_string_value(a) :
		    jx_str(a, "action");

		if (act != NULL) {
			p = sec_para(s);
			inl_add(p, SPAN_STRONG, "First step:");
			inl_add(p, SPAN_TEXT, " ");
			add_prose(c, p, SPAN_TEXT, act);
		}
	}
}

static const struct column meta_cols[] = {
	{ "Field", 40 }, { "Value", 300 }
};

static struct inl *
meta_row(struct block *t, const char *field)
{
	struct inl **row = table_row(t);

	inl_add(row[0], SPAN_TEXT, field);
	return row[1];
}

static void
meta_time(struct block *t, const char *field, const char *iso)
{
	struct inl *v = meta_row(t, field);
	char tmp[64];

	if (fmt_time(iso, tmp, sizeof(tmp)) != NULL)
		inl_addf(v, SPAN_TEXT, "%s UTC", tmp);
	else
		inl_add(v, SPAN_TEXT, iso);
}

static void
build_metadata(struct ctx *c)
{
	struct section *s = doc_section(c->d, "Incident metadata", 2, 1,
	    SEC_DOC_ONLY);
	json_t *inc = c->inc, *alerts, *a;
	const char *url, *label;
	long long num = incident_number(c);
	struct block *t;
	struct inl *v;
	size_t i;

	if (inc == NULL && c->brief == NULL) {
		inl_add(sec_para(s), SPAN_EM, "No incident record in the "
		    "stream.");
		return;
	}
	if (inc == NULL)
		inl_add(sec_para(s), SPAN_EM, "No incident record in the "
		    "stream; what follows comes from the brief.");
	t = sec_table(s, meta_cols, 2);
	v = meta_row(t, "Number");
	if (num >= 0)
		inl_addf(v, SPAN_TEXT, "%lld", num);
	add_code(c, meta_row(t, "ID"), incident_field(c, "id"));
	add_prose(c, meta_row(t, "Title"), SPAN_TEXT,
	    incident_field(c, "title"));
	add_sev(meta_row(t, "Severity"), jx_nstr(inc, "severity"));
	inl_add(meta_row(t, "Status"), SPAN_TEXT, jx_nstr(inc, "status"));
	v = meta_row(t, "Owner");
	if (inc != NULL)
		add_owner(v, json_object_get(inc, "owner"));
	meta_time(t, "Created", jx_nstr(inc, "created"));
	meta_time(t, "First activity", jx_nstr(inc, "first_activity"));
	meta_time(t, "Last activity", jx_nstr(inc, "last_activity"));
	inl_add(meta_row(t, "Provider"), SPAN_TEXT, jx_nstr(inc, "provider"));
	add_code(c, meta_row(t, "Workspace"), jx_nstr(inc, "workspace"));
	add_joined(c, meta_row(t, "Tactics"), json_object_get(inc, "tactics"),
	    ", ", 0);
	add_joined(c, meta_row(t, "Techniques"),
	    json_object_get(inc, "techniques"), ", ", 0);
	alerts = json_object_get(inc, "alerts");
	v = meta_row(t, "Alerts");
	json_array_foreach(alerts, i, a) {
		if (i > 0)
			inl_add(v, SPAN_TEXT, "; ");
		add_prose(c, v, SPAN_TEXT, jx_nstr(a, "name") != NULL ?
		    jx_str(a, "name") : "(unnamed)");
		if (incident_severity_name(jx_str(a, "severity")) != NULL) {
			inl_add(v, SPAN_TEXT, " (");
			add_sev(v, jx_str(a, "severity"));
			inl_add(v, SPAN_TEXT, ")");
		}
	}
	url = jx_nstr(inc, "url");
	v = meta_row(t, "Link");
	if ((label = portal_label(url)) != NULL)
		inl_link(v, label, url);
	else
		add_value(c, v, url);
}

/* ATT&CK. */

struct trow {
	const char	*id;
	const char	*name;
	const char	*tactic;
	const char	*evidence;
	const char	*alert;		/* the alert that tagged it */
	int		 sentinel;
	int		 observed;
	json_t		*rec;		/* the technique record, or NULL */
};

static int
valid_technique(const char *id)
{
	size_t n;

	if (id == NULL || id[0] != 'T')
		return 0;
	n = strspn(id + 1, "0123456789");
	if (n != 4)
		return 0;
	if (id[5] == '\0')
		return 1;
	return id[5] == '.' && strspn(id + 6, "0123456789") == 3 &&
	    id[9] == '\0';
}

static struct trow *
trow_get(struct trow **rows, size_t *n, size_t *cap, const char *id)
{
	size_t i;

	for (i = 0; i < *n; i++)
		if (strcasecmp((*rows)[i].id, id) == 0)
			return &(*rows)[i];
	if (*n == *cap) {
		*cap = *cap == 0 ? 8 : *cap * 2;
		*rows = xrealloc(*rows, *cap * sizeof(**rows));
	}
	memset(&(*rows)[*n], 0, sizeof(**rows));
	(*rows)[*n].id = id;
	return &(*rows)[(*n)++];
}

static const struct column attack_cols[] = {
	{ "Technique", 24 }, { "Name", 120 }, { "Tactic", 80 },
	{ "Evidence", 400 }, { "Source", 40 }
};

static void
build_attack(struct ctx *c)
{
	struct section *s = doc_section(c->d, "ATT&CK mapping", 2, 6, 0);
	struct trow *rows = NULL, *r;
	size_t n = 0, cap = 0, i, j;
	json_t *x, *a, *rec;
	struct block *t;
	struct inl **row;
	char url[128];

	json_array_foreach(json_object_get(c->brief, "attack"), i, x) {
		const char *id = jx_nstr(x, "technique_id");

		if (id == NULL)
			id = jx_nstr(x, "id");
		if (id == NULL)
			continue;
		r = trow_get(&rows, &n, &cap, id);
		if (r->name == NULL)
			r->name = jx_nstr(x, "name");
		if (r->tactic == NULL)
			r->tactic = jx_nstr(x, "tactic");
		if (r->evidence == NULL)
			r->evidence = jx_nstr(x, "evidence");
		if (jx_str(x, "source") != NULL &&
		    strcmp(jx_str(x, "source"), "sentinel") == 0)
			r->sentinel = 1;
		else
			r->observed = 1;
	}
	json_array_foreach(json_object_get(c->inc, "techniques"), i, x)
		if (json_is_string(x) && *json_string_value(x) != '\0')
			trow_get(&rows, &n, &cap,
			    json_string_value(x))->sentinel = 1;
	json_array_foreach(json_object_get(c->inc, "alerts"), j, a)
		json_array_foreach(json_object_get(a, "techniques"), i, x) {
			if (!json_is_string(x) || *json_string_value(x) == '\0')
				continue;
			r = trow_get(&rows, &n, &cap, json_string_value(x));
			r->sentinel = 1;
			if (r->alert == NULL)
				r->alert = jx_nstr(a, "name");
		}
	json_array_foreach(c->b->techniques, i, rec)
		trow_get(&rows, &n, &cap, jx_str(rec, "id"))->rec = rec;

	if (n == 0) {
		inl_add(sec_para(s), SPAN_EM, "No ATT&CK techniques in the "
		    "records.");
		free(rows);
		return;
	}
	t = sec_table(s, attack_cols, 5);
	for (i = 0; i < n; i++) {
		const char *name, *murl;

		r = &rows[i];
		rec = r->rec;
		row = table_row(t);
		murl = jx_nstr(rec, "url");
		if (murl != NULL && strncmp(murl, "https://attack.mitre.org/",
		    25) == 0 && esc_url_ok(murl))
			inl_link(row[0], r->id, murl);
		else if (valid_technique(r->id)) {
			snprintf(url, sizeof(url),
			    "https://attack.mitre.org/techniques/%.5s%s%s/",
			    r->id, r->id[5] == '.' ? "/" : "",
			    r->id[5] == '.' ? r->id + 6 : "");
			inl_link(row[0], r->id, url);
		} else
			inl_add(row[0], SPAN_TEXT, r->id);

		if (rec != NULL && !jx_bool(rec, "found", 1))
			inl_add(row[1], SPAN_EM, "not in the ATT&CK dataset");
		else {
			name = jx_nstr(rec, "full_name");
			if (name == NULL)
				name = jx_nstr(rec, "name");
			if (name == NULL)
				name = r->name;
			inl_add(row[1], SPAN_TEXT, name);
			if (jx_bool(rec, "revoked", 0))
				inl_add(row[1], SPAN_EM, " (revoked)");
			else if (jx_bool(rec, "deprecated", 0))
				inl_add(row[1], SPAN_EM, " (deprecated)");
		}
		if (r->tactic != NULL)
			inl_add(row[2], SPAN_TEXT, r->tactic);
		else
			add_joined(c, row[2], json_object_get(rec, "tactics"),
			    ", ", 0);
		if (r->evidence != NULL)
			add_prose(c, row[3], SPAN_TEXT, r->evidence);
		else if (r->alert != NULL) {
			inl_add(row[3], SPAN_TEXT, "Tagged on the alert ");
			add_prose(c, row[3], SPAN_TEXT, r->alert);
		} else if (r->sentinel)
			inl_add(row[3], SPAN_TEXT, "Tagged on the incident");
		if (r->sentinel && r->observed)
			inl_add(row[4], SPAN_TEXT, "Sentinel, observed");
		else if (r->sentinel)
			inl_add(row[4], SPAN_TEXT, "Sentinel");
		else if (r->observed)
			inl_add(row[4], SPAN_TEXT, "Observed");
		else
			inl_add(row[4], SPAN_TEXT, "ATT&CK lookup");
	}
	free(rows);
}

/* Alert context: the process chain, the timeline and the anomalies. */

struct pnode {
	const char	*name;
	const char	*cmd;
	const char	*time;
	const char	*host;
	const char	*note;
	long long	 pid;
	int		 parent;
	int		 depth;
	char		 namebuf[128];
};

/* The image name from a command line: its first word, without path. */
static const char *
name_from_cmd(const char *cmd, char *out, size_t outsz)
{
	const char *p, *end, *base;
	size_t n;

	if (cmd == NULL)
		return NULL;
	p = cmd + strspn(cmd, " \t");
	if (*p == '"') {
		p++;
		end = strchr(p, '"');
	} else
		end = p + strcspn(p, " \t");
	if (end == NULL)
		end = p + strlen(p);
	base = p;
	for (; p < end; p++)
		if (*p == '\\' || *p == '/')
			base = p + 1;
	n = (size_t)(end - base);
	if (n == 0)
		return NULL;
	if (n >= outsz)
		n = outsz - 1;
	memcpy(out, base, n);
	out[n] = '\0';
	return out;
}

static struct pnode *
pnode_add(struct pnode **v, size_t *n, size_t *cap)
{
	if (*n == *cap) {
		*cap = *cap == 0 ? 8 : *cap * 2;
		*v = xrealloc(*v, *cap * sizeof(**v));
	}
	memset(&(*v)[*n], 0, sizeof(**v));
	(*v)[*n].pid = -1;
	(*v)[*n].parent = -1;
	return &(*v)[(*n)++];
}

static void
pnode_name(struct pnode *p, const char *image, const char *cmd)
{
	if (image != NULL && *image != '\0')
		p->name = image;
	else
		p->name = name_from_cmd(cmd, p->namebuf, sizeof(p->namebuf));
	if (p->name == NULL)
		p->name = "process";
}

/* Puts the nodes into depth-first order; out gets indices. */
static void
pnode_walk(struct pnode *v, size_t n, int at, int depth, int *out,
    size_t *nout, char *seen)
{
	size_t i;

	if (seen[at] || depth > 32)
		return;
	seen[at] = 1;
	v[at].depth = depth;
	out[(*nout)++] = at;
	for (i = 0; i < n; i++)
		if (v[i].parent == at)
			pnode_walk(v, n, (int)i, depth + 1, out, nout, seen);
}

/* Process nodes from the incident's process entities, parents linked. */
static size_t
chain_from_entities(struct ctx *c, struct pnode **vp)
{
	struct pnode *v = NULL, *p;
	size_t n = 0, cap = 0, i, j, nent;
	json_t *e, *par;

	json_array_foreach(json_object_get(c->inc, "entities"), i, e) {
		if (jx_str(e, "kind") == NULL ||
		    strcmp(jx_str(e, "kind"), "process") != 0)
			continue;
		p = pnode_add(&v, &n, &cap);
		p->cmd = jx_nstr(e, "command_line");
		pnode_name(p, jx_path_str(e, "image.name"), p->cmd);
		p->pid = jx_int(e, "process_id", -1);
		p->time = jx_nstr(e, "creation_time");
		p->host = jx_nstr(entity_by_id(c, jx_str(e, "host_id")),
		    "hostname");
	}
	nent = n;
	/* Link each to its parent, adding parents that are not entities. */
	for (i = 0, j = 0; i < nent; j++) {
		e = json_array_get(json_object_get(c->inc, "entities"), j);
		if (jx_str(e, "kind") == NULL ||
		    strcmp(jx_str(e, "kind"), "process") != 0)
			continue;
		par = json_object_get(e, "parent");
		if (json_is_object(par)) {
			long long ppid = jx_int(par, "process_id", -1);
			char nb[128];
			const char *pname = jx_path_str(par, "image.name");
			size_t k;

			if (pname == NULL)
				pname = name_from_cmd(jx_str(par,
				    "command_line"), nb, sizeof(nb));
			for (k = 0; k < n; k++)
				if (k != i && ppid >= 0 && v[k].pid == ppid &&
				    (pname == NULL ||
				    strcasecmp(v[k].name, pname) == 0))
					break;
			if (k == n) {
				p = pnode_add(&v, &n, &cap);
				p->cmd = jx_nstr(par, "command_line");
				pnode_name(p, jx_path_str(par, "image.name"),
				    p->cmd);
				p->pid = ppid;
				p->host = v[i].host;
			}
			v[i].parent = (int)k;
		}
		i++;
	}
	*vp = v;
	return n;
}

static size_t
chain_from_brief(struct ctx *c, struct pnode **vp)
{
	struct pnode *v = NULL, *p;
	size_t n = 0, cap = 0, i;
	int prev = -1;
	json_t *x;

	json_array_foreach(json_object_get(c->brief, "process_chain"), i, x) {
		if (!json_is_object(x))
			continue;
		p = pnode_add(&v, &n, &cap);
		p->cmd = jx_nstr(x, "command_line");
		pnode_name(p, jx_nstr(x, "process"), p->cmd);
		p->pid = jx_int(x, "pid", -1);
		p->time = jx_nstr(x, "time");
		p->host = jx_nstr(x, "host");
		p->note = jx_nstr(x, "note");
		p->depth = (int)jx_int(x, "depth", prev + 1);
		if (p->depth < 0)
			p->depth = 0;
		if (p->depth > prev + 1)
			p->depth = prev + 1;	/* no skipped levels */
		prev = p->depth;
	}
	*vp = v;
	return n;
}

/* Whether node order[i] has a sibling after it (a later node at the same
 * depth before one shallower). */
static int
later_sibling(const struct pnode *v, const int *order, size_t n, size_t i)
{
	int d = v[order[i]].depth;
	size_t k;

	for (k = i + 1; k < n; k++) {
		if (v[order[k]].depth < d)
			return 0;
		if (v[order[k]].depth == d)
			return 1;
	}
	return 0;
}

static void
tree_line(struct ctx *c, struct buf *b, const struct pnode *v,
    const int *order, size_t n, size_t i)
{
	const struct pnode *p = &v[order[i]];
	char tmp[64];
	size_t k, level;
	char *d;

	for (level = 1; (int)level < p->depth; level++) {
		/* The ancestor at this level: the last node above at it. */
		for (k = i; k-- > 0;)
			if (v[order[k]].depth == (int)level)
				break;
		buf_adds(b, later_sibling(v, order, n, k) ?
		    "\xe2\x94\x82   " : "    ");
	}
	if (p->depth > 0)
		buf_adds(b, later_sibling(v, order, n, i) ?
		    "\xe2\x94\x9c\xe2\x94\x80\xe2\x94\x80 " :
		    "\xe2\x94\x94\xe2\x94\x80\xe2\x94\x80 ");
	buf_adds(b, p->name);
	if (p->pid >= 0)
		buf_printf(b, " (pid %lld)", p->pid);
	if (p->time != NULL) {
		const char *t = fmt_time(p->time, tmp, sizeof(tmp));

		buf_printf(b, "  %s", t != NULL ? t : p->time);
	}
	if (p->host != NULL)
		buf_printf(b, "  on %s", p->host);
	if (p->note != NULL) {
		d = prose(c, p->note);
		buf_printf(b, "  %s %s", DASH, d);
		free(d);
	}
	buf_addc(b, '\n');
}

/* "Command line of **name** (pid N):" and the command line, whole. */
static void
cmdline_block(struct ctx *c, struct section *s, const char *name,
    long long pid, const char *cmd, const char *why)
{
	struct inl *p = sec_para(s);
	char *d;

	s->blocks[s->n - 1]->flags = BLOCK_DOC_ONLY;
	inl_add(p, SPAN_TEXT, "Command line of ");
	inl_add(p, SPAN_STRONG, name);
	if (pid >= 0)
		inl_addf(p, SPAN_TEXT, " (pid %lld)", pid);
	inl_add(p, SPAN_TEXT, why);
	inl_add(p, SPAN_TEXT, ":");
	d = prose(c, cmd);
	sec_code(s, d, "text", BLOCK_DOC_ONLY);
	free(d);
}

static void
build_process_chain(struct ctx *c)
{
	struct section *s = doc_section(c->d, "Process chain", 3, 9, 0);
	struct pnode *v = NULL;
	size_t n, i, nout = 0;
	int *order, from_brief = 1;
	struct buf b;
	char *seen;
	json_t *x;

	n = chain_from_brief(c, &v);
	if (n == 0) {
		free(v);
		v = NULL;
		n = chain_from_entities(c, &v);
		from_brief = 0;
	}
	if (n == 0) {
		inl_add(sec_para(s), SPAN_EM, "No process information in the "
		    "records.");
		free(v);
		return;
	}
	order = xcalloc(n, sizeof(*order));
	if (from_brief) {
		for (i = 0; i < n; i++)
			order[i] = (int)i;
		nout = n;
	} else {
		seen = xcalloc(n, 1);
		for (i = 0; i < n; i++)
			if (v[i].parent < 0)
				pnode_walk(v, n, (int)i, 0, order, &nout,
				    seen);
		for (i = 0; i < n; i++)	/* a cycle has no root */
			if (!seen[i])
				pnode_walk(v, n, (int)i, 0, order, &nout,
				    seen);
		free(seen);
		inl_add(sec_para(s), SPAN_EM, "From the incident's process "
		    "entities.");
	}
	buf_init(&b);
	for (i = 0; i < nout; i++)
		tree_line(c, &b, v, order, nout, i);
	if (buf_failed(&b))
		cli_die(EXIT_FAIL, "out of memory");
	sec_code(s, buf_str(&b), "text", 0);
	buf_release(&b);

	for (i = 0; i < nout; i++) {
		const struct pnode *q = &v[order[i]];

		if (q->cmd == NULL)
			continue;
		cmdline_block(c, s, q->name, q->pid, q->cmd, NULL);
	}
	/* Every command line the incident holds appears whole somewhere,
	 * even when the brief's chain leaves its process out. */
	json_array_foreach(json_object_get(c->inc, "entities"), i, x) {
		const char *cmd = jx_nstr(x, "command_line");
		char nb[128];
		const char *name;
		size_t k;

		if (!from_brief || cmd == NULL || jx_str(x, "kind") == NULL ||
		    strcmp(jx_str(x, "kind"), "process") != 0)
			continue;
		for (k = 0; k < n; k++)
			if (v[k].cmd != NULL && strcmp(v[k].cmd, cmd) == 0)
				break;
		if (k < n)
			continue;
		name = jx_path_str(x, "image.name");
		if (name == NULL)
			name = name_from_cmd(cmd, nb, sizeof(nb));
		cmdline_block(c, s, name != NULL ? name : "process",
		    jx_int(x, "process_id", -1), cmd,
		    " (a process entity the chain above leaves out)");
	}
	free(order);
	free(v);
}

struct event {
	int64_t		 t;
	size_t		 at;		/* for a stable sort */
	const char	*iso;
	char		*text;		/* owned */
};

static void
event_add(struct event **v, size_t *n, size_t *cap, const char *iso,
    const char *fmt, const char *a, const char *b)
{
	struct buf t;
	int64_t ticks;

	if (iso == NULL || iso_parse(iso, &ticks) == -1)
		return;
	if (*n == *cap) {
		*cap = *cap == 0 ? 8 : *cap * 2;
		*v = xrealloc(*v, *cap * sizeof(**v));
	}
	buf_init(&t);
	buf_printf(&t, fmt, a != NULL ? a : "", b != NULL ? b : "");
	(*v)[*n].t = ticks;
	(*v)[*n].at = *n;
	(*v)[*n].iso = iso;
	(*v)[*n].text = buf_steal(&t);
	if ((*v)[*n].text == NULL)
		cli_die(EXIT_FAIL, "out of memory");
	(*n)++;
}

static int
event_cmp(const void *a, const void *b)
{
	const struct event *x = a, *y = b;

	if (x->t != y->t)
		return x->t < y->t ? -1 : 1;
	return x->at < y->at ? -1 : x->at > y->at;
}

static const struct column timeline_cols[] = {
	{ "Time UTC", 30 }, { "Event", 400 }, { "Assessment", 400 }
};

static void
build_timeline(struct ctx *c)
{
	struct section *s = doc_section(c->d, "Timeline", 3, 8, 0);
	json_t *tl = json_object_get(c->brief, "timeline"), *x, *a;
	struct event *ev = NULL;
	size_t n = 0, cap = 0, i, k;
	struct block *t = NULL;
	struct inl **row;
	char tmp[64], nb[128];

	json_array_foreach(tl, i, x) {
		const char *when = jx_str(x, "time");

		if (!json_is_object(x))
			continue;
		if (t == NULL)
			t = sec_table(s, timeline_cols, 3);
		row = table_row(t);
		if (fmt_time(when, tmp, sizeof(tmp)) != NULL)
			inl_add(row[0], SPAN_TEXT, tmp);
		else
			inl_add(row[0], SPAN_TEXT, when);
		add_prose(c, row[1], SPAN_TEXT, jx_str(x, "event"));
		add_prose(c, row[2], SPAN_TEXT, jx_str(x, "assessment"));
	}
	if (t != NULL)
		return;

	/* No brief timeline: what the records date. */
	event_add(&ev, &n, &cap, jx_str(c->inc, "first_activity"),
	    "First activity%s%s", NULL, NULL);
	json_array_foreach(json_object_get(c->inc, "alerts"), i, a) {
		const char *sev = incident_severity_name(jx_str(a, "severity"));

		snprintf(tmp, sizeof(tmp), " (%s)", sev != NULL ? sev : "");
		event_add(&ev, &n, &cap, jx_str(a, "time_generated"),
		    "Alert raised: %s%s", jx_nstr(a, "name") != NULL ?
		    jx_str(a, "name") : "(unnamed)", sev != NULL ? tmp : "");
	}
	json_array_foreach(json_object_get(c->inc, "entities"), i, x) {
		const char *img;

		if (jx_str(x, "kind") == NULL ||
		    strcmp(jx_str(x, "kind"), "process") != 0)
			continue;
		img = jx_path_str(x, "image.name");
		if (img == NULL)
			img = name_from_cmd(jx_str(x, "command_line"), nb,
			    sizeof(nb));
		event_add(&ev, &n, &cap, jx_str(x, "creation_time"),
		    "Process started: %s%s", img != NULL ? img : "process",
		    NULL);
	}
	event_add(&ev, &n, &cap, jx_str(c->inc, "last_activity"),
	    "Last activity%s%s", NULL, NULL);
	event_add(&ev, &n, &cap, jx_str(c->inc, "created"),
	    "Incident created%s%s", NULL, NULL);
	if (n == 0) {
		inl_add(sec_para(s), SPAN_EM, c->brief == NULL ?
		    "No dated events in the records." :
		    "The brief has no timeline and the records date nothing.");
		return;
	}
	qsort(ev, n, sizeof(*ev), event_cmp);
	inl_add(sec_para(s), SPAN_EM, "From the records' own times; the "
	    "events are not assessed.");
	t = sec_table(s, timeline_cols, 3);
	for (k = 0; k < n; k++) {
		row = table_row(t);
		inl_add(row[0], SPAN_TEXT, fmt_time(ev[k].iso, tmp,
		    sizeof(tmp)));
		add_prose(c, row[1], SPAN_TEXT, ev[k].text);
		free(ev[k].text);
	}
	free(ev);
}

static void
build_anomalies(struct ctx *c)
{
	struct section *s = doc_section(c->d, "Anomalies", 3, 7, 0);
	json_t *an = json_object_get(c->brief, "anomalies"), *x, *f;
	struct block *l = NULL;
	char tmp[1024];
	size_t i, j;
	int warn;

	if (c->brief != NULL) {
		json_array_foreach(an, i, x) {
			const char *t = json_is_string(x) ?
			    json_string_value(x) : jx_str(x, "description");

			if (t == NULL || *t == '\0')
				continue;
			if (l == NULL)
				l = sec_block(s, BLOCK_LIST);
			add_prose(c, block_item(l), SPAN_TEXT, t);
		}
		if (l == NULL)
			inl_add(sec_para(s), SPAN_EM, "None reported.");
		return;
	}
	inl_add(sec_para(s), SPAN_EM, NOT_ASSESSED);
	/* The flags are facts the records computed, not a judgement. */
	json_array_foreach(json_object_get(c->inc, "entities"), i, x) {
		json_array_foreach(json_object_get(x, "flags"), j, f) {
			const char *label = json_is_string(f) ?
			    flag_label(json_string_value(f), &warn) : NULL;
			struct inl *it;

			if (label == NULL || !warn)
				continue;
			if (l == NULL) {
				inl_add(sec_para(s), SPAN_TEXT, "Flags the "
				    "records raise:");
				l = sec_block(s, BLOCK_LIST);
			}
			it = block_item(l);
			inl_add(it, SPAN_TEXT, WARN);
			inl_add(it, SPAN_STRONG, label);
			inl_add(it, SPAN_TEXT, " on ");
			inl_add(it, SPAN_TEXT, kind_label(jx_str(x, "kind")));
			inl_add(it, SPAN_TEXT, " ");
			if (jx_path_str(x, "image.name") != NULL) {
				/* A process by its image, not its command
				 * line. */
				add_code(c, it, jx_path_str(x, "image.name"));
				if (jx_int(x, "process_id", -1) >= 0)
					inl_addf(it, SPAN_TEXT, " (pid %lld)",
					    jx_int(x, "process_id", -1));
			} else
				add_entity_value(c, it, jx_str(x, "kind"),
				    entity_value(x, tmp, sizeof(tmp)));
		}
	}
}

/* Enrichment results. */

static void
add_fact_value(struct ctx *c, struct inl *in, json_t *v)
{
	char tmp[64];
	size_t i, n = 0;
	json_t *x;

	if (json_is_string(v))
		add_prose(c, in, SPAN_TEXT, json_string_value(v));
	else if (json_is_integer(v))
		inl_add(in, SPAN_TEXT, fmt_count(json_integer_value(v), tmp,
		    sizeof(tmp)));
	else if (json_is_real(v))
		inl_addf(in, SPAN_TEXT, "%g", json_real_value(v));
	else if (json_is_array(v))
		json_array_foreach(v, i, x) {
			if (!json_is_string(x) && !json_is_number(x))
				continue;
			if (n > 0)
				inl_add(in, SPAN_TEXT, ", ");
			if (++n > 5) {
				inl_addf(in, SPAN_TEXT, "%zu more",
				    json_array_size(v) - 5);
				break;
			}
			add_fact_value(c, in, x);
		}
}

static void
add_facts(struct ctx *c, struct inl *in, json_t *e)
{
	json_t *facts = json_object_get(e, "facts"), *v;
	const char *key;
	char label[64];
	size_t n = 0, i;

	if (json_is_number(json_object_get(e, "score")) &&
	    json_object_size(facts) == 0) {
		inl_add(in, SPAN_TEXT, "score ");
		add_fact_value(c, in, json_object_get(e, "score"));
		n++;
	}
	json_object_foreach(facts, key, v) {
		if (json_is_null(v) || json_is_object(v) || json_is_false(v) ||
		    (json_is_string(v) && *json_string_value(v) == '\0') ||
		    (json_is_array(v) && json_array_size(v) == 0))
			continue;
		snprintf(label, sizeof(label), "%s",
		    strncmp(key, "is_", 3) == 0 ? key + 3 : key);
		for (i = 0; label[i] != '\0'; i++)
			if (label[i] == '_')
				label[i] = ' ';
		if (n++ > 0)
			inl_add(in, SPAN_TEXT, DOT);
		inl_add(in, SPAN_TEXT, label);
		if (json_is_true(v))
			continue;
		inl_add(in, SPAN_TEXT, ": ");
		add_fact_value(c, in, v);
	}
}

static const struct column enrich_cols[] = {
	{ "Indicator", 120 }, { "Source", 40 }, { "Verdict", 60 },
	{ "Key facts", 400 }
};

static const char *
enrich_value(const json_t *e)
{
	return jx_str(json_object_get(e, "indicator"), "value");
}

struct erow {
	json_t	*rec;
	int	 group;		/* the worst verdict of its indicator */
	size_t	 first;		/* where its indicator first appears */
	int	 rank;
	size_t	 at;
};

/* Indicators with the worst verdicts first, each indicator's rows
 * together, worst first, otherwise in stream order. */
static int
enrich_cmp(const void *a, const void *b)
{
	const struct erow *x = a, *y = b;

	if (x->group != y->group)
		return x->group - y->group;
	if (x->first != y->first)
		return x->first < y->first ? -1 : 1;
	if (x->rank != y->rank)
		return x->rank - y->rank;
	return x->at < y->at ? -1 : x->at > y->at;
}

static void
build_enrichment(struct ctx *c)
{
	struct section *s = doc_section(c->d, "Enrichment results", 2, 4, 0);
	size_t n = json_array_size(c->b->enrichments), i, j;
	struct block *t;
	struct inl **row;
	struct erow *v;

	if (n == 0) {
		inl_add(sec_para(s), SPAN_EM, "No enrichment records in the "
		    "stream.");
		return;
	}
	v = xcalloc(n, sizeof(*v));
	for (i = 0; i < n; i++) {
		v[i].rec = json_array_get(c->b->enrichments, i);
		v[i].rank = verdict_rank(jx_str(v[i].rec, "verdict"));
		v[i].at = i;
		v[i].first = i;
		v[i].group = v[i].rank;
		for (j = 0; j < i; j++) {
			if (!same_indicator(enrich_value(v[j].rec),
			    enrich_value(v[i].rec)))
				continue;
			v[i].first = v[j].first;
			break;
		}
	}
	for (i = 0; i < n; i++)
		for (j = 0; j < n; j++)
			if (v[j].first == v[i].first && v[j].rank < v[i].group)
				v[i].group = v[j].rank;
	qsort(v, n, sizeof(*v), enrich_cmp);
	t = sec_table(s, enrich_cols, 4);
	for (i = 0; i < n; i++) {
		json_t *rec = v[i].rec;
		json_t *ind = json_object_get(rec, "indicator");
		const char *reason = jx_nstr(rec, "reason");

		row = table_row(t);
		add_value(c, row[0], jx_str(ind, "value"));
		inl_add(row[1], SPAN_TEXT, jx_str(rec, "provider"));
		if (jx_bool(rec, "cached", 0))
			inl_add(row[1], SPAN_EM, " (cached)");
		add_verdict_word(row[2], jx_str(rec, "verdict"));
		if (reason != NULL) {
			inl_add(row[2], SPAN_TEXT, " (");
			inl_add(row[2], SPAN_TEXT, reason);
			inl_add(row[2], SPAN_TEXT, ")");
		}
		add_facts(c, row[3], rec);
	}
	free(v);
}

/* Actions, verdict, gaps and the footer. */

struct arow {
	json_t		*a;
	long long	 priority;
	size_t		 at;
};

static int
action_cmp(const void *a, const void *b)
{
	const struct arow *x = a, *y = b;

	if (x->priority != y->priority)
		return x->priority < y->priority ? -1 : 1;
	return x->at < y->at ? -1 : x->at > y->at;
}

static void
build_actions(struct ctx *c)
{
	struct section *s = doc_section(c->d, "Recommended actions", 2, 1, 0);
	json_t *acts = json_object_get(c->brief, "actions"), *a;
	size_t n = json_array_size(acts), i;
	struct arow *v;
	struct block *l;
	struct inl *it;

	if (c->brief == NULL) {
		inl_add(sec_para(s), SPAN_EM, NOT_ASSESSED);
		return;
	}
	if (n == 0) {
		inl_add(sec_para(s), SPAN_EM, "None recommended.");
		return;
	}
	v = xcalloc(n, sizeof(*v));
	for (i = 0; i < n; i++) {
		v[i].a = json_array_get(acts, i);
		v[i].priority = jx_int(v[i].a, "priority", 1000000);
		v[i].at = i;
	}
	qsort(v, n, sizeof(*v), action_cmp);
	l = sec_block(s, BLOCK_OLIST);
	for (i = 0; i < n; i++) {
		const char *act, *urg;

		a = v[i].a;
		act = json_is_string(a) ? json_string_value(a) :
		    jx_str(a, "action");
		urg = jx_nstr(a, "urgency");

		it = block_item(l);
		if (urg != NULL) {
			char tmp[64];

			snprintf(tmp, sizeof(tmp), "%s", urg);
			tmp[0] = (char)toupper((unsigned char)tmp[0]);
			if (strcmp(tmp, "Follow_up") == 0)
				snprintf(tmp, sizeof(tmp), "Follow-up");
			inl_addf(it, SPAN_STRONG, "%s:", tmp);
			inl_add(it, SPAN_TEXT, " ");
		}
		add_prose(c, it, SPAN_TEXT, act != NULL ? act : "(no text)");
		if (jx_nstr(a, "rationale") != NULL) {
			inl_add(it, SPAN_TEXT, " " DASH " ");
			add_prose(c, it, SPAN_EM, jx_str(a, "rationale"));
		}
	}
	free(v);
}

static const struct column verdict_cols[] = {
	{ "Severity", 60 }, { "Classification", 80 }, { "Rationale", 2000 }
};

static void
build_verdict(struct ctx *c)
{
	struct section *s = doc_section(c->d, "Severity verdict", 2, 2, 0);
	struct block *t = sec_table(s, verdict_cols, 3);
	struct inl **row = table_row(t);
	const char *why = jx_nstr(json_object_get(c->brief, "verdict"),
	    "rationale");

	add_verdict_severity(c, row[0]);
	add_classification(c, row[1], 0);
	if (c->brief == NULL && verdict_severity(c) == NULL)
		inl_add(row[2], SPAN_TEXT, "No brief in the stream and no "
		    "severity in the records.");
	else if (c->brief == NULL)
		inl_add(row[2], SPAN_TEXT, "No brief in the stream: the "
		    "severity is the one Sentinel set, not an investigation's "
		    "verdict.");
	else
		add_prose(c, row[2], SPAN_TEXT, why);
}

static void
build_gaps(struct ctx *c)
{
	struct section *s = doc_section(c->d, "Visibility gaps and errors", 2,
	    3, 0);
	struct block *l = NULL;
	struct inl *it;
	json_t *x, *con;
	const char *key;
	size_t i, k;
	json_t *cv;

	json_array_foreach(json_object_get(c->brief, "visibility_gaps"), i,
	    x) {
		const char *t = json_is_string(x) ? json_string_value(x) :
		    jx_str(x, "description");

		if (t == NULL || *t == '\0')
			continue;
		if (l == NULL)
			l = sec_block(s, BLOCK_LIST);
		add_prose(c, block_item(l), SPAN_TEXT, t);
	}
	json_array_foreach(c->b->errors, i, x) {
		if (l == NULL)
			l = sec_block(s, BLOCK_LIST);
		it = block_item(l);
		inl_add(it, SPAN_STRONG, jx_nstr(x, "stage") != NULL ?
		    jx_str(x, "stage") : "unknown stage");
		if (jx_nstr(x, "code") != NULL) {
			inl_add(it, SPAN_TEXT, " (");
			inl_add(it, SPAN_TEXT, jx_str(x, "code"));
			inl_add(it, SPAN_TEXT, ")");
		}
		inl_add(it, SPAN_TEXT, ": ");
		add_prose(c, it, SPAN_TEXT, jx_nstr(x, "message") != NULL ?
		    jx_str(x, "message") : "no message");
		con = json_object_get(x, "concerns");
		k = 0;
		json_object_foreach(con, key, cv) {
			if (!json_is_string(cv) && !json_is_number(cv))
				continue;
			inl_add(it, SPAN_TEXT, k++ == 0 ? " (" : ", ");
			inl_add(it, SPAN_TEXT, key);
			inl_add(it, SPAN_TEXT, " ");
			if (json_is_string(cv))
				add_code(c, it, json_string_value(cv));
			else
				add_fact_value(c, it, cv);
		}
		if (k > 0)
			inl_add(it, SPAN_TEXT, ")");
	}
	json_array_foreach(c->b->tool_calls, i, x) {
		if (!jx_bool(x, "is_error", 0))
			continue;
		if (l == NULL)
			l = sec_block(s, BLOCK_LIST);
		it = block_item(l);
		inl_add(it, SPAN_TEXT, "Tool call ");
		inl_add(it, SPAN_STRONG, jx_nstr(x, "tool") != NULL ?
		    jx_str(x, "tool") : "(unnamed)");
		inl_add(it, SPAN_TEXT, " failed");
		if (jx_int(x, "exit_status", -1) > 0)
			inl_addf(it, SPAN_TEXT, " (exit %lld)",
			    jx_int(x, "exit_status", -1));
		if (jx_nstr(x, "summary") != NULL) {
			inl_add(it, SPAN_TEXT, ": ");
			add_prose(c, it, SPAN_TEXT, jx_str(x, "summary"));
		}
	}
	if (l == NULL)
		inl_add(sec_para(s), SPAN_EM, "None reported.");
}

static void
build_footer(struct ctx *c)
{
	struct section *s = doc_section(c->d, "How this brief was made", 2, 1,
	    SEC_FOOTER);
	json_t *mb = json_object_get(c->brief, "made_by"), *u = c->b->usage;
	json_t *x;
	struct inl *p = sec_para(s);
	size_t i, ncalls, nfail = 0;
	long long ms;
	char a[32], b2[32], tmp[64];
	const char *path = jx_nstr(mb, "path");

	inl_add(p, SPAN_STRONG, "Made by:");
	inl_add(p, SPAN_TEXT, " ");
	if (c->brief == NULL)
		inl_add(p, SPAN_TEXT, "the records alone (no brief)");
	else if (path != NULL && strcmp(path, "playbook") == 0) {
		inl_add(p, SPAN_TEXT, "the playbook (no model)");
		if (jx_nstr(mb, "fallback_reason") != NULL) {
			inl_add(p, SPAN_TEXT, ", because ");
			add_prose(c, p, SPAN_TEXT, jx_str(mb,
			    "fallback_reason"));
		}
	} else {
		const char *model = jx_nstr(mb, "model");

		if (model == NULL)
			model = jx_nstr(u, "model");
		inl_add(p, SPAN_TEXT, "model ");
		inl_add(p, SPAN_TEXT, model != NULL ? model : "(unnamed)");
		if (jx_nstr(mb, "provider") != NULL ||
		    jx_nstr(u, "provider") != NULL) {
			inl_add(p, SPAN_TEXT, " (");
			inl_add(p, SPAN_TEXT, jx_nstr(mb, "provider") != NULL ?
			    jx_str(mb, "provider") : jx_str(u, "provider"));
			inl_add(p, SPAN_TEXT, ")");
		}
	}

	ncalls = json_array_size(c->b->tool_calls);
	json_array_foreach(c->b->tool_calls, i, x)
		nfail += jx_bool(x, "is_error", 0) != 0;
	if (ncalls == 0 && jx_int(u, "tool_calls", -1) >= 0)
		ncalls = (size_t)jx_int(u, "tool_calls", 0);
	if (c->brief != NULL || ncalls > 0) {
		inl_add(p, SPAN_TEXT, DOT);
		inl_add(p, SPAN_STRONG, "Tool calls:");
		inl_addf(p, SPAN_TEXT, " %zu", ncalls);
		if (nfail > 0)
			inl_addf(p, SPAN_TEXT, " (%zu failed)", nfail);
	}
	if (u != NULL) {
		inl_add(p, SPAN_TEXT, DOT);
		inl_add(p, SPAN_STRONG, "Tokens:");
		inl_addf(p, SPAN_TEXT, " %s in, %s out",
		    fmt_count(jx_int(u, "input_tokens", 0), a, sizeof(a)),
		    fmt_count(jx_int(u, "output_tokens", 0), b2, sizeof(b2)));
		if (jx_int(u, "cache_read_input_tokens", 0) > 0 ||
		    jx_int(u, "cache_creation_input_tokens", 0) > 0)
			inl_addf(p, SPAN_TEXT, " (cache: %s read, %s written)",
			    fmt_count(jx_int(u, "cache_read_input_tokens", 0),
			    a, sizeof(a)), fmt_count(jx_int(u,
			    "cache_creation_input_tokens", 0), b2,
			    sizeof(b2)));
		if (json_is_number(json_object_get(u, "cost_usd"))) {
			inl_add(p, SPAN_TEXT, DOT);
			inl_add(p, SPAN_STRONG, "Cost:");
			inl_addf(p, SPAN_TEXT, " $%.4f",
			    jx_num(u, "cost_usd", 0));
		}
	}
	ms = jx_int(c->brief, "duration_ms", -1);
	if (ms < 0) {
		int64_t t0, t1;

		if (iso_parse(jx_str(c->brief, "started_at") != NULL ?
		    jx_str(c->brief, "started_at") : "", &t0) == 0 &&
		    iso_parse(jx_str(c->brief, "finished_at") != NULL ?
		    jx_str(c->brief, "finished_at") : "", &t1) == 0 && t1 >= t0)
			ms = (t1 - t0) / TICKS_PER_MS;
	}
	if (ms >= 0) {
		inl_add(p, SPAN_TEXT, DOT);
		inl_add(p, SPAN_STRONG, "Time:");
		inl_addf(p, SPAN_TEXT, " %.1f s", (double)ms / 1000.0);
	}
	json_array_foreach(c->b->datasets, i, x) {
		if (i == 0) {
			inl_add(p, SPAN_TEXT, DOT);
			inl_add(p, SPAN_STRONG, "Datasets:");
			inl_add(p, SPAN_TEXT, " ATT&CK ");
		} else
			inl_add(p, SPAN_TEXT, ", ");
		inl_addf(p, SPAN_TEXT, "%s %s", jx_str(x, "name"),
		    jx_nstr(x, "version") != NULL ? jx_str(x, "version") :
		    "(no version)");
	}
	iso_format(c->o->now, tmp, sizeof(tmp), 0);
	inl_add(p, SPAN_TEXT, DOT);
	inl_add(p, SPAN_STRONG, "Rendered:");
	inl_addf(p, SPAN_TEXT, " %s by triage-render %s", tmp, TRIAGE_VERSION);
}

struct doc *
build_doc(const struct bundle *b, const struct render_opts *o)
{
	struct ctx c;

	c.b = b;
	c.o = o;
	c.inc = json_is_object(b->incident) ? b->incident : NULL;
	c.brief = json_is_object(b->brief) ? b->brief : NULL;
	c.d = doc_new();
	doc_set_defang(o->defang);
	build_head(&c);
	build_summary(&c);
	build_metadata(&c);
	build_entities(&c);
	build_attack(&c);
	doc_section(c.d, "Alert context", 2, 7, 0);
	build_process_chain(&c);
	build_timeline(&c);
	build_anomalies(&c);
	build_enrichment(&c);
	build_actions(&c);
	build_verdict(&c);
	build_gaps(&c);
	build_footer(&c);
	return c.d;
}
