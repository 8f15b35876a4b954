/*
 * incident_entity: the entities of an incident.  Three dialects arrive:
 * SecurityAlert.Entities (PascalCase properties, "Type" in lower case,
 * entities linked by "$id"/"$ref"), the Sentinel REST entity list ("kind"
 * in PascalCase, camelCase "properties", entities linked by "...EntityId"
 * ARM ids) and Microsoft Graph evidence ("@odata.type" names the kind).
 * Each entity is normalised into the kind's fields of docs/records.md and
 * merged with what the incident already holds: an entity is known by keys
 * (a SID, a device id, a path, an address...) and two entities that share
 * a key and contradict each other on nothing are one.  Entities nested in
 * others (a process's image file, account and host) are entities too; the
 * parent refers to them by id.
 */
#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "buf.h"
#include "incident.h"
#include "incident_int.h"
#include "ioc.h"
#include "jsonx.h"

#define NAMES(...)	((const char *const[]){ __VA_ARGS__, NULL })

/* Resolving references copies at most this many JSON nodes per list. */
#define RESOLVE_BUDGET	50000
/* Nesting deeper than this is not followed (real data nests 3 or 4). */
#define MAX_DEPTH	32
/* An entity keeps at most this many original objects under "raw". */
#define MAX_RAW		16

struct ent {
	const char	*kind;		/* static string */
	json_t		*fields;	/* the kind's normalised fields */
	json_t		*alert_ids;	/* strings */
	json_t		*alert_set;	/* the same, as a set */
	json_t		*raw;		/* the original objects */
	json_t		*keys;		/* strings this entity is known by */
	size_t		 raw_omitted;
	long		 account;	/* entity indices, or -1 */
	long		 host;
	long		 image;
	long		 parent;
	long		 derived;
	long		 merged_into;	/* -1, or the entity that absorbed it */
	char		*mde;		/* a Graph device id (finds the host) */
};

struct entset {
	struct ent	*v;
	size_t		 n;
	size_t		 cap;
	json_t		*index;		/* key -> [indices] */
	json_t		*warnings;
};

/* What an entity refers to while it is being built. */
struct refs {
	long	 account;
	long	 host;
	long	 image;
	long	 parent;
	long	 derived;
	const char *mde;
};

/* The state of one walk over one entity list. */
struct walk {
	struct entset	*s;
	int		 rest;		/* the REST dialect */
	const char	*alert_id;
	json_t		*memo;		/* $id or ARM id -> index (-2: busy) */
	json_t		*restmap;	/* ARM id -> entity (REST) */
	json_t		*mentioned;	/* indices, in order */
	json_t		*mset;		/* the same, as a set */
};

static void
refs_init(struct refs *r)
{
	r->account = r->host = r->image = r->parent = r->derived = -1;
	r->mde = NULL;
}

/* --- small helpers ------------------------------------------------------ */

static char *
lower_dup(const char *s)
{
	char *p = strdup(s);
	size_t i;

	if (p == NULL)
		return NULL;
	for (i = 0; p[i] != '\0'; i++)
		p[i] = (char)tolower((unsigned char)p[i]);
	return p;
}

static void
set_new(json_t *f, const char *key, json_t *v)
{
	if (v != NULL)
		json_object_set_new(f, key, v);
}

static void
set_str(json_t *f, const char *key, const json_t *p, const char *const n[])
{
	const char *s = inc_str(p, n);

	if (s != NULL)
		json_object_set_new(f, key, json_string(s));
}

static void
set_lower(json_t *f, const char *key, const json_t *p, const char *const n[])
{
	const char *s = inc_str(p, n);
	char *l;

	if (s == NULL || (l = lower_dup(s)) == NULL)
		return;
	json_object_set_new(f, key, json_string(l));
	free(l);
}

static void
set_time(json_t *f, const char *key, const json_t *p, const char *const n[])
{
	set_new(f, key, inc_time(inc_get(p, n)));
}

static void
set_bool(json_t *f, const char *key, const json_t *p, const char *const n[])
{
	const json_t *v = inc_get(p, n);

	if (json_is_boolean(v))
		json_object_set_new(f, key, json_boolean(json_is_true(v)));
	else if (json_is_string(v) && strcasecmp(json_string_value(v),
	    "true") == 0)
		json_object_set_new(f, key, json_true());
	else if (json_is_string(v) && strcasecmp(json_string_value(v),
	    "false") == 0)
		json_object_set_new(f, key, json_false());
}

/* A number when it is one (or a string of digits), else the string. */
static void
set_number(json_t *f, const char *key, const json_t *p, const char *const n[])
{
	const json_t *v = inc_get(p, n);
	const char *s;
	char *end;
	long long x;

	if (json_is_integer(v)) {
		json_object_set_new(f, key,
		    json_integer(json_integer_value(v)));
		return;
	}
	if (json_is_real(v) && json_real_value(v) >= 0 &&
	    json_real_value(v) < 9e15) {
		json_object_set_new(f, key,
		    json_integer((json_int_t)json_real_value(v)));
		return;
	}
	if (!json_is_string(v))
		return;
	s = json_string_value(v);
	/* Windows event logs write process ids in hex. */
	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X') &&
	    isxdigit((unsigned char)s[2]) && strlen(s) <= 15) {
		x = strtoll(s + 2, &end, 16);
		if (*end == '\0') {
			json_object_set_new(f, key, json_integer(x));
			return;
		}
	}
	if (*s >= '0' && *s <= '9' && strlen(s) <= 18) {
		x = strtoll(s, &end, 10);
		if (*end == '\0') {
			json_object_set_new(f, key, json_integer(x));
			return;
		}
	}
	json_object_set_new(f, key, json_string(s));
}

static const char *
fstr(const json_t *f, const char *key)
{
	return jx_nstr(f, key);
}

static void
warn_snip(json_t *warnings, const char *fmt, const char *what)
{
	char snip[80];

	inc_snip(what, snip, sizeof(snip));
	inc_warn(warnings, fmt, snip);
}

/* --- kinds and their fields --------------------------------------------- */

static const char *
kind_norm(const char *t)
{
	static const struct {
		const char *in, *out;
	} map[] = {
		{ "host", "host" }, { "account", "account" }, { "ip", "ip" },
		{ "file", "file" }, { "filehash", "filehash" },
		{ "process", "process" }, { "url", "url" }, { "dns", "domain" },
		{ "dnsresolution", "domain" }, { "domain", "domain" },
		{ "mailbox", "mailbox" }, { "mailmessage", "mailmessage" },
		{ "cloudapplication", "cloud_application" },
		{ "registrykey", "registry_key" },
		{ "registryvalue", "registry_value" },
	};
	char k[32];
	size_t i, n = 0;

	if (t == NULL)
		return "other";
	for (i = 0; t[i] != '\0' && n < sizeof(k) - 1; i++)
		if (t[i] != '-' && t[i] != '_' && t[i] != ' ')
			k[n++] = (char)tolower((unsigned char)t[i]);
	k[n] = '\0';
	if (t[i] != '\0')
		return "other";
	for (i = 0; i < sizeof(map) / sizeof(map[0]); i++)
		if (strcmp(k, map[i].in) == 0)
			return map[i].out;
	return "other";
}

