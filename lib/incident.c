/*
 * incident: detecting which form an incident arrived in and building the
 * incident record from it.  Log Analytics rows come one per update of an
 * incident or alert, so the newest row of each wins; alerts join their
 * incident through AlertIds (or arrive already joined, one row per
 * alert); alerts with no incident row become one incident of their own.
 * The Sentinel REST and Graph shapes carry their alerts (and, for REST,
 * the entities) beside the incident.  Column and property names are
 * matched without regard to case, which is what lets PascalCase table
 * columns, camelCase REST properties and PowerShell's flattened objects
 * share one mapping.
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
#include "isotime.h"
#include "jsonx.h"

#define NAMES(...)	((const char *const[]){ __VA_ARGS__, NULL })
/* Exports nest lists in lists at most this deep before we give up. */
#define MAX_NEST	4

enum form {
	FORM_UNKNOWN,
	FORM_RECORD,	/* {"type":"incident"} */
	FORM_TABLES,	/* a Log Analytics query response */
	FORM_COLUMNS,	/* triage-kql --format json */
	FORM_LIST,	/* {"value": [...]}: a REST or Graph page */
	FORM_REST,	/* a Sentinel REST incident */
	FORM_GRAPH,	/* a Graph security incident */
	FORM_ROW	/* a SecurityIncident or SecurityAlert row */
};

enum alert_form {
	ALERT_ROW,	/* a SecurityAlert row (or a REST alert's properties) */
	ALERT_JOINED,	/* alert columns in an incident row */
	ALERT_GRAPH	/* a Graph alert with evidence */
};

struct norm {
	const char	*source;
	json_t		*warnings;
	json_t		*out;		/* incident records */
	json_t		*rows;		/* row objects, in order */
	char		*err;
	size_t		 errsz;
};

/* --- small helpers ------------------------------------------------------ */

static const char *const severity_names[] = { "Informational", "Low",
    "Medium", "High", "Critical", NULL };

int
incident_severity_rank(const char *s)
{
	size_t i;

	for (i = 0; s != NULL && severity_names[i] != NULL; i++)
		if (strcasecmp(s, severity_names[i]) == 0)
			return (int)i + 1;
	return 0;
}

const char *
incident_severity_name(const char *s)
{
	int r = incident_severity_rank(s);

	return r > 0 ? severity_names[r - 1] : NULL;
}

/* s with its first letter in upper case ("inProgress" -> "InProgress"). */
static json_t *
capitalised(const char *s)
{
	json_t *v;
	char *c;

	if (s == NULL || *s == '\0')
		return NULL;
	c = strdup(s);
	if (c == NULL)
		return NULL;
	c[0] = (char)toupper((unsigned char)c[0]);
	v = json_string(c);
	free(c);
	return v;
}

static void
set_new(json_t *o, const char *key, json_t *v)
{
	json_object_set_new(o, key, v != NULL ? v : json_null());
}

static json_t *
str_or_null(const char *s)
{
	return s != NULL ? json_string(s) : json_null();
}

static void
set_str(json_t *o, const char *key, const json_t *view,
    const char *const names[])
{
	set_new(o, key, str_or_null(inc_str(view, names)));
}

static void
set_time(json_t *o, const char *key, const json_t *view,
    const char *const names[])
{
	set_new(o, key, inc_time(inc_get(view, names)));
}

static void
append_unique(json_t *arr, const char *s, size_t n)
{
	size_t i;

	while (n > 0 && isspace((unsigned char)*s)) {
		s++;
		n--;
	}
	while (n > 0 && isspace((unsigned char)s[n - 1]))
		n--;
	if (n == 0)
		return;
	for (i = 0; i < json_array_size(arr); i++) {
		const json_t *v = json_array_get(arr, i);

		if (json_string_length(v) == n &&
		    memcmp(json_string_value(v), s, n) == 0)
			return;
	}
	json_array_append_new(arr, json_stringn(s, n));
}

/*
 * Adds the items of a list to arr: a JSON array of strings, the JSON
 * text of one, or a comma-separated string (Tactics, Techniques).
 */
static void
add_list(json_t *arr, const json_t *v)
{
	json_t *d;
	const char *s, *c;
	size_t i;

	if (v == NULL)
		return;
	d = inc_dyn(v);
	if (json_is_array(d)) {
		for (i = 0; i < json_array_size(d); i++)
			if (json_is_string(json_array_get(d, i)))
				append_unique(arr, json_string_value(
				    json_array_get(d, i)), json_string_length(
				    json_array_get(d, i)));
		json_decref(d);
		return;
	}
	json_decref(d);
	if (!json_is_string(v))
		return;
	s = json_string_value(v);
	while ((c = strchr(s, ',')) != NULL) {
		append_unique(arr, s, (size_t)(c - s));
		s = c + 1;
	}
	append_unique(arr, s, strlen(s));
}

/* A copy of obj without the members named. */
static json_t *
without(const json_t *obj, const char *const names[])
{
	json_t *c = json_copy((json_t *)obj);
	size_t i;

	for (i = 0; c != NULL && names[i] != NULL; i++)
		json_object_del(c, names[i]);
	return c;
}

static int
time_of(const json_t *view, const char *const names[], int64_t *t)
{
	const char *s = inc_str(view, names);

	return s != NULL ? incident_time_parse(s, t) : -1;
}

/* "law-cyber-range" from ".../workspaces/law-cyber-range/...". */
static json_t *
workspace_of(const char *s)
{
	const char *p, *e;

	if (s == NULL)
		return NULL;
	for (p = s; (p = strchr(p, '/')) != NULL; p++)
		if (strncasecmp(p, "/workspaces/", 12) == 0)
			break;
	if (p == NULL)
		return NULL;
	p += 12;
	for (e = p; *e != '\0' && *e != '/' && *e != '?' && *e != '#'; e++)
		;
	return e > p ? json_stringn(p, (size_t)(e - p)) : NULL;
}

/* --- alerts ------------------------------------------------------------- */