static void
host_fields(const json_t *p, json_t *f)
{
	const char *fqdn, *dot;

	set_str(f, "hostname", p, NAMES("HostName"));
	set_str(f, "dns_domain", p, NAMES("DnsDomain"));
	set_str(f, "netbios_name", p, NAMES("NetBiosName"));
	set_str(f, "fqdn", p, NAMES("FQDN", "deviceDnsName"));
	set_str(f, "os_family", p, NAMES("OSFamily", "osPlatform"));
	set_str(f, "os_version", p, NAMES("OSVersion", "version", "osBuild"));
	set_lower(f, "mde_device_id", p, NAMES("MdatpDeviceId", "mdeDeviceId"));
	set_lower(f, "aad_device_id", p, NAMES("AadDeviceId",
	    "azureAdDeviceId"));
	set_str(f, "azure_id", p, NAMES("AzureID", "AzureResourceId"));
	set_str(f, "nt_domain", p, NAMES("NTDomain"));
	set_lower(f, "oms_agent_id", p, NAMES("OMSAgentID", "OmsAgentId"));
	set_bool(f, "is_domain_joined", p, NAMES("IsDomainJoined"));
	set_str(f, "last_ip_address", p, NAMES("LastIpAddress"));
	set_str(f, "last_external_ip_address", p,
	    NAMES("LastExternalIpAddress"));
	set_str(f, "risk_score", p, NAMES("RiskScore"));
	set_str(f, "health_status", p, NAMES("HealthStatus"));
	/* Graph names a device only by its DNS name. */
	fqdn = fstr(f, "fqdn");
	if (fqdn != NULL && fstr(f, "hostname") == NULL) {
		dot = strchr(fqdn, '.');
		set_new(f, "hostname", dot != NULL ? json_stringn(fqdn,
		    (size_t)(dot - fqdn)) : json_string(fqdn));
		if (dot != NULL && dot[1] != '\0' &&
		    fstr(f, "dns_domain") == NULL)
			set_new(f, "dns_domain", json_string(dot + 1));
	}
	if (fqdn == NULL && fstr(f, "hostname") != NULL &&
	    fstr(f, "dns_domain") != NULL) {
		char *s = NULL;
		struct buf b;

		buf_init(&b);
		buf_printf(&b, "%s.%s", fstr(f, "hostname"),
		    fstr(f, "dns_domain"));
		s = buf_steal(&b);
		if (s != NULL)
			set_new(f, "fqdn", json_string(s));
		free(s);
	}
}

static void
account_fields(const json_t *p, json_t *f)
{
	const char *name, *suffix;

	set_str(f, "name", p, NAMES("Name", "accountName"));
	set_str(f, "nt_domain", p, NAMES("NTDomain", "domainName"));
	set_str(f, "upn_suffix", p, NAMES("UPNSuffix"));
	set_str(f, "upn", p, NAMES("UserPrincipalName", "Upn"));
	set_str(f, "display_name", p, NAMES("DisplayName"));
	set_str(f, "sid", p, NAMES("Sid", "userSid"));
	set_lower(f, "aad_user_id", p, NAMES("AadUserId", "azureAdUserId"));
	set_lower(f, "object_guid", p, NAMES("ObjectGuid"));
	set_bool(f, "is_domain_joined", p, NAMES("IsDomainJoined"));
	name = fstr(f, "name");
	suffix = fstr(f, "upn_suffix");
	if (fstr(f, "upn") == NULL && name != NULL && suffix != NULL &&
	    strchr(name, '@') == NULL) {
		struct buf b;
		char *s;

		buf_init(&b);
		buf_printf(&b, "%s@%s", name, suffix);
		s = buf_steal(&b);
		if (s != NULL)
			set_new(f, "upn", json_string(s));
		free(s);
	}
}

static void
ip_fields(const json_t *p, json_t *f)
{
	const char *a = inc_str(p, NAMES("Address", "ipAddress")), *range;
	const json_t *loc;
	json_t *l;
	char norm[64];
	enum ioc_kind k;
	int pub;

	if (a == NULL)
		return;
	k = ioc_normalise(a, norm, sizeof(norm));
	if (k == IOC_IPV4 || k == IOC_IPV6) {
		json_object_set_new(f, "address", json_string(norm));
		json_object_set_new(f, "version", json_integer(k == IOC_IPV4 ?
		    4 : 6));
		pub = ioc_ip_is_public(norm, &range);
		json_object_set_new(f, "public", json_boolean(pub == 1));
		if (pub == 0 && range != NULL)
			json_object_set_new(f, "range", json_string(range));
	} else
		json_object_set_new(f, "address", json_string(a));
	loc = inc_get(p, NAMES("Location", "location"));
	l = json_object();
	if (json_is_object(loc)) {
		set_str(l, "country", loc, NAMES("CountryCode", "CountryName"));
		set_str(l, "city", loc, NAMES("City"));
		set_number(l, "asn", loc, NAMES("Asn"));
		set_str(l, "org", loc, NAMES("Organization", "Carrier"));
	}
	if (json_object_get(l, "country") == NULL)
		set_str(l, "country", p, NAMES("countryLetterCode"));
	if (json_object_size(l) > 0)
		json_object_set(f, "location", l);
	json_decref(l);
}

static void
add_hash(json_t *f, const char *alg, const char *value)
{
	char *a, *v;

	if (alg == NULL || value == NULL)
		return;
	a = lower_dup(alg);
	v = lower_dup(value);
	if (a != NULL && v != NULL && (strcmp(a, "md5") == 0 ||
	    strcmp(a, "sha1") == 0 || strcmp(a, "sha256") == 0) &&
	    json_object_get(f, a) == NULL)
		json_object_set_new(f, a, json_string(v));
	free(a);
	free(v);
}

static void
file_fields(const json_t *p, json_t *f)
{
	const char *dir, *name;
	size_t n;

	set_str(f, "name", p, NAMES("Name", "fileName"));
	set_str(f, "directory", p, NAMES("Directory", "filePath"));
	dir = fstr(f, "directory");
	name = fstr(f, "name");
	if (dir != NULL && name != NULL) {
		struct buf b;
		char *s;
		int back;

		n = strlen(dir);
		back = strchr(dir, '\\') != NULL || (n >= 2 && dir[1] == ':');
		buf_init(&b);
		buf_adds(&b, dir);
		if (dir[n - 1] != '\\' && dir[n - 1] != '/')
			buf_addc(&b, back ? '\\' : '/');
		buf_adds(&b, name);
		s = buf_steal(&b);
		if (s != NULL)
			set_new(f, "path", json_string(s));
		free(s);
	}
	add_hash(f, "md5", inc_str(p, NAMES("md5")));
	add_hash(f, "sha1", inc_str(p, NAMES("sha1")));
	add_hash(f, "sha256", inc_str(p, NAMES("sha256")));
	set_number(f, "size", p, NAMES("SizeInBytes", "fileSize"));
}

static void
filehash_fields(const json_t *p, json_t *f)
{
	set_lower(f, "algorithm", p, NAMES("Algorithm"));
	set_lower(f, "value", p, NAMES("Value", "hashValue"));
}

static void
process_fields(const json_t *p, json_t *f)
{
	set_number(f, "process_id", p, NAMES("ProcessId"));
	set_str(f, "command_line", p, NAMES("CommandLine",
	    "processCommandLine"));
	set_time(f, "creation_time", p, NAMES("CreationTimeUtc",
	    "processCreationDateTime"));
}

static void
domain_fields(const json_t *p, json_t *f)
{
	const char *d = inc_str(p, NAMES("DomainName", "domain"));
	char *l;
	size_t n;

	if (d == NULL || (l = lower_dup(d)) == NULL)
		return;
	n = strlen(l);
	if (n > 1 && l[n - 1] == '.')
		l[n - 1] = '\0';
	json_object_set_new(f, "domain", json_string(l));
	free(l);
}

static void
mailbox_fields(const json_t *p, json_t *f)
{
	const json_t *ua = inc_get(p, NAMES("userAccount"));

	set_str(f, "address", p, NAMES("MailboxPrimaryAddress",
	    "primaryAddress"));
	set_str(f, "display_name", p, NAMES("DisplayName"));
	set_str(f, "upn", p, NAMES("Upn", "userPrincipalName"));
	set_lower(f, "aad_id", p, NAMES("AadId", "externalDirectoryObjectId"));
	if (json_is_object(ua)) {
		if (json_object_get(f, "upn") == NULL)
			set_str(f, "upn", ua, NAMES("userPrincipalName"));
		if (json_object_get(f, "aad_id") == NULL)
			set_lower(f, "aad_id", ua, NAMES("azureAdUserId"));
	}
}

static void
mailmessage_fields(const json_t *p, json_t *f)
{
	const json_t *v;
	json_t *urls;
	size_t i;

	set_str(f, "subject", p, NAMES("Subject"));
	set_str(f, "sender", p, NAMES("Sender", "P1Sender", "P2Sender"));
	if (json_object_get(f, "sender") == NULL) {
		v = inc_get(p, NAMES("p1Sender", "p2Sender"));
		if (json_is_object(v))
			set_str(f, "sender", v, NAMES("emailAddress"));
	}
	set_str(f, "recipient", p, NAMES("Recipient",
	    "recipientEmailAddress"));
	set_str(f, "sender_ip", p, NAMES("SenderIP", "senderIp"));
	set_lower(f, "network_message_id", p, NAMES("NetworkMessageId"));
	set_str(f, "internet_message_id", p, NAMES("InternetMessageId"));
	set_str(f, "delivery_action", p, NAMES("DeliveryAction"));
	set_str(f, "delivery_location", p, NAMES("DeliveryLocation"));
	v = inc_get(p, NAMES("Urls"));
	if (json_is_array(v)) {
		urls = json_array();
		for (i = 0; i < json_array_size(v); i++)
			if (json_is_string(json_array_get(v, i)))
				json_array_append(urls, json_array_get(v, i));
		json_object_set_new(f, "urls", urls);
	}
}

static void
cloudapp_fields(const json_t *p, json_t *f)
{
	char id[64];

	if (inc_text(inc_get(p, NAMES("AppId", "SaasId")), id,
	    sizeof(id)) == 0)
		json_object_set_new(f, "app_id", json_string(id));
	set_str(f, "name", p, NAMES("Name", "appName", "displayName"));
	set_str(f, "instance_name", p, NAMES("InstanceName"));
}

static void
regkey_fields(const json_t *p, json_t *f)
{
	set_str(f, "hive", p, NAMES("Hive", "registryHive"));
	set_str(f, "key", p, NAMES("Key", "registryKey"));
}

static void
regvalue_fields(const json_t *p, json_t *f)
{
	set_str(f, "name", p, NAMES("Name", "valueName", "registryValueName"));
	set_str(f, "value", p, NAMES("Value", "valueData", "registryValue"));
	set_str(f, "value_type", p, NAMES("ValueType", "registryValueType"));
}

/* "HIVE\key" from a registry key's fields. */
static json_t *
regkey_path(const json_t *hive_key)
{
	const char *h = fstr(hive_key, "hive"), *k = fstr(hive_key, "key");
	struct buf b;
	json_t *v;

	if (k == NULL)
		return NULL;
	if (h == NULL)
		return json_string(k);
	buf_init(&b);
	buf_printf(&b, "%s\\%s", h, k);
	v = buf_failed(&b) ? NULL : json_string(buf_str(&b));
	buf_release(&b);
	return v;
}

static void
kind_fields(const char *kind, const json_t *p, json_t *f)
{
	if (strcmp(kind, "host") == 0)
		host_fields(p, f);
	else if (strcmp(kind, "account") == 0)
		account_fields(p, f);
	else if (strcmp(kind, "ip") == 0)
		ip_fields(p, f);
	else if (strcmp(kind, "file") == 0)
		file_fields(p, f);
	else if (strcmp(kind, "filehash") == 0)
		filehash_fields(p, f);
	else if (strcmp(kind, "process") == 0)
		process_fields(p, f);
	else if (strcmp(kind, "url") == 0)
		set_str(f, "url", p, NAMES("Url"));
	else if (strcmp(kind, "domain") == 0)
		domain_fields(p, f);
	else if (strcmp(kind, "mailbox") == 0)
		mailbox_fields(p, f);
	else if (strcmp(kind, "mailmessage") == 0)
		mailmessage_fields(p, f);
	else if (strcmp(kind, "cloud_application") == 0)
		cloudapp_fields(p, f);
	else if (strcmp(kind, "registry_key") == 0)
		regkey_fields(p, f);
	else if (strcmp(kind, "registry_value") == 0)
		regvalue_fields(p, f);
}

/* --- identity: keys and contradictions ---------------------------------- */

static void
key_add(json_t *keys, const char *prefix, const char *v, int fold)
{
	struct buf b;
	size_t i;

	if (v == NULL || *v == '\0')
		return;
	buf_init(&b);
	buf_adds(&b, prefix);
	buf_adds(&b, v);
	if (!buf_failed(&b)) {
		if (fold)
			for (i = strlen(prefix); i < b.len; i++)
				b.data[i] = (char)tolower(
				    (unsigned char)b.data[i]);
		json_array_append_new(keys, json_stringn(b.data, b.len));
	}
	buf_release(&b);
}

static json_t *
ent_keys(const char *kind, const json_t *f, const struct refs *r,
    const json_t *raw)
{
	json_t *k = json_array();
	char num[64];
	struct buf b;

	if (strcmp(kind, "host") == 0) {
		key_add(k, "host:mde:", fstr(f, "mde_device_id"), 1);
		key_add(k, "host:aad:", fstr(f, "aad_device_id"), 1);
		key_add(k, "host:azure:", fstr(f, "azure_id"), 1);
		key_add(k, "host:name:", fstr(f, "hostname"), 1);
	} else if (strcmp(kind, "account") == 0) {
		key_add(k, "acct:sid:", fstr(f, "sid"), 1);
		key_add(k, "acct:aad:", fstr(f, "aad_user_id"), 1);
		key_add(k, "acct:upn:", fstr(f, "upn"), 1);
		key_add(k, "acct:guid:", fstr(f, "object_guid"), 1);
		key_add(k, "acct:name:", fstr(f, "name"), 1);
	} else if (strcmp(kind, "ip") == 0) {
		key_add(k, "ip:", fstr(f, "address"), 1);
	} else if (strcmp(kind, "file") == 0) {
		key_add(k, "file:path:", fstr(f, "path"), 1);
		key_add(k, "file:sha256:", fstr(f, "sha256"), 1);
		key_add(k, "file:sha1:", fstr(f, "sha1"), 1);
		key_add(k, "file:md5:", fstr(f, "md5"), 1);
		if (json_array_size(k) == 0)
			key_add(k, "file:name:", fstr(f, "name"), 1);
	} else if (strcmp(kind, "filehash") == 0) {
		buf_init(&b);
		buf_printf(&b, "%s:%s", fstr(f, "algorithm") != NULL ?
		    fstr(f, "algorithm") : "", fstr(f, "value") != NULL ?
		    fstr(f, "value") : "");
		if (fstr(f, "value") != NULL)
			key_add(k, "hash:", buf_str(&b), 1);
		buf_release(&b);
	} else if (strcmp(kind, "process") == 0) {
		buf_init(&b);
		if (json_object_get(f, "process_id") != NULL &&
		    inc_text(json_object_get(f, "process_id"), num,
		    sizeof(num)) == 0) {
			buf_printf(&b, "%ld:%s", r->host, num);
			key_add(k, "proc:pid:", buf_str(&b), 0);
		} else if (fstr(f, "command_line") != NULL) {
			buf_printf(&b, "%ld:%s", r->host,
			    fstr(f, "command_line"));
			key_add(k, "proc:cmd:", buf_str(&b), 0);
		}
		buf_release(&b);
	} else if (strcmp(kind, "url") == 0) {
		key_add(k, "url:", fstr(f, "url"), 0);
	} else if (strcmp(kind, "domain") == 0) {
		key_add(k, "dom:", fstr(f, "domain"), 1);
	} else if (strcmp(kind, "mailbox") == 0) {
		key_add(k, "mbx:", fstr(f, "address"), 1);
		key_add(k, "mbx:upn:", fstr(f, "upn"), 1);
	} else if (strcmp(kind, "mailmessage") == 0) {
		key_add(k, "msg:nmid:", fstr(f, "network_message_id"), 1);
		key_add(k, "msg:imid:", fstr(f, "internet_message_id"), 0);
	} else if (strcmp(kind, "cloud_application") == 0) {
		key_add(k, "app:id:", fstr(f, "app_id"), 1);
		key_add(k, "app:name:", fstr(f, "name"), 1);
	} else if (strcmp(kind, "registry_key") == 0) {
		json_t *p = regkey_path(f);

		key_add(k, "rk:", json_string_value(p), 1);
		json_decref(p);
	} else if (strcmp(kind, "registry_value") == 0) {
		buf_init(&b);
		buf_printf(&b, "%s\\%s", fstr(f, "key") != NULL ?
		    fstr(f, "key") : "", fstr(f, "name") != NULL ?
		    fstr(f, "name") : "");
		key_add(k, "rv:", buf_str(&b), 1);
		buf_release(&b);
	}
	if (json_array_size(k) == 0 && raw != NULL) {
		/* No identity of its own: only an identical object is the
		 * same entity ("$id" aside, which differs per alert). */
		json_t *c = json_deep_copy(raw);
		char *d;

		json_object_del(c, "$id");
		d = json_dumps(c, JSON_COMPACT | JSON_SORT_KEYS);
		if (d != NULL) {
			buf_init(&b);
			buf_printf(&b, "%s:", kind);
			buf_adds(&b, d);
			key_add(k, "any:", buf_str(&b), 0);
			buf_release(&b);
		}
		free(d);
		json_decref(c);
	}
	return k;
}