static void
extended_properties(json_t *a, const json_t *v)
{
	json_t *d = inc_dyn(v), *c, *cd;

	if (!json_is_object(d)) {
		json_decref(d);
		return;
	}
	c = json_deep_copy(d);
	json_decref(d);
	/* Custom details are JSON text inside the JSON text. */
	cd = inc_dyn(json_object_get(c, "Custom Details"));
	if (cd != NULL)
		json_object_set_new(c, "Custom Details", cd);
	json_object_set_new(a, "extended_properties", c);
}

static void
remediation(json_t *a, const json_t *v)
{
	json_t *steps = json_array(), *d;
	size_t i;

	d = inc_dyn(v);
	if (json_is_array(d)) {
		for (i = 0; i < json_array_size(d); i++)
			if (json_is_string(json_array_get(d, i)))
				json_array_append(steps, json_array_get(d, i));
	} else if (json_is_string(v))
		json_array_append(steps, (json_t *)v);
	json_decref(d);
	if (json_array_size(steps) > 0)
		json_object_set_new(a, "remediation_steps", steps);
	else
		json_decref(steps);
}

/*
 * An alert record from view (a row, a REST alert's properties, a Graph
 * alert).  In a joined row the incident's columns (Severity, Status,
 * Description, TimeGenerated) are not the alert's.
 */
static json_t *
build_alert(const json_t *view, const json_t *raw, enum alert_form af)
{
	int joined = af == ALERT_JOINED;
	json_t *a = json_object(), *l;

	if (joined)
		set_str(a, "id", view, NAMES("AlertId", "SystemAlertId"));
	else
		set_str(a, "id", view, NAMES("SystemAlertId", "AlertId", "ID"));
	set_str(a, "name", view, NAMES("AlertName", "AlertDisplayName",
	    "DisplayName", "title", "Name"));
	set_str(a, "description", view, joined ? NAMES("AlertDescription",
	    "Description1") : NAMES("Description"));
	set_new(a, "severity", str_or_null(incident_severity_name(
	    inc_str(view, joined ? NAMES("AlertSeverity", "Severity1") :
	    NAMES("AlertSeverity", "Severity")))));
	set_new(a, "status", capitalised(inc_str(view, joined ?
	    NAMES("AlertStatus", "Status1") : NAMES("Status"))));
	set_str(a, "product", view, NAMES("ProductName", "serviceSource"));
	set_str(a, "provider", view, joined ? NAMES("AlertProvider",
	    "ProviderName1") : NAMES("ProviderName", "AlertProvider",
	    "detectionSource"));
	set_str(a, "vendor", view, NAMES("VendorName"));
	set_time(a, "time_generated", view, joined ?
	    NAMES("AlertTimeGenerated", "TimeGenerated1") :
	    NAMES("TimeGenerated", "createdDateTime"));
	set_time(a, "start", view, NAMES("StartTime", "StartTimeUtc",
	    "AlertStart", "firstActivityDateTime"));
	set_time(a, "end", view, NAMES("EndTime", "EndTimeUtc", "AlertEnd",
	    "lastActivityDateTime"));
	l = json_array();
	add_list(l, inc_get(view, NAMES("Tactics")));
	add_list(l, inc_get(view, NAMES("category")));
	json_object_set_new(a, "tactics", l);
	l = json_array();
	add_list(l, inc_get(view, NAMES("Techniques", "mitreTechniques")));
	add_list(l, inc_get(view, NAMES("SubTechniques")));
	json_object_set_new(a, "techniques", l);
	json_object_set_new(a, "entity_ids", json_array());
	set_str(a, "compromised_entity", view, NAMES("CompromisedEntity"));
	set_str(a, "alert_type", view, NAMES("AlertType"));
	set_str(a, "link", view, NAMES("AlertLink", "alertWebUrl"));
	extended_properties(a, inc_get(view, NAMES("ExtendedProperties",
	    "additionalData")));
	remediation(a, inc_get(view, NAMES("RemediationSteps",
	    "recommendedActions")));
	json_object_set_new(a, "raw", without(raw, NAMES("Entities",
	    "evidence")));
	return a;
}

/* --- incidents ---------------------------------------------------------- */

/* One alert of an incident being built: where it is and what shape. */
struct alert_src {
	const json_t	*view;
	const json_t	*raw;
	enum alert_form	 form;
};

static json_t *
owner_of(const json_t *view, enum form f)
{
	json_t *o = json_object(), *d = NULL;
	const char *name = NULL, *upn = NULL, *email = NULL, *oid = NULL;

	if (f == FORM_GRAPH) {
		name = inc_str(view, NAMES("assignedTo"));
		if (name != NULL && strchr(name, '@') != NULL)
			upn = name;
	} else {
		d = inc_dyn(inc_get(view, NAMES("Owner")));
		if (json_is_object(d)) {
			name = inc_str(d, NAMES("assignedTo"));
			upn = inc_str(d, NAMES("userPrincipalName"));
			email = inc_str(d, NAMES("email"));
			oid = inc_str(d, NAMES("objectId"));
		}
	}
	json_object_set_new(o, "name", str_or_null(name));
	json_object_set_new(o, "upn", str_or_null(upn));
	json_object_set_new(o, "email", str_or_null(email));
	json_object_set_new(o, "object_id", str_or_null(oid));
	json_object_set_new(o, "assigned", json_boolean(name != NULL ||
	    upn != NULL || email != NULL || oid != NULL));
	json_decref(d);
	return o;
}

static json_t *
status_of(const json_t *view, enum form f)
{
	static const struct {
		const char *graph, *ours;
	} map[] = {
		/* Defender's statuses as Sentinel shows the same incident. */
		{ "active", "New" }, { "inProgress", "Active" },
		{ "awaitingAction", "Active" }, { "resolved", "Closed" },
		{ "redirected", "Closed" },
	};
	const char *s = inc_str(view, NAMES("Status"));
	size_t i;

	if (s == NULL)
		return NULL;
	if (f == FORM_GRAPH) {
		for (i = 0; i < sizeof(map) / sizeof(map[0]); i++)
			if (strcasecmp(s, map[i].graph) == 0)
				return json_string(map[i].ours);
		return NULL;
	}
	if (strcasecmp(s, "new") == 0)
		return json_string("New");
	if (strcasecmp(s, "active") == 0)
		return json_string("Active");
	if (strcasecmp(s, "closed") == 0)
		return json_string("Closed");
	return capitalised(s);
}

/* A classification, or null while it is not classified. */
static json_t *
classification_of(const json_t *view, const char *const names[])
{
	const char *s = inc_str(view, names);

	if (s == NULL || strcasecmp(s, "unknown") == 0 ||
	    strcasecmp(s, "notAvailable") == 0)
		return NULL;
	return capitalised(s);
}

static json_t *
labels_of(const json_t *view, enum form f)
{
	json_t *l = json_array(), *d;
	const json_t *x;
	size_t i;

	if (f == FORM_GRAPH) {
		add_list(l, inc_get(view, NAMES("customTags")));
		add_list(l, inc_get(view, NAMES("systemTags")));
		return l;
	}
	d = inc_dyn(inc_get(view, NAMES("Labels")));
	for (i = 0; i < json_array_size(d); i++) {
		x = json_array_get(d, i);
		if (json_is_string(x))
			append_unique(l, json_string_value(x),
			    json_string_length(x));
		else if (inc_str(x, NAMES("labelName")) != NULL)
			append_unique(l, inc_str(x, NAMES("labelName")),
			    strlen(inc_str(x, NAMES("labelName"))));
	}
	json_decref(d);
	return l;
}

/* The earliest (or latest) of the alerts' times under key. */
static json_t *
alerts_extreme(const json_t *alerts, const char *key, int latest)
{
	const char *best = NULL, *s;
	int64_t bt = 0, t;
	size_t i;

	for (i = 0; i < json_array_size(alerts); i++) {
		s = jx_str(json_array_get(alerts, i), key);
		if (s == NULL || incident_time_parse(s, &t) != 0)
			continue;
		if (best == NULL || (latest ? t > bt : t < bt)) {
			best = s;
			bt = t;
		}
	}
	return best != NULL ? json_string(best) : NULL;
}

static void
build_alerts(struct norm *n, struct entset *s, const struct alert_src *src,
    size_t nsrc, json_t *alerts)
{
	json_t *a, *m;
	const json_t *ev;
	size_t i;

	for (i = 0; i < nsrc; i++) {
		a = build_alert(src[i].view, src[i].raw, src[i].form);
		if (src[i].form == ALERT_GRAPH) {
			ev = inc_get(src[i].view, NAMES("evidence"));
			m = ev != NULL ? entset_add_graph(s, ev,
			    jx_str(a, "id")) : NULL;
		} else {
			ev = inc_get(src[i].view, NAMES("Entities"));
			m = ev != NULL ? entset_add_sa(s, ev, jx_str(a, "id")) :
			    NULL;
			if (ev != NULL && m == NULL) {
				char id[64];

				inc_snip(jx_str(a, "id"), id, sizeof(id));
				inc_warn(n->warnings, "alert %s: Entities is "
				    "not a JSON list; ignored", id);
			}
		}
		if (m != NULL)
			json_object_set_new(a, "entity_ids", m);
		json_array_append_new(alerts, a);
	}
}

/*
 * Builds an incident record from view (the incident's fields), its
 * alerts and, for REST, its entity list; appends it to n->out.
 */