/* Both have key and the values differ (strings compared ignoring case). */
static int
differ(const json_t *a, const json_t *b, const char *key)
{
	const json_t *x = json_object_get(a, key), *y = json_object_get(b, key);

	if (x == NULL || y == NULL || json_is_null(x) || json_is_null(y))
		return 0;
	if (json_is_string(x) && json_is_string(y))
		return strcasecmp(json_string_value(x),
		    json_string_value(y)) != 0;
	return !json_equal(x, y);
}

static int
same(const json_t *a, const json_t *b, const char *key)
{
	const json_t *x = json_object_get(a, key), *y = json_object_get(b, key);

	return json_is_string(x) && json_is_string(y) &&
	    strcasecmp(json_string_value(x), json_string_value(y)) == 0;
}

static int
differ_ref(long a, long b)
{
	return a >= 0 && b >= 0 && a != b;
}

/* Whether e and an entity with fields f and refs r cannot be the same. */
static int
ent_conflicts(const struct ent *e, const json_t *f, const struct refs *r)
{
	const json_t *g = e->fields;
	const char *k = e->kind;
	static const char *const hostk[] = { "hostname", "dns_domain",
	    "mde_device_id", "aad_device_id", "azure_id", NULL };
	static const char *const filek[] = { "path", "name", "md5", "sha1",
	    "sha256", NULL };
	static const char *const prock[] = { "process_id", "creation_time",
	    "command_line", NULL };
	const char *const *list = NULL;
	size_t i;

	if (strcmp(k, "host") == 0)
		list = hostk;
	else if (strcmp(k, "file") == 0)
		list = filek;
	else if (strcmp(k, "process") == 0) {
		if (differ_ref(e->host, r->host))
			return 1;
		list = prock;
	} else if (strcmp(k, "account") == 0) {
		if (differ(g, f, "sid") || differ(g, f, "aad_user_id") ||
		    differ(g, f, "object_guid") || differ(g, f, "upn"))
			return 1;
		if (same(g, f, "sid") || same(g, f, "aad_user_id"))
			return 0;
		return differ(g, f, "name") || differ(g, f, "nt_domain") ||
		    differ_ref(e->host, r->host);
	} else if (strcmp(k, "mailbox") == 0)
		return differ(g, f, "address");
	else if (strcmp(k, "mailmessage") == 0)
		return differ(g, f, "network_message_id") ||
		    differ(g, f, "internet_message_id");
	else if (strcmp(k, "cloud_application") == 0)
		return differ(g, f, "app_id");
	for (i = 0; list != NULL && list[i] != NULL; i++)
		if (differ(g, f, list[i]))
			return 1;
	return 0;
}

/* --- the set ------------------------------------------------------------ */

struct entset *
entset_new(json_t *warnings)
{
	struct entset *s = calloc(1, sizeof(*s));

	if (s == NULL)
		return NULL;
	s->index = json_object();
	s->warnings = warnings;
	if (s->index == NULL) {
		free(s);
		return NULL;
	}
	return s;
}

void
entset_free(struct entset *s)
{
	size_t i;

	if (s == NULL)
		return;
	for (i = 0; i < s->n; i++) {
		json_decref(s->v[i].fields);
		json_decref(s->v[i].alert_ids);
		json_decref(s->v[i].alert_set);
		json_decref(s->v[i].raw);
		json_decref(s->v[i].keys);
		free(s->v[i].mde);
	}
	free(s->v);
	json_decref(s->index);
	free(s);
}

static void
index_keys(struct entset *s, const json_t *keys, long idx)
{
	size_t i, j;
	const char *k;
	json_t *list;

	for (i = 0; i < json_array_size(keys); i++) {
		k = json_string_value(json_array_get(keys, i));
		list = json_object_get(s->index, k);
		if (list == NULL) {
			list = json_array();
			json_object_set_new(s->index, k, list);
		}
		for (j = 0; j < json_array_size(list); j++)
			if (json_integer_value(json_array_get(list, j)) == idx)
				break;
		if (j == json_array_size(list))
			json_array_append_new(list, json_integer(idx));
	}
}

static void
append_unique_str(json_t *arr, const char *s)
{
	size_t i;

	if (s == NULL)
		return;
	for (i = 0; i < json_array_size(arr); i++)
		if (strcmp(json_string_value(json_array_get(arr, i)), s) == 0)
			return;
	json_array_append_new(arr, json_string(s));
}

/* Records that alert_id names e (once; entities named by hundreds of
 * alerts are common). */
static void
ent_note_alert(struct ent *e, const char *alert_id)
{
	if (alert_id == NULL || json_object_get(e->alert_set, alert_id) != NULL)
		return;
	json_object_set_new(e->alert_set, alert_id, json_true());
	json_array_append_new(e->alert_ids, json_string(alert_id));
}

/*
 * Keeps an original object under raw, once.  The resolved Entities are
 * private copies and are kept by reference; anything else (the caller's
 * input) is copied.
 */
static void
ent_add_raw(struct ent *e, const json_t *raw, int shared)
{
	size_t i;

	if (raw == NULL)
		return;
	for (i = 0; i < json_array_size(e->raw); i++)
		if (json_array_get(e->raw, i) == raw ||
		    json_equal(json_array_get(e->raw, i), raw))
			return;
	if (json_array_size(e->raw) >= MAX_RAW) {
		e->raw_omitted++;
		return;
	}
	json_array_append_new(e->raw, shared ? json_incref((json_t *)raw) :
	    json_deep_copy(raw));
}

static void
ent_merge(struct entset *s, long idx, json_t *f, const struct refs *r,
    const json_t *raw, int shared, const char *alert_id)
{
	struct ent *e = &s->v[idx];
	struct refs er;
	const char *k;
	json_t *v, *keys;
	size_t i, j;

	json_object_foreach(f, k, v)
		if (json_object_get(e->fields, k) == NULL)
			json_object_set(e->fields, k, v);
	if (e->account < 0)
		e->account = r->account;
	if (e->host < 0)
		e->host = r->host;
	if (e->image < 0)
		e->image = r->image;
	if (e->parent < 0)
		e->parent = r->parent;
	if (e->derived < 0)
		e->derived = r->derived;
	if (e->mde == NULL && r->mde != NULL)
		e->mde = strdup(r->mde);
	ent_note_alert(e, alert_id);
	ent_add_raw(e, raw, shared);
	/* What was learnt may be new keys (a SID, a hash). */
	refs_init(&er);
	er.host = e->host;
	keys = ent_keys(e->kind, e->fields, &er, NULL);
	for (i = 0; i < json_array_size(keys); i++) {
		const char *ks = json_string_value(json_array_get(keys, i));

		for (j = 0; j < json_array_size(e->keys); j++)
			if (strcmp(json_string_value(json_array_get(e->keys,
			    j)), ks) == 0)
				break;
		if (j == json_array_size(e->keys))
			json_array_append(e->keys, json_array_get(keys, i));
	}
	index_keys(s, e->keys, idx);
	json_decref(keys);
}

/*
 * Adds an entity (f is stolen; raw is kept, see ent_add_raw) or merges it
 * into the one it is.  Returns its index, or -1 when memory ran out.
 */
static long
ent_add(struct entset *s, const char *kind, json_t *f, const struct refs *r,
    const json_t *raw, int shared, const char *alert_id)
{
	json_t *keys, *list;
	struct ent *e;
	size_t i, j;
	long idx;

	if (f == NULL)
		return -1;
	keys = ent_keys(kind, f, r, raw);
	for (i = 0; i < json_array_size(keys); i++) {
		list = json_object_get(s->index,
		    json_string_value(json_array_get(keys, i)));
		for (j = 0; j < json_array_size(list); j++) {
			idx = (long)json_integer_value(json_array_get(list, j));
			if (strcmp(s->v[idx].kind, kind) != 0 ||
			    ent_conflicts(&s->v[idx], f, r))
				continue;
			ent_merge(s, idx, f, r, raw, shared, alert_id);
			json_decref(keys);
			json_decref(f);
			return idx;
		}
	}
	if (s->n == s->cap) {
		size_t cap = s->cap == 0 ? 16 : s->cap * 2;
		struct ent *v = realloc(s->v, cap * sizeof(*v));

		if (v == NULL) {
			json_decref(keys);
			json_decref(f);
			return -1;
		}
		s->v = v;
		s->cap = cap;
	}
	idx = (long)s->n++;
	e = &s->v[idx];
	memset(e, 0, sizeof(*e));
	e->kind = kind;
	e->fields = f;
	e->alert_ids = json_array();
	e->alert_set = json_object();
	e->raw = json_array();
	e->keys = keys;
	e->account = r->account;
	e->host = r->host;
	e->image = r->image;
	e->parent = r->parent;
	e->derived = r->derived;
	e->merged_into = -1;
	e->mde = r->mde != NULL ? strdup(r->mde) : NULL;
	ent_note_alert(e, alert_id);
	ent_add_raw(e, raw, shared);
	index_keys(s, keys, idx);
	return idx;
}