static void
build_incident(struct norm *n, enum form f, const json_t *view,
    const json_t *raw, const struct alert_src *src, size_t nsrc,
    const json_t *rest_entities, int from_alerts)
{
	json_t *inc = json_object(), *alerts = json_array(), *entities, *m;
	json_t *l, *ad, *ids;
	struct entset *s;
	const char *id;
	char num[32];
	long long number;
	size_t i, count;

	s = entset_new(n->warnings);
	if (s == NULL) {
		json_decref(inc);
		json_decref(alerts);
		return;
	}
	build_alerts(n, s, src, nsrc, alerts);
	if (rest_entities != NULL) {
		m = entset_add_rest(s, rest_entities, NULL);
		if (m == NULL)
			inc_warn(n->warnings, "incident entities are not an "
			    "entity list; ignored");
		json_decref(m);
	}
	entities = entset_finish(s, alerts);
	entset_free(s);

	json_object_set_new(inc, "type", json_string("incident"));
	if (n->source != NULL)
		json_object_set_new(inc, "source", json_string(n->source));
	if (f == FORM_GRAPH) {
		id = inc_str(view, NAMES("id"));
		if (id != NULL && incident_ref_parse(id, &number) == 1)
			json_object_set_new(inc, "number",
			    json_integer(number));
		else
			json_object_set_new(inc, "number", json_null());
		set_new(inc, "id", str_or_null(id));
	} else {
		if (inc_text(inc_get(view, NAMES("IncidentNumber")), num,
		    sizeof(num)) == 0 && incident_ref_parse(num,
		    &number) == 1)
			json_object_set_new(inc, "number",
			    json_integer(number));
		else
			json_object_set_new(inc, "number", json_null());
		set_str(inc, "id", view, NAMES("IncidentName"));
	}
	set_str(inc, "title", view, NAMES("Title", "displayName"));
	set_str(inc, "description", view, NAMES("Description"));
	set_new(inc, "severity", str_or_null(incident_severity_name(
	    inc_str(view, NAMES("Severity")))));
	set_new(inc, "status", status_of(view, f));
	set_new(inc, "classification", classification_of(view,
	    NAMES("Classification")));
	set_new(inc, "classification_reason", classification_of(view,
	    NAMES("ClassificationReason", "determination")));
	json_object_set_new(inc, "owner", owner_of(view, f));
	set_time(inc, "created", view, NAMES("CreatedTime", "createdTimeUtc",
	    "createdDateTime"));
	set_time(inc, "first_activity", view, NAMES("FirstActivityTime",
	    "firstActivityTimeUtc"));
	if (json_is_null(json_object_get(inc, "first_activity")))
		set_new(inc, "first_activity", alerts_extreme(alerts, "start",
		    0));
	set_time(inc, "last_activity", view, NAMES("LastActivityTime",
	    "lastActivityTimeUtc"));
	if (json_is_null(json_object_get(inc, "last_activity")))
		set_new(inc, "last_activity", alerts_extreme(alerts, "end",
		    1));
	set_time(inc, "last_modified", view, NAMES("LastModifiedTime",
	    "lastModifiedTimeUtc", "lastUpdateDateTime", "TimeGenerated"));
	if (from_alerts) {
		set_new(inc, "created", alerts_extreme(alerts,
		    "time_generated", 0));
		set_new(inc, "last_modified", alerts_extreme(alerts,
		    "time_generated", 1));
	}
	set_str(inc, "provider", view, NAMES("ProviderName"));
	set_str(inc, "provider_incident_id", view,
	    NAMES("ProviderIncidentId"));
	m = workspace_of(inc_str(view, NAMES("IncidentUrl")));
	if (m == NULL)
		m = workspace_of(inc_str(view, NAMES("_arm_id")));
	set_new(inc, "workspace", m);

	ad = inc_dyn(inc_get(view, NAMES("AdditionalData")));
	l = json_array();
	add_list(l, inc_get(ad, NAMES("tactics")));
	for (i = 0; i < json_array_size(alerts); i++)
		add_list(l, json_object_get(json_array_get(alerts, i),
		    "tactics"));
	json_object_set_new(inc, "tactics", l);
	l = json_array();
	add_list(l, inc_get(ad, NAMES("techniques")));
	for (i = 0; i < json_array_size(alerts); i++)
		add_list(l, json_object_get(json_array_get(alerts, i),
		    "techniques"));
	json_object_set_new(inc, "techniques", l);
	json_object_set_new(inc, "labels", labels_of(view, f));
	set_str(inc, "url", view, NAMES("IncidentUrl", "incidentWebUrl"));

	ids = json_array();
	add_list(ids, inc_get(view, NAMES("AlertIds")));
	for (i = 0; i < json_array_size(alerts); i++) {
		id = jx_str(json_array_get(alerts, i), "id");
		if (id != NULL)
			append_unique(ids, id, strlen(id));
	}
	count = json_array_size(ids);
	if (json_array_size(alerts) > count)
		count = json_array_size(alerts);
	if (jx_int(ad, "alertsCount", 0) > (long long)count &&
	    jx_int(ad, "alertsCount", 0) < 1000000)
		count = (size_t)jx_int(ad, "alertsCount", 0);
	json_decref(ad);
	json_object_set_new(inc, "alert_ids", ids);
	json_object_set_new(inc, "alert_count",
	    json_integer((json_int_t)count));
	if (from_alerts)
		json_object_set_new(inc, "from_alerts", json_true());
	json_object_set_new(inc, "alerts", alerts);
	json_object_set_new(inc, "entities", entities != NULL ? entities :
	    json_array());
	json_object_set_new(inc, "raw", raw != NULL ? without(raw,
	    NAMES("alerts", "Alerts", "entities")) : json_null());
	json_array_append_new(n->out, inc);
}

/* --- Sentinel REST ------------------------------------------------------ */

/* {"properties.owner.email": x} -> {"properties": {"owner": {"email": x}}}
 * (what pandas and other flatteners make of a REST incident). */
static json_t *
unflatten(const json_t *obj)
{
	json_t *out = json_object(), *cur, *next;
	const char *k, *p, *dot;
	json_t *v;
	char part[256];
	size_t n;

	json_object_foreach((json_t *)obj, k, v) {
		if (strncmp(k, "properties.", 11) != 0) {
			if (json_object_get(out, k) == NULL)
				json_object_set(out, k, v);
			continue;
		}
		cur = out;
		for (p = k; (dot = strchr(p, '.')) != NULL; p = dot + 1) {
			n = (size_t)(dot - p);
			if (n == 0 || n >= sizeof(part))
				break;
			memcpy(part, p, n);
			part[n] = '\0';
			next = json_object_get(cur, part);
			if (!json_is_object(next)) {
				next = json_object();
				json_object_set_new(cur, part, next);
			}
			cur = next;
		}
		if (dot == NULL && *p != '\0')
			json_object_set(cur, p, v);
	}
	return out;
}

static void
add_rest(struct norm *n, const json_t *obj)
{
	json_t *u, *view, *alert_views;
	const json_t *props, *alerts, *a, *ap, *ents;
	struct alert_src *src;
	size_t i, na;

	u = unflatten(obj);
	props = json_object_get(u, "properties");
	view = json_is_object(props) ? json_copy((json_t *)props) :
	    json_object();
	if (inc_get(view, NAMES("IncidentName")) == NULL &&
	    jx_nstr(u, "name") != NULL)
		json_object_set(view, "IncidentName", json_object_get(u,
		    "name"));
	if (jx_nstr(u, "id") != NULL)
		json_object_set(view, "_arm_id", json_object_get(u, "id"));
	alerts = inc_get(u, NAMES("alerts"));
	if (json_is_object(alerts))
		alerts = json_object_get(alerts, "value");
	if (alerts == NULL)
		alerts = inc_get(props, NAMES("alerts"));
	na = json_array_size(alerts);
	src = calloc(na > 0 ? na : 1, sizeof(*src));
	alert_views = json_array();
	for (i = 0; src != NULL && i < na; i++) {
		a = json_array_get(alerts, i);
		ap = json_object_get(a, "properties");
		if (json_is_object(ap)) {
			json_t *av = json_copy((json_t *)ap);

			if (inc_get(av, NAMES("SystemAlertId")) == NULL &&
			    jx_nstr(a, "name") != NULL)
				json_object_set(av, "SystemAlertId",
				    json_object_get(a, "name"));
			json_array_append_new(alert_views, av);
			src[i].view = av;
		} else
			src[i].view = a;
		src[i].raw = a;
		src[i].form = ALERT_ROW;
	}
	ents = inc_get(u, NAMES("entities"));
	build_incident(n, FORM_REST, view, obj, src, src != NULL ? na : 0,
	    ents, 0);
	free(src);
	json_decref(alert_views);
	json_decref(view);
	json_decref(u);
}