static void
mention(struct walk *w, long idx)
{
	char key[32];

	if (idx < 0 || w->mentioned == NULL)
		return;
	snprintf(key, sizeof(key), "%ld", idx);
	if (json_object_get(w->mset, key) != NULL)
		return;
	json_object_set_new(w->mset, key, json_true());
	json_array_append_new(w->mentioned, json_integer(idx));
}

/* A URL names a domain: that is an entity too. */
static void
derive_domain(struct walk *w, long url_idx)
{
	const char *url = fstr(w->s->v[url_idx].fields, "url");
	char host[256];
	struct refs r;
	json_t *f;
	long d;

	if (url == NULL || ioc_url_host(url, host, sizeof(host)) != 0 ||
	    !ioc_is_domain(host))
		return;
	f = json_object();
	json_object_set_new(f, "domain", json_string(host));
	domain_fields(f, f);	/* lower case, no trailing dot */
	refs_init(&r);
	r.derived = url_idx;
	d = ent_add(w->s, "domain", f, &r, NULL, 0, w->alert_id);
	mention(w, d);
}

/* The most addresses and users taken from one host. */
#define MAX_HOST_EXTRAS	32

static void
host_ip(struct walk *w, long host_idx, const char *addr)
{
	json_t *f, *obj;
	struct refs r;
	enum ioc_kind k;
	long idx;

	k = ioc_classify(addr);
	if (k != IOC_IPV4 && k != IOC_IPV6)
		return;
	obj = json_pack("{s:s}", "Address", addr);
	f = json_object();
	ip_fields(obj, f);
	json_decref(obj);
	refs_init(&r);
	r.host = host_idx;
	idx = ent_add(w->s, "ip", f, &r, NULL, 0, w->alert_id);
	mention(w, idx);
}

/*
 * What a host entity says beyond itself: its addresses (MDE's last and
 * last external address, Graph's ipInterfaces) are ip entities linked to
 * it, and the users logged on to it (Graph's loggedOnUsers) accounts; a
 * user of the host's own name domain is a local account of that host.
 */
static void
host_extras(struct walk *w, long host_idx, const json_t *p)
{
	static const char *const one[] = { "LastIpAddress",
	    "LastExternalIpAddress", NULL };
	const char *const *k, *dom, *name, *nb;
	const json_t *list, *v;
	struct refs r;
	json_t *f;
	size_t i;
	long idx;

	for (k = one; *k != NULL; k++)
		if ((name = inc_str(p, (const char *const[]){ *k, NULL })) !=
		    NULL)
			host_ip(w, host_idx, name);
	list = inc_get(p, NAMES("ipInterfaces", "IpInterfaces"));
	json_array_foreach(list, i, v) {
		if (i >= MAX_HOST_EXTRAS)
			break;
		if (json_is_string(v))
			host_ip(w, host_idx, json_string_value(v));
		else if (json_is_object(v) && (name = inc_str(v,
		    NAMES("ipAddress", "Address"))) != NULL)
			host_ip(w, host_idx, name);
	}
	list = inc_get(p, NAMES("loggedOnUsers", "LoggedOnUsers"));
	json_array_foreach(list, i, v) {
		if (i >= MAX_HOST_EXTRAS)
			break;
		if (!json_is_object(v))
			continue;
		f = json_object();
		account_fields(v, f);
		if (fstr(f, "name") == NULL) {
			json_decref(f);
			continue;
		}
		refs_init(&r);
		dom = fstr(f, "nt_domain");
		name = fstr(w->s->v[host_idx].fields, "hostname");
		nb = fstr(w->s->v[host_idx].fields, "netbios_name");
		if (dom != NULL && ((name != NULL && strcasecmp(dom,
		    name) == 0) || (nb != NULL && strcasecmp(dom, nb) == 0)))
			r.host = host_idx;
		idx = ent_add(w->s, "account", f, &r, v, 0, w->alert_id);
		mention(w, idx);
	}
}

/* --- SecurityAlert.Entities: resolving $ref ----------------------------- */

/*
 * Each entity is copied once: a later reference to it shares that copy
 * (and pays for its size from the budget, so what is eventually written
 * out stays bounded too).  A copy in which a cycle or the depth limit cut
 * something short depends on where it was made, and is not shared.
 */
struct resolver {
	json_t	*map;		/* $id -> object (borrowed) */
	json_t	*busy;		/* $ids being copied: a cycle if met again */
	json_t	*done;		/* $id -> [copy, nodes]: copies to share */
	json_t	*warnings;
	size_t	 budget;	/* nodes the copies may still expand to */
	size_t	 cuts;		/* things left unresolved so far */
	int	 exhausted;
};

/* The $id or $ref of a node as text ("3"), or -1 when it has none. */
static int
ref_text(const json_t *obj, const char *key, char *out, size_t outsz)
{
	return inc_text(json_object_get(obj, key), out, outsz);
}

static void
resolve_map(struct resolver *r, const json_t *node, int depth)
{
	const char *k;
	json_t *v;
	char id[64];
	size_t i;

	if (depth > MAX_DEPTH)
		return;
	if (json_is_object(node)) {
		if (ref_text(node, "$id", id, sizeof(id)) == 0) {
			if (json_object_get(r->map, id) == NULL)
				json_object_set(r->map, id, (json_t *)node);
			else
				warn_snip(r->warnings, "entities: $id \"%s\" "
				    "appears more than once; the first is used",
				    id);
		}
		json_object_foreach((json_t *)node, k, v)
			resolve_map(r, v, depth + 1);
	} else if (json_is_array(node)) {
		for (i = 0; i < json_array_size(node); i++)
			resolve_map(r, json_array_get(node, i), depth + 1);
	}
}

static json_t *
resolve_copy(struct resolver *r, const json_t *node, int depth)
{
	const json_t *target, *done;
	const char *k;
	json_t *v, *out;
	char id[64];
	size_t i, start = r->budget, cuts = r->cuts, size;
	int own, canonical;

	if (r->budget == 0 || depth > MAX_DEPTH) {
		if (!r->exhausted)
			inc_warn(r->warnings, "entities: references nest too "
			    "deep or expand too far; the rest are left as "
			    "they are");
		r->exhausted = 1;
		r->cuts++;
		return json_null();
	}
	r->budget--;
	if (json_is_array(node)) {
		out = json_array();
		for (i = 0; i < json_array_size(node); i++)
			json_array_append_new(out, resolve_copy(r,
			    json_array_get(node, i), depth + 1));
		return out;
	}
	if (!json_is_object(node))
		return json_deep_copy(node);	/* a scalar */
	if (json_object_get(node, "$ref") != NULL) {
		if (ref_text(node, "$ref", id, sizeof(id)) != 0) {
			inc_warn(r->warnings, "entities: a $ref that is not "
			    "a string or number is left unresolved");
			return json_deep_copy(node);
		}
		target = json_object_get(r->map, id);
		if (target == NULL) {
			warn_snip(r->warnings, "entities: $ref \"%s\" names "
			    "no entity; left unresolved", id);
			return json_deep_copy(node);
		}
		if (json_object_get(r->busy, id) != NULL) {
			warn_snip(r->warnings, "entities: $ref \"%s\" refers "
			    "to itself through a cycle; left unresolved", id);
			r->cuts++;
			return json_deep_copy(node);
		}
		r->budget++;		/* the reference itself is not copied */
		return resolve_copy(r, target, depth + 1);
	}
	own = ref_text(node, "$id", id, sizeof(id)) == 0 &&
	    json_object_get(r->busy, id) == NULL;
	canonical = own && json_object_get(r->map, id) == node;
	if (canonical && (done = json_object_get(r->done, id)) != NULL) {
		size = (size_t)json_integer_value(json_array_get(done, 1));
		if (size > start) {
			r->budget = 0;
			return resolve_copy(r, node, depth);	/* exhausted */
		}
		r->budget = start - size;
		return json_incref(json_array_get(done, 0));
	}
	if (own)
		json_object_set_new(r->busy, id, json_true());
	out = json_object();
	json_object_foreach((json_t *)node, k, v)
		json_object_set_new(out, k, resolve_copy(r, v, depth + 1));
	if (own)
		json_object_del(r->busy, id);
	if (canonical && r->cuts == cuts)
		json_object_set_new(r->done, id, json_pack("[O,I]", out,
		    (json_int_t)(start - r->budget)));
	return out;
}

json_t *
incident_entities_resolve(const json_t *entities, json_t *warnings)
{
	struct resolver r;
	json_t *list, *out, *seen, *e;
	const json_t *el;
	char id[64];
	size_t i;

	list = inc_dyn(entities);
	if (json_is_object(list)) {
		/* One entity on its own: a list of one. */
		json_t *a = json_array();

		json_array_append_new(a, list);
		list = a;
	}
	if (!json_is_array(list)) {
		json_decref(list);
		return NULL;
	}
	memset(&r, 0, sizeof(r));
	r.map = json_object();
	r.busy = json_object();
	r.done = json_object();
	r.warnings = warnings;
	r.budget = RESOLVE_BUDGET;
	resolve_map(&r, list, 0);
	out = json_array();
	seen = json_object();
	for (i = 0; i < json_array_size(list); i++) {
		el = json_array_get(list, i);
		if (!json_is_object(el)) {
			inc_warn(warnings, "entities: item %zu is not an "
			    "object; skipped", i + 1);
			continue;
		}
		e = resolve_copy(&r, el, 0);
		if (!json_is_object(e) || json_object_get(e, "$ref") != NULL) {
			json_decref(e);		/* dangling: nothing in it */
			continue;
		}
		if (ref_text(e, "$id", id, sizeof(id)) == 0) {
			if (json_object_get(seen, id) != NULL) {
				json_decref(e);
				continue;
			}
			json_object_set_new(seen, id, json_true());
		}
		json_array_append_new(out, e);
	}
	json_decref(seen);
	json_decref(r.done);
	json_decref(r.busy);
	json_decref(r.map);
	json_decref(list);
	return out;
}

/* --- walking SecurityAlert and REST entity lists ------------------------ */

static long walk_entity(struct walk *w, const json_t *node, int depth);

static const json_t *
props(const struct walk *w, const json_t *node)
{
	return w->rest ? json_object_get(node, "properties") : node;
}

/* A linked entity: an inline (resolved) object, or a REST entity id. */
static const json_t *
child(const struct walk *w, const json_t *p, const char *sa, const char *rest)
{
	const json_t *v;

	if (w->rest) {
		v = json_object_get(p, rest);
		if (!json_is_string(v))
			return NULL;
		return json_object_get(w->restmap, json_string_value(v));
	}
	v = inc_get(p, NAMES(sa));
	if (!json_is_object(v) || json_object_get(v, "$ref") != NULL)
		return NULL;
	return v;
}

/*
 * What a node is remembered by: its $id (SA) or ARM id (REST), else the
 * node itself, so that an entity nested without an id and reached twice
 * (by name and by the walk over its parent's members) is walked once.
 */
static int
memo_key(const struct walk *w, const json_t *node, char *out, size_t outsz)
{
	int r;

	if (w->rest)
		r = inc_text(json_object_get(node, "id"), out, outsz);
	else
		r = ref_text(node, "$id", out, outsz);
	if (r == 0 && strlen(out) + 3 < outsz) {
		memmove(out + 3, out, strlen(out) + 1);
		memcpy(out, "id:", 3);
		return 0;
	}
	snprintf(out, outsz, "at:%p", (const void *)node);
	return 0;
}

/* Every linked entity not handled by name: nested objects with a Type
 * (SA) or members named ...EntityId(s) (REST). */
static void
walk_nested(struct walk *w, const json_t *p, int depth)
{
	const char *k;
	json_t *v, *x;
	size_t i, n;

	json_object_foreach((json_t *)p, k, v) {
		if (w->rest) {
			n = strlen(k);
			if (n > 8 && strcmp(k + n - 8, "EntityId") == 0 &&
			    json_is_string(v))
				mention(w, walk_entity(w, json_object_get(
				    w->restmap, json_string_value(v)), depth));
			else if (n > 9 && strcmp(k + n - 9, "EntityIds") == 0)
				for (i = 0; i < json_array_size(v); i++) {
					x = json_array_get(v, i);
					if (json_is_string(x))
						mention(w, walk_entity(w,
						    json_object_get(w->restmap,
						    json_string_value(x)),
						    depth));
				}
			continue;
		}
		if (json_is_object(v) && json_object_get(v, "Type") != NULL)
			mention(w, walk_entity(w, v, depth));
		else if (json_is_array(v))
			for (i = 0; i < json_array_size(v); i++) {
				x = json_array_get(v, i);
				if (json_is_object(x) &&
				    json_object_get(x, "Type") != NULL)
					mention(w, walk_entity(w, x, depth));
			}
	}
}

static void
file_hashes(struct walk *w, const json_t *p, json_t *f)
{
	const json_t *list, *h, *hp;
	size_t i;

	list = w->rest ? json_object_get(p, "fileHashEntityIds") :
	    inc_get(p, NAMES("FileHashes"));
	for (i = 0; i < json_array_size(list); i++) {
		h = json_array_get(list, i);
		if (w->rest)
			h = json_is_string(h) ? json_object_get(w->restmap,
			    json_string_value(h)) : NULL;
		hp = h != NULL ? props(w, h) : NULL;
		if (json_is_object(hp))
			add_hash(f, inc_str(hp, NAMES("Algorithm")),
			    inc_str(hp, NAMES("Value", "hashValue")));
	}
}

static long
walk_entity(struct walk *w, const json_t *node, int depth)
{
	const json_t *p, *c;
	const char *kind, *type;
	struct refs r;
	json_t *f, *m;
	char id[256];
	int has_id;
	long idx;

	if (!json_is_object(node) || depth > MAX_DEPTH)
		return -1;
	p = props(w, node);
	if (!json_is_object(p))
		return -1;
	has_id = memo_key(w, node, id, sizeof(id)) == 0;
	if (has_id && (m = json_object_get(w->memo, id)) != NULL) {
		idx = (long)json_integer_value(m);
		return idx >= 0 ? idx : -1;	/* -2: a cycle */
	}
	if (has_id)
		json_object_set_new(w->memo, id, json_integer(-2));
	type = w->rest ? jx_str(node, "kind") : inc_str(node, NAMES("Type"));
	if (type == NULL) {
		/* Not an entity (or what is left of one cut short). */
		if (depth == 0)
			inc_warn(w->s->warnings, "entities: an item without "
			    "a %s; skipped", w->rest ? "kind" : "Type");
		return -1;
	}
	kind = kind_norm(type);
	refs_init(&r);
	f = json_object();
	kind_fields(kind, p, f);
	if (strcmp(kind, "account") == 0) {
		r.host = walk_entity(w, child(w, p, "Host", "hostEntityId"),
		    depth + 1);
	} else if (strcmp(kind, "file") == 0) {
		file_hashes(w, p, f);
		r.host = walk_entity(w, child(w, p, "Host", "hostEntityId"),
		    depth + 1);
	} else if (strcmp(kind, "process") == 0) {
		r.image = walk_entity(w, child(w, p, "ImageFile",
		    "imageFileEntityId"), depth + 1);
		r.parent = walk_entity(w, child(w, p, "ParentProcess",
		    "parentProcessEntityId"), depth + 1);
		r.account = walk_entity(w, child(w, p, "Account",
		    "accountEntityId"), depth + 1);
		r.host = walk_entity(w, child(w, p, "Host", "hostEntityId"),
		    depth + 1);
		/* The image file is on the process's host. */
		if (r.image >= 0 && r.host >= 0 && w->s->v[r.image].host < 0)
			w->s->v[r.image].host = r.host;
	} else if (strcmp(kind, "registry_value") == 0) {
		c = child(w, p, "Key", "keyEntityId");
		if (c != NULL && json_is_object(props(w, c))) {
			json_t *kf = json_object(), *path;

			regkey_fields(props(w, c), kf);
			path = regkey_path(kf);
			if (path != NULL)
				json_object_set_new(f, "key", path);
			json_decref(kf);
		}
	} else if (strcmp(kind, "other") == 0) {
		set_new(f, "original_type", type != NULL ? json_string(type) :
		    NULL);
	}
	mention(w, r.account);
	mention(w, r.host);
	mention(w, r.image);
	mention(w, r.parent);
	walk_nested(w, p, depth + 1);
	idx = ent_add(w->s, kind, f, &r, node, !w->rest, w->alert_id);
	if (has_id)
		json_object_set_new(w->memo, id, json_integer(idx));
	mention(w, idx);
	if (idx >= 0 && strcmp(kind, "url") == 0)
		derive_domain(w, idx);
	if (idx >= 0 && strcmp(kind, "host") == 0)
		host_extras(w, idx, p);
	return idx;
}