/* --- Graph -------------------------------------------------------------- */

static void
add_graph(struct norm *n, const json_t *obj)
{
	const json_t *alerts = inc_get(obj, NAMES("alerts"));
	struct alert_src *src;
	size_t i, na = json_array_size(alerts);

	src = calloc(na > 0 ? na : 1, sizeof(*src));
	if (src == NULL)
		return;
	for (i = 0; i < na; i++) {
		src[i].view = json_array_get(alerts, i);
		src[i].raw = src[i].view;
		src[i].form = ALERT_GRAPH;
	}
	build_incident(n, FORM_GRAPH, obj, obj, src, na, NULL, 0);
	free(src);
}

/* --- rows --------------------------------------------------------------- */

/*
 * A row with the portal's decorated headers ("TimeGenerated [UTC]",
 * "Owner [dynamic]") undecorated.  New reference.
 */
static json_t *
row_view(const json_t *row)
{
	json_t *v = json_object(), *x;
	const char *k, *b;
	char name[256];
	size_t len;

	json_object_foreach((json_t *)row, k, x) {
		b = strstr(k, " [");
		len = strlen(k);
		if (b != NULL && k[len - 1] == ']' && (size_t)(b - k) <
		    sizeof(name)) {
			memcpy(name, k, (size_t)(b - k));
			name[b - k] = '\0';
			if (json_object_get(v, name) == NULL)
				json_object_set(v, name, x);
		} else
			json_object_set(v, k, x);
	}
	return v;
}

static int
row_is_incident(const json_t *v)
{
	return inc_get(v, NAMES("IncidentNumber", "IncidentName")) != NULL;
}

static int
row_is_alert(const json_t *v)
{
	return inc_get(v, NAMES("SystemAlertId", "AlertId", "Entities",
	    "AlertName", "AlertDisplayName")) != NULL;
}

/* The key an incident row is grouped by: its GUID, else its number. */
static int
incident_key(const json_t *v, char *out, size_t outsz)
{
	const char *name = inc_str(v, NAMES("IncidentName"));
	char num[32];
	size_t i;

	if (name != NULL) {
		snprintf(out, outsz, "g:%s", name);
		for (i = 0; out[i] != '\0'; i++)
			out[i] = (char)tolower((unsigned char)out[i]);
		return 0;
	}
	if (inc_text(inc_get(v, NAMES("IncidentNumber")), num,
	    sizeof(num)) == 0) {
		snprintf(out, outsz, "n:%s", num);
		return 0;
	}
	return -1;
}

static int
newer(const json_t *a, const json_t *b)
{
	static const char *const t[] = { "TimeGenerated", "LastModifiedTime",
	    "lastModifiedTimeUtc", NULL };
	int64_t ta, tb;

	if (time_of(a, t, &ta) != 0)
		return 0;
	if (time_of(b, t, &tb) != 0)
		return 1;
	return ta >= tb;
}

/*
 * Groups the rows: the newest version of each incident and alert, alerts
 * joined to incidents by AlertIds or by sharing a row, and an incident
 * made from the alerts when there is no incident row at all.
 */