static void
walk_init(struct walk *w, struct entset *s, int rest, const char *alert_id)
{
	memset(w, 0, sizeof(*w));
	w->s = s;
	w->rest = rest;
	w->alert_id = alert_id;
	w->memo = json_object();
	w->mentioned = json_array();
	w->mset = json_object();
}

static json_t *
walk_done(struct walk *w)
{
	json_decref(w->memo);
	json_decref(w->restmap);
	json_decref(w->mset);
	return w->mentioned;
}

json_t *
entset_add_sa(struct entset *s, const json_t *entities, const char *alert_id)
{
	struct walk w;
	json_t *list;
	size_t i;

	list = incident_entities_resolve(entities, s->warnings);
	if (list == NULL)
		return NULL;
	walk_init(&w, s, 0, alert_id);
	for (i = 0; i < json_array_size(list); i++)
		mention(&w, walk_entity(&w, json_array_get(list, i), 0));
	json_decref(list);
	return walk_done(&w);
}

json_t *
entset_add_rest(struct entset *s, const json_t *entities, const char *alert_id)
{
	const json_t *list = entities, *e;
	struct walk w;
	char id[256];
	size_t i;

	if (json_is_object(list))
		list = json_object_get(entities, "entities") != NULL ?
		    json_object_get(entities, "entities") :
		    json_object_get(entities, "value");
	if (!json_is_array(list))
		return NULL;
	walk_init(&w, s, 1, alert_id);
	w.restmap = json_object();
	for (i = 0; i < json_array_size(list); i++) {
		e = json_array_get(list, i);
		if (inc_text(json_object_get(e, "id"), id, sizeof(id)) == 0 &&
		    json_object_get(w.restmap, id) == NULL)
			json_object_set(w.restmap, id, (json_t *)e);
	}
	for (i = 0; i < json_array_size(list); i++) {
		e = json_array_get(list, i);
		if (!json_is_object(e) ||
		    !json_is_object(json_object_get(e, "properties"))) {
			inc_warn(s->warnings, "entities: item %zu has no "
			    "properties; skipped", i + 1);
			continue;
		}
		mention(&w, walk_entity(&w, e, 0));
	}
	return walk_done(&w);
}

/* --- Graph evidence ----------------------------------------------------- */

/* The part of "#microsoft.graph.security.processEvidence" after the last
 * dot. */
static const char *
evidence_type(const json_t *ev)
{
	const char *t = jx_str(ev, "@odata.type"), *dot;

	if (t == NULL)
		return "";
	dot = strrchr(t, '.');
	return dot != NULL ? dot + 1 : t;
}

static long
graph_account(struct walk *w, const json_t *ua, const json_t *raw)
{
	struct refs r;
	json_t *f;
	long idx;

	if (!json_is_object(ua))
		return -1;
	f = json_object();
	account_fields(ua, f);
	if (json_object_size(f) == 0) {
		json_decref(f);
		return -1;
	}
	refs_init(&r);
	idx = ent_add(w->s, "account", f, &r, raw, 0, w->alert_id);
	mention(w, idx);
	return idx;
}

static long
graph_file(struct walk *w, const json_t *fd, const char *mde,
    const json_t *raw)
{
	struct refs r;
	json_t *f;
	long idx;

	if (!json_is_object(fd))
		return -1;
	f = json_object();
	file_fields(fd, f);
	if (json_object_size(f) == 0) {
		json_decref(f);
		return -1;
	}
	refs_init(&r);
	r.mde = mde;
	idx = ent_add(w->s, "file", f, &r, raw, 0, w->alert_id);
	mention(w, idx);
	return idx;
}

static long
graph_evidence(struct walk *w, const json_t *ev)
{
	const char *t = evidence_type(ev), *kind = "other";
	const json_t *x;
	struct refs r;
	json_t *f;
	long idx;

	refs_init(&r);
	f = json_object();
	r.mde = inc_str(ev, NAMES("mdeDeviceId"));
	if (strcmp(t, "deviceEvidence") == 0) {
		kind = "host";
		host_fields(ev, f);
		r.mde = NULL;
	} else if (strcmp(t, "userEvidence") == 0) {
		json_decref(f);
		return graph_account(w, json_object_get(ev, "userAccount"), ev);
	} else if (strcmp(t, "ipEvidence") == 0) {
		kind = "ip";
		ip_fields(ev, f);
	} else if (strcmp(t, "urlEvidence") == 0) {
		kind = "url";
		set_str(f, "url", ev, NAMES("url"));
	} else if (strcmp(t, "fileEvidence") == 0) {
		json_decref(f);
		return graph_file(w, json_object_get(ev, "fileDetails"), r.mde,
		    ev);
	} else if (strcmp(t, "processEvidence") == 0) {
		kind = "process";
		process_fields(ev, f);
		x = json_object_get(ev, "imageFile");
		r.image = graph_file(w, x, r.mde, x);
		r.account = graph_account(w, json_object_get(ev,
		    "userAccount"), json_object_get(ev, "userAccount"));
		if (json_object_get(ev, "parentProcessId") != NULL) {
			json_t *pp = json_object(), *img;

			set_number(pp, "process_id", ev,
			    NAMES("parentProcessId"));
			set_time(pp, "creation_time", ev,
			    NAMES("parentProcessCreationDateTime"));
			x = json_object_get(ev, "parentProcessImageFile");
			if (json_is_object(x)) {
				img = json_object();
				file_fields(x, img);
				json_object_set_new(pp, "image", img);
			}
			json_object_set_new(f, "parent", pp);
		}
	} else if (strcmp(t, "mailboxEvidence") == 0) {
		kind = "mailbox";
		mailbox_fields(ev, f);
	} else if (strcmp(t, "analyzedMessageEvidence") == 0) {
		kind = "mailmessage";
		mailmessage_fields(ev, f);
	} else if (strcmp(t, "cloudApplicationEvidence") == 0 ||
	    strcmp(t, "oauthApplicationEvidence") == 0) {
		kind = "cloud_application";
		cloudapp_fields(ev, f);
	} else if (strcmp(t, "registryKeyEvidence") == 0) {
		kind = "registry_key";
		regkey_fields(ev, f);
	} else if (strcmp(t, "registryValueEvidence") == 0) {
		json_t *kf = json_object(), *path;

		kind = "registry_value";
		regvalue_fields(ev, f);
		regkey_fields(ev, kf);
		path = regkey_path(kf);
		if (path != NULL)
			json_object_set_new(f, "key", path);
		json_decref(kf);
	} else {
		set_new(f, "original_type", *t != '\0' ? json_string(t) :
		    NULL);
	}
	idx = ent_add(w->s, kind, f, &r, ev, 0, w->alert_id);
	mention(w, idx);
	if (idx >= 0 && strcmp(kind, "url") == 0)
		derive_domain(w, idx);
	if (idx >= 0 && strcmp(kind, "host") == 0)
		host_extras(w, idx, ev);
	return idx;
}

json_t *
entset_add_graph(struct entset *s, const json_t *evidence,
    const char *alert_id)
{
	struct walk w;
	size_t i;

	if (!json_is_array(evidence))
		return NULL;
	walk_init(&w, s, 0, alert_id);
	for (i = 0; i < json_array_size(evidence); i++) {
		if (!json_is_object(json_array_get(evidence, i))) {
			inc_warn(s->warnings, "evidence: item %zu is not an "
			    "object; skipped", i + 1);
			continue;
		}
		graph_evidence(&w, json_array_get(evidence, i));
	}
	return walk_done(&w);
}

/* --- finishing: numbering, flags, output -------------------------------- */