static void
process_rows(struct norm *n)
{
	json_t *views, *incs, *alerts, *order, *aorder, *used, *g, *list, *ids;
	const json_t *v, *row, *iv;
	struct alert_src *src;
	char key[300], aid[300];
	size_t i, j, ns, cap;

	if (json_array_size(n->rows) == 0)
		return;
	views = json_array();
	incs = json_object();		/* key -> {view, raw, joined: []} */
	alerts = json_object();		/* id -> {view, raw} */
	order = json_array();
	aorder = json_array();
	used = json_object();
	for (i = 0; i < json_array_size(n->rows); i++) {
		row = json_array_get(n->rows, i);
		json_array_append_new(views, row_view(row));
		v = json_array_get(views, i);
		if (row_is_incident(v) && incident_key(v, key,
		    sizeof(key)) == 0) {
			g = json_object_get(incs, key);
			if (g == NULL) {
				g = json_pack("{s:O,s:O,s:[]}", "view", v,
				    "raw", row, "joined");
				json_object_set_new(incs, key, g);
				json_array_append_new(order, json_string(key));
			} else if (newer(v, json_object_get(g, "view"))) {
				json_object_set(g, "view", (json_t *)v);
				json_object_set(g, "raw", (json_t *)row);
			}
			if (inc_get(v, NAMES("AlertId", "SystemAlertId")) !=
			    NULL)
				json_array_append_new(json_object_get(g,
				    "joined"), json_pack("{s:O,s:O}", "view",
				    v, "raw", row));
			continue;
		}
		if (!row_is_alert(v)) {
			inc_warn(n->warnings, "row %zu is neither an incident "
			    "nor an alert; skipped", i + 1);
			continue;
		}
		if (inc_text(inc_get(v, NAMES("SystemAlertId", "AlertId")),
		    aid, sizeof(aid)) != 0)
			snprintf(aid, sizeof(aid), "#row%zu", i + 1);
		g = json_object_get(alerts, aid);
		if (g == NULL) {
			json_object_set_new(alerts, aid, json_pack("{s:O,s:O}",
			    "view", v, "raw", row));
			json_array_append_new(aorder, json_string(aid));
		} else if (newer(v, json_object_get(g, "view"))) {
			json_object_set(g, "view", (json_t *)v);
			json_object_set(g, "raw", (json_t *)row);
		}
	}

	cap = json_array_size(aorder) + json_array_size(n->rows) + 1;
	src = calloc(cap, sizeof(*src));
	for (i = 0; src != NULL && i < json_array_size(order); i++) {
		g = json_object_get(incs, json_string_value(
		    json_array_get(order, i)));
		iv = json_object_get(g, "view");
		ns = 0;
		ids = json_array();
		add_list(ids, inc_get(iv, NAMES("AlertIds")));
		for (j = 0; j < json_array_size(ids) && ns < cap; j++) {
			const char *id = json_string_value(
			    json_array_get(ids, j));
			json_t *al = json_object_get(alerts, id);

			if (al == NULL)
				continue;
			src[ns].view = json_object_get(al, "view");
			src[ns].raw = json_object_get(al, "raw");
			src[ns++].form = ALERT_ROW;
			json_object_set_new(used, id, json_true());
		}
		list = json_object_get(g, "joined");
		for (j = 0; j < json_array_size(list) && ns < cap; j++) {
			const json_t *jv = json_object_get(
			    json_array_get(list, j), "view");
			const char *id = inc_str(jv, NAMES("AlertId",
			    "SystemAlertId"));
			size_t k;

			/* The same alert joined to several versions of the
			 * incident: keep the first. */
			for (k = 0; id != NULL && k < ns; k++)
				if (src[k].form == ALERT_JOINED &&
				    inc_str(src[k].view, NAMES("AlertId",
				    "SystemAlertId")) != NULL &&
				    strcmp(inc_str(src[k].view,
				    NAMES("AlertId", "SystemAlertId")),
				    id) == 0)
					break;
			if (id != NULL && (k < ns ||
			    json_object_get(used, id) != NULL))
				continue;
			src[ns].view = jv;
			src[ns].raw = json_object_get(json_array_get(list, j),
			    "raw");
			src[ns++].form = ALERT_JOINED;
		}
		json_decref(ids);
		build_incident(n, FORM_ROW, iv, json_object_get(g, "raw"), src,
		    ns, NULL, 0);
	}
	if (src != NULL && json_array_size(order) == 0 &&
	    json_array_size(aorder) > 0) {
		/* Only alerts: they are the incident. */
		ns = 0;
		for (i = 0; i < json_array_size(aorder); i++) {
			g = json_object_get(alerts, json_string_value(
			    json_array_get(aorder, i)));
			src[ns].view = json_object_get(g, "view");
			src[ns].raw = json_object_get(g, "raw");
			src[ns++].form = ALERT_ROW;
		}
		{
			json_t *sv = json_object();
			const char *name0 = NULL, *sev = NULL, *s;
			int same = 1;

			for (i = 0; i < ns; i++) {
				s = inc_str(src[i].view, NAMES("AlertName",
				    "AlertDisplayName", "DisplayName"));
				if (i == 0)
					name0 = s;
				else if (s == NULL || name0 == NULL ||
				    strcmp(s, name0) != 0)
					same = 0;
				s = incident_severity_name(inc_str(src[i].view,
				    NAMES("AlertSeverity", "Severity")));
				if (incident_severity_rank(s) >
				    incident_severity_rank(sev))
					sev = s;
			}
			if (same && name0 != NULL)
				json_object_set_new(sv, "Title",
				    json_string(name0));
			else {
				char t[64];

				if (ns == 1)
					snprintf(t, sizeof(t), "an unnamed "
					    "alert");
				else
					snprintf(t, sizeof(t), "%zu alerts",
					    ns);
				json_object_set_new(sv, "Title",
				    json_string(t));
			}
			if (sev != NULL)
				json_object_set_new(sv, "Severity",
				    json_string(sev));
			build_incident(n, FORM_ROW, sv, NULL, src, ns, NULL, 1);
			json_decref(sv);
		}
	} else if (json_array_size(order) > 0) {
		size_t orphans = 0;

		for (i = 0; i < json_array_size(aorder); i++)
			if (json_object_get(used, json_string_value(
			    json_array_get(aorder, i))) == NULL)
				orphans++;
		if (orphans > 0)
			inc_warn(n->warnings, "%zu alert%s belong%s to no "
			    "incident in the input; left out", orphans,
			    orphans == 1 ? "" : "s", orphans == 1 ? "s" : "");
	}
	free(src);
	json_decref(used);
	json_decref(aorder);
	json_decref(order);
	json_decref(alerts);
	json_decref(incs);
	json_decref(views);
}

/* --- detection ---------------------------------------------------------- */

static int
has_prefixed_key(const json_t *obj, const char *prefix)
{
	const char *k;
	json_t *v;
	size_t n = strlen(prefix);

	json_object_foreach((json_t *)obj, k, v)
		if (strncmp(k, prefix, n) == 0)
			return 1;
	return 0;
}

static enum form
classify(const json_t *o)
{
	const char *t = jx_type(o);

	/* Our records; a REST object's "type" is "Microsoft.X/Y". */
	if (t != NULL && strchr(t, '/') == NULL && strchr(t, '.') == NULL)
		return strcmp(t, "incident") == 0 ? FORM_RECORD : FORM_UNKNOWN;
	if (json_is_array(json_object_get(o, "tables")))
		return FORM_TABLES;
	if (json_is_array(json_object_get(o, "columns")) &&
	    json_is_array(json_object_get(o, "rows")))
		return FORM_COLUMNS;
	if (json_is_array(json_object_get(o, "value")))
		return FORM_LIST;
	if (json_is_object(json_object_get(o, "properties")) ||
	    has_prefixed_key(o, "properties."))
		return FORM_REST;
	t = jx_str(o, "@odata.type");
	if ((t != NULL && strstr(t, "security.incident") != NULL) ||
	    json_object_get(o, "incidentWebUrl") != NULL ||
	    (json_object_get(o, "displayName") != NULL &&
	    (json_is_array(json_object_get(o, "alerts")) ||
	    json_object_get(o, "lastUpdateDateTime") != NULL)))
		return FORM_GRAPH;
	{
		json_t *v = row_view(o);
		int row = row_is_incident(v) || row_is_alert(v);

		json_decref(v);
		if (row)
			return FORM_ROW;
	}
	return FORM_UNKNOWN;
}

/* Rows of a {columns, rows} table as objects, appended to n->rows. */
static int
add_table(struct norm *n, const json_t *t)
{
	const json_t *cols = json_object_get(t, "columns");
	const json_t *rows = json_object_get(t, "rows"), *r;
	json_t *o;
	const char *name;
	size_t i, j;

	if (!json_is_array(cols) || !json_is_array(rows)) {
		snprintf(n->err, n->errsz, "a table without columns and rows");
		return -1;
	}
	for (i = 0; i < json_array_size(rows); i++) {
		r = json_array_get(rows, i);
		if (!json_is_array(r)) {
			snprintf(n->err, n->errsz, "table row %zu is not an "
			    "array", i + 1);
			return -1;
		}
		o = json_object();
		for (j = 0; j < json_array_size(cols) &&
		    j < json_array_size(r); j++) {
			name = jx_str(json_array_get(cols, j), "name");
			if (name == NULL)
				name = jx_str(json_array_get(cols, j),
				    "ColumnName");
			if (name != NULL)
				json_object_set(o, name, json_array_get(r, j));
		}
		json_array_append_new(n->rows, o);
	}
	return 0;
}

static int feed(struct norm *n, const json_t *v, int depth, int strict);

static int
feed_object(struct norm *n, const json_t *o, int depth, int strict)
{
	const json_t *tables;
	size_t i;

	switch (classify(o)) {
	case FORM_RECORD:
		json_array_append_new(n->out, json_deep_copy(o));
		return 1;
	case FORM_TABLES:
		tables = json_object_get(o, "tables");
		for (i = 0; i < json_array_size(tables); i++)
			if (add_table(n, json_array_get(tables, i)) != 0)
				return -1;
		return 1;
	case FORM_COLUMNS:
		return add_table(n, o) == 0 ? 1 : -1;
	case FORM_LIST:
		return feed(n, json_object_get(o, "value"), depth + 1, strict);
	case FORM_REST:
		add_rest(n, o);
		return 1;
	case FORM_GRAPH:
		add_graph(n, o);
		return 1;
	case FORM_ROW:
		json_array_append(n->rows, (json_t *)o);
		return 1;
	default:
		break;
	}
	if (strict) {
		if (jx_type(o) != NULL && strchr(jx_type(o), '/') == NULL)
			snprintf(n->err, n->errsz, "a record of type "
			    "\"%.40s\" is not an incident", jx_type(o));
		else
			snprintf(n->err, n->errsz, "not an incident: expected "
			    "a Sentinel or Graph incident, Log Analytics "
			    "SecurityIncident or SecurityAlert rows, or an "
			    "incident record");
		return -1;
	}
	return 0;
}

/*
 * Feeds v into n.  Returns the number of things recognised, or -1 on an
 * error.  In an array, an unrecognised item is skipped with a warning
 * unless nothing at all is recognised.
 */
static int
feed(struct norm *n, const json_t *v, int depth, int strict)
{
	size_t i, skipped = 0;
	int r, got = 0;

	if (depth > MAX_NEST) {
		snprintf(n->err, n->errsz, "lists nest too deeply");
		return -1;
	}
	if (json_is_object(v))
		return feed_object(n, v, depth, strict);
	if (!json_is_array(v)) {
		snprintf(n->err, n->errsz, "expected an object or an array");
		return -1;
	}
	for (i = 0; i < json_array_size(v); i++) {
		const json_t *x = json_array_get(v, i);

		if (json_is_array(x))
			r = feed(n, x, depth + 1, 0);
		else if (json_is_object(x))
			r = feed_object(n, x, depth, 0);
		else
			r = 0;
		if (r < 0)
			return -1;
		if (r == 0)
			skipped++;
		got += r;
	}
	if (got == 0 && json_array_size(v) > 0) {
		/* Nothing recognised: say what is wrong with the first. */
		if (json_is_object(json_array_get(v, 0)))
			feed_object(n, json_array_get(v, 0), depth, 1);
		else
			snprintf(n->err, n->errsz, "item 1: expected an "
			    "object");
		return -1;
	}
	if (skipped > 0)
		inc_warn(n->warnings, "%zu item%s that %s not an incident, an "
		    "alert or a row skipped", skipped, skipped == 1 ? "" : "s",
		    skipped == 1 ? "is" : "are");
	return got;
}

json_t *
incident_normalise(const json_t *input, const char *source, json_t *warnings,
    char *err, size_t errsz)
{
	struct norm n;
	char dummy[8];

	if (err == NULL || errsz == 0) {
		err = dummy;
		errsz = sizeof(dummy);
	}
	err[0] = '\0';
	memset(&n, 0, sizeof(n));
	n.source = source;
	n.warnings = warnings;
	n.out = json_array();
	n.rows = json_array();
	n.err = err;
	n.errsz = errsz;
	if (feed(&n, input, 0, 1) < 0) {
		json_decref(n.rows);
		json_decref(n.out);
		return NULL;
	}
	process_rows(&n);
	json_decref(n.rows);
	return n.out;
}

/* --- references, summaries, the queue ----------------------------------- */

int
incident_ref_parse(const char *s, long long *number)
{
	size_t i, n;

	if (s == NULL)
		return 0;
	n = strlen(s);
	if (n >= 1 && n <= 18) {
		for (i = 0; i < n && isdigit((unsigned char)s[i]); i++)
			;
		if (i == n) {
			if (number != NULL)
				*number = strtoll(s, NULL, 10);
			return 1;
		}
	}
	if (n != 36)
		return 0;
	for (i = 0; i < n; i++) {
		if (i == 8 || i == 13 || i == 18 || i == 23) {
			if (s[i] != '-')
				return 0;
		} else if (!isxdigit((unsigned char)s[i]))
			return 0;
	}
	return 2;
}