static long
final_of(const struct entset *s, long idx)
{
	int hops = 0;

	while (idx >= 0 && s->v[idx].merged_into >= 0 && hops++ < 8)
		idx = s->v[idx].merged_into;
	return idx;
}

/* Graph names a process's or file's device by id: find that host. */
static void
link_devices(struct entset *s)
{
	json_t *list;
	size_t i, j;
	char *k;

	for (i = 0; i < s->n; i++) {
		if (s->v[i].mde == NULL || s->v[i].host >= 0)
			continue;
		k = lower_dup(s->v[i].mde);
		if (k == NULL)
			continue;
		{
			struct buf b;

			buf_init(&b);
			buf_printf(&b, "host:mde:%s", k);
			list = json_object_get(s->index, buf_str(&b));
			buf_release(&b);
		}
		free(k);
		for (j = 0; j < json_array_size(list); j++) {
			long h = (long)json_integer_value(json_array_get(list,
			    j));

			if (strcmp(s->v[h].kind, "host") == 0) {
				s->v[i].host = h;
				break;
			}
		}
	}
}

/* A file hash that belongs to a file in the incident is that file. */
static void
fold_hashes(struct entset *s)
{
	struct ent *e;
	const char *alg, *val;
	json_t *list;
	struct buf b;
	size_t i, j, k;
	long f;

	for (i = 0; i < s->n; i++) {
		e = &s->v[i];
		if (strcmp(e->kind, "filehash") != 0)
			continue;
		alg = fstr(e->fields, "algorithm");
		val = fstr(e->fields, "value");
		if (alg == NULL || val == NULL)
			continue;
		buf_init(&b);
		buf_printf(&b, "file:%s:%s", alg, val);
		list = json_object_get(s->index, buf_str(&b));
		buf_release(&b);
		for (j = 0; j < json_array_size(list); j++) {
			f = (long)json_integer_value(json_array_get(list, j));
			if (strcmp(s->v[f].kind, "file") != 0 ||
			    s->v[f].merged_into >= 0)
				continue;
			e->merged_into = f;
			for (k = 0; k < json_array_size(e->alert_ids); k++)
				ent_note_alert(&s->v[f], json_string_value(
				    json_array_get(e->alert_ids, k)));
			break;
		}
	}
}

static void
set_ref(json_t *out, const char *key, const json_t *ids, long idx,
    const struct entset *s)
{
	idx = final_of(s, idx);
	if (idx >= 0 && json_array_get(ids, (size_t)idx) != NULL &&
	    json_is_string(json_array_get(ids, (size_t)idx)))
		json_object_set(out, key, json_array_get(ids, (size_t)idx));
}

static json_t *
image_of(const struct entset *s, long idx)
{
	static const char *const keep[] = { "name", "directory", "path",
	    "md5", "sha1", "sha256", NULL };
	json_t *img;
	size_t i;

	idx = final_of(s, idx);
	if (idx < 0 || strcmp(s->v[idx].kind, "file") != 0)
		return NULL;
	img = json_object();
	for (i = 0; keep[i] != NULL; i++)
		if (json_object_get(s->v[idx].fields, keep[i]) != NULL)
			json_object_set(img, keep[i],
			    json_object_get(s->v[idx].fields, keep[i]));
	return img;
}

static void
ent_flags(const struct entset *s, const struct ent *e, json_t *out,
    json_t *flags)
{
	const char *sid, *flag, *cmd, *img = NULL;
	const json_t *pub;
	char *decoded;

	if (strcmp(e->kind, "account") == 0) {
		sid = fstr(e->fields, "sid");
		flag = sid != NULL ? incident_sid_flag(sid) : NULL;
		if (flag != NULL)
			json_array_append_new(flags, json_string(flag));
	} else if (strcmp(e->kind, "ip") == 0) {
		pub = json_object_get(e->fields, "public");
		if (json_is_boolean(pub))
			json_array_append_new(flags, json_string(
			    json_is_true(pub) ? "public_ip" : "private_ip"));
	} else if (strcmp(e->kind, "process") == 0) {
		cmd = fstr(e->fields, "command_line");
		if (e->image >= 0)
			img = fstr(s->v[final_of(s, e->image)].fields, "name");
		if (cmd == NULL)
			return;
		incident_cmdline_flags(cmd, img, flags);
		decoded = incident_decode_command(cmd);
		if (decoded != NULL)
			json_object_set_new(out, "decoded_command",
			    json_string(decoded));
		free(decoded);
	}
}

json_t *
entset_finish(struct entset *s, json_t *alerts)
{
	json_t *out, *ids, *o, *flags, *img, *par, *alert, *eids, *neids;
	const char *k;
	json_t *v;
	struct ent *e;
	size_t i, j, n = 0;
	long idx;
	char id[32];

	link_devices(s);
	fold_hashes(s);
	ids = json_array();
	for (i = 0; i < s->n; i++) {
		if (s->v[i].merged_into >= 0) {
			json_array_append_new(ids, json_null());
			continue;
		}
		snprintf(id, sizeof(id), "e%zu", ++n);
		json_array_append_new(ids, json_string(id));
	}
	out = json_array();
	for (i = 0; i < s->n; i++) {
		e = &s->v[i];
		if (e->merged_into >= 0)
			continue;
		o = json_object();
		json_object_set(o, "id", json_array_get(ids, i));
		json_object_set_new(o, "kind", json_string(e->kind));
		json_object_foreach(e->fields, k, v)
			json_object_set(o, k, v);
		if (strcmp(e->kind, "process") == 0) {
			if (json_object_get(o, "image") == NULL &&
			    (img = image_of(s, e->image)) != NULL)
				json_object_set_new(o, "image", img);
			idx = final_of(s, e->parent);
			if (json_object_get(o, "parent") == NULL && idx >= 0) {
				par = json_object();
				set_new(par, "process_id", json_incref(
				    json_object_get(s->v[idx].fields,
				    "process_id")));
				set_new(par, "command_line", json_incref(
				    json_object_get(s->v[idx].fields,
				    "command_line")));
				set_new(par, "creation_time", json_incref(
				    json_object_get(s->v[idx].fields,
				    "creation_time")));
				if ((img = image_of(s, s->v[idx].image)) !=
				    NULL)
					json_object_set_new(par, "image", img);
				json_object_set_new(o, "parent", par);
			}
			set_ref(o, "image_id", ids, e->image, s);
			set_ref(o, "parent_id", ids, e->parent, s);
			set_ref(o, "account_id", ids, e->account, s);
		}
		if (strcmp(e->kind, "process") == 0 ||
		    strcmp(e->kind, "account") == 0 ||
		    strcmp(e->kind, "file") == 0 ||
		    strcmp(e->kind, "ip") == 0)
			set_ref(o, "host_id", ids, e->host, s);
		if (strcmp(e->kind, "domain") == 0)
			set_ref(o, "derived_from", ids, e->derived, s);
		flags = json_array();
		ent_flags(s, e, o, flags);
		json_object_set_new(o, "flags", flags);
		json_object_set(o, "alert_ids", e->alert_ids);
		json_object_set(o, "raw", e->raw);
		if (e->raw_omitted > 0)
			json_object_set_new(o, "raw_omitted",
			    json_integer((json_int_t)e->raw_omitted));
		json_array_append_new(out, o);
	}
	for (i = 0; i < json_array_size(alerts); i++) {
		alert = json_array_get(alerts, i);
		eids = json_object_get(alert, "entity_ids");
		neids = json_array();
		for (j = 0; j < json_array_size(eids); j++) {
			v = json_array_get(eids, j);
			if (!json_is_integer(v))
				continue;
			idx = final_of(s, (long)json_integer_value(v));
			if (idx < 0 || (size_t)idx >= s->n)
				continue;
			append_unique_str(neids, json_string_value(
			    json_array_get(ids, (size_t)idx)));
		}
		json_object_set_new(alert, "entity_ids", neids);
	}
	json_decref(ids);
	return out;
}

json_t *
incident_entities(const json_t *entities, const char *alert_id,
    json_t *warnings)
{
	struct entset *s = entset_new(warnings);
	json_t *m, *out;

	if (s == NULL)
		return NULL;
	m = entset_add_sa(s, entities, alert_id);
	if (m == NULL) {
		entset_free(s);
		return NULL;
	}
	json_decref(m);
	out = entset_finish(s, NULL);
	entset_free(s);
	return out;
}