json_t *
incident_find(const json_t *incidents, const char *ref)
{
	long long number = 0;
	const json_t *inc;
	const char *id;
	size_t i;
	int kind = incident_ref_parse(ref, &number);

	if (kind == 0)
		return NULL;
	for (i = 0; i < json_array_size(incidents); i++) {
		inc = json_array_get(incidents, i);
		id = jx_str(inc, "id");
		if (kind == 1 && json_is_integer(json_object_get(inc,
		    "number")) && json_integer_value(json_object_get(inc,
		    "number")) == number)
			return (json_t *)inc;
		if (id != NULL && strcasecmp(id, ref) == 0)
			return (json_t *)inc;
	}
	return NULL;
}

json_t *
incident_summary(const json_t *inc)
{
	const json_t *owner = json_object_get(inc, "owner");
	const char *who = NULL;
	json_t *s;

	if (json_is_object(owner)) {
		who = jx_nstr(owner, "name");
		if (who == NULL)
			who = jx_nstr(owner, "upn");
		if (who == NULL)
			who = jx_nstr(owner, "email");
		if (who == NULL)
			who = jx_nstr(owner, "object_id");
	} else if (json_is_string(owner))
		who = json_string_value(owner);
	s = json_object();
	json_object_set_new(s, "type", json_string("incident_summary"));
	if (jx_str(inc, "source") != NULL)
		json_object_set(s, "source", json_object_get(inc, "source"));
	set_new(s, "number", json_incref(json_object_get(inc, "number")));
	set_new(s, "id", json_incref(json_object_get(inc, "id")));
	set_new(s, "title", json_incref(json_object_get(inc, "title")));
	set_new(s, "severity", json_incref(json_object_get(inc, "severity")));
	set_new(s, "status", json_incref(json_object_get(inc, "status")));
	set_new(s, "owner", str_or_null(who));
	set_new(s, "created", json_incref(json_object_get(inc, "created")));
	set_new(s, "last_modified", json_incref(json_object_get(inc,
	    "last_modified")));
	set_new(s, "alert_count", json_incref(json_object_get(inc,
	    "alert_count")));
	set_new(s, "url", json_incref(json_object_get(inc, "url")));
	return s;
}

int
incident_in_list(const char *list, const char *s)
{
	const char *p = list, *c;
	size_t n;

	if (s == NULL)
		return 0;
	for (;;) {
		while (*p == ' ')
			p++;
		c = strchr(p, ',');
		n = c != NULL ? (size_t)(c - p) : strlen(p);
		while (n > 0 && p[n - 1] == ' ')
			n--;
		if (n == strlen(s) && strncasecmp(p, s, n) == 0)
			return 1;
		if (c == NULL)
			return 0;
		p = c + 1;
	}
}

int
incident_filter_match(const json_t *sum, const struct incident_filter *f)
{
	const char *owner = jx_nstr(sum, "owner"), *t;
	int64_t when;

	if (f == NULL)
		return 1;
	if (f->status != NULL &&
	    !incident_in_list(f->status, jx_str(sum, "status")))
		return 0;
	if (f->severity != NULL && !incident_in_list(f->severity, jx_str(sum,
	    "severity")))
		return 0;
	if (f->owner != NULL) {
		if (strcasecmp(f->owner, "unassigned") == 0) {
			if (owner != NULL)
				return 0;
		} else {
			size_t n = strlen(f->owner), i;

			if (owner == NULL)
				return 0;
			for (i = 0; owner[i] != '\0'; i++)
				if (strncasecmp(owner + i, f->owner, n) == 0)
					break;
			if (owner[i] == '\0')
				return 0;
		}
	}
	if (f->since != 0) {
		t = jx_str(sum, "created");
		if (t == NULL)
			t = jx_str(sum, "last_modified");
		if (t == NULL || incident_time_parse(t, &when) != 0 ||
		    when < f->since)
			return 0;
	}
	return 1;
}

static int64_t
created_ticks(const json_t *s)
{
	int64_t t;

	if (incident_time_parse(jx_str(s, "created"), &t) == 0)
		return t;
	if (incident_time_parse(jx_str(s, "last_modified"), &t) == 0)
		return t;
	return INT64_MIN;
}

/* A summary with its sort keys worked out once. */
struct sorted {
	json_t		*s;
	int		 rank;
	int64_t		 created;
	long long	 number;
};

static int
summary_cmp(const void *pa, const void *pb)
{
	const struct sorted *a = pa, *b = pb;

	if (a->rank != b->rank)
		return a->rank > b->rank ? -1 : 1;
	if (a->created != b->created)
		return a->created > b->created ? -1 : 1;
	if (a->number != b->number)
		return a->number > b->number ? -1 : 1;
	return 0;
}

void
incident_sort_summaries(json_t *summaries)
{
	size_t n = json_array_size(summaries), i;
	struct sorted *v;

	if (n < 2)
		return;
	v = malloc(n * sizeof(*v));
	if (v == NULL)
		return;
	for (i = 0; i < n; i++) {
		v[i].s = json_incref(json_array_get(summaries, i));
		v[i].rank = incident_severity_rank(jx_str(v[i].s, "severity"));
		v[i].created = created_ticks(v[i].s);
		v[i].number = jx_int(v[i].s, "number", -1);
	}
	/* qsort is not stable; the number breaks ties deterministically
	 * except between equal incidents, which are interchangeable. */
	qsort(v, n, sizeof(*v), summary_cmp);
	json_array_clear(summaries);
	for (i = 0; i < n; i++)
		json_array_append_new(summaries, v[i].s);
	free(v);
}

void
incident_drop_raw(json_t *rec)
{
	static const char *const lists[] = { "alerts", "entities" };
	json_t *list;
	size_t i, k;

	json_object_del(rec, "raw");
	for (k = 0; k < sizeof(lists) / sizeof(lists[0]); k++) {
		list = json_object_get(rec, lists[k]);
		for (i = 0; i < json_array_size(list); i++)
			json_object_del(json_array_get(list, i), "raw");
	}
}
