/*
 * config: environment first, then .env files, read once and kept.
 */
#include <sys/stat.h>

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "log.h"

struct setting {
	char	*name;
	char	*value;
};

static struct setting	*settings;
static size_t		 nsettings;
static int		 loaded;
static int		 warn_modes;	/* say when a file is open to others */

static void
add_setting(const char *name, const char *value)
{
	struct setting *p;
	size_t i;

	for (i = 0; i < nsettings; i++)
		if (strcmp(settings[i].name, name) == 0)
			return;		/* the earlier file wins */
	p = realloc(settings, (nsettings + 1) * sizeof(*p));
	if (p == NULL)
		return;
	settings = p;
	settings[nsettings].name = strdup(name);
	settings[nsettings].value = strdup(value);
	if (settings[nsettings].name == NULL ||
	    settings[nsettings].value == NULL) {
		free(settings[nsettings].name);
		free(settings[nsettings].value);
		return;
	}
	nsettings++;
}

static char *
trim(char *s)
{
	char *end;

	while (isspace((unsigned char)*s))
		s++;
	end = s + strlen(s);
	while (end > s && isspace((unsigned char)end[-1]))
		*--end = '\0';
	return s;
}

static void
parse_line(char *line)
{
	char *eq, *name, *value, *hash;
	size_t n;

	line = trim(line);
	if (*line == '\0' || *line == '#')
		return;
	if (strncmp(line, "export ", 7) == 0)
		line = trim(line + 7);
	eq = strchr(line, '=');
	if (eq == NULL)
		return;
	*eq = '\0';
	name = trim(line);
	value = trim(eq + 1);
	n = strlen(value);
	if (n >= 2 && (value[0] == '"' || value[0] == '\'') &&
	    value[n - 1] == value[0]) {
		value[n - 1] = '\0';
		value++;
	} else if ((hash = strstr(value, " #")) != NULL) {
		*hash = '\0';
		value = trim(value);
	}
	if (*name != '\0')
		add_setting(name, value);
}

static void
load_file(const char *path)
{
	struct stat st;
	char *line = NULL;
	size_t cap = 0;
	FILE *fp;

	fp = fopen(path, "r");
	if (fp == NULL)
		return;
	if (warn_modes && fstat(fileno(fp), &st) == 0 &&
	    (st.st_mode & 077) != 0)
		log_warn("'%s' is %s by group or others (mode %04o); "
		    "it may hold keys: chmod 600 it", path,
		    (st.st_mode & 044) != 0 ? "readable" : "writable",
		    (unsigned)(st.st_mode & 07777));
	while (getline(&line, &cap, fp) != -1)
		parse_line(line);
	free(line);
	fclose(fp);
}

static void
load(void)
{
	const char *xdg, *home;
	char path[4096];

	if (loaded)
		return;
	loaded = 1;
	/* One warning a run: a parent that read the files has said it, and
	 * says so to its children (the front door before triage run's
	 * stages, triage-agent before its tools). */
	warn_modes = getenv(CONFIG_CHECKED) == NULL;
	if (warn_modes)
		(void)setenv(CONFIG_CHECKED, "1", 1);
	load_file(".env");
	xdg = getenv("XDG_CONFIG_HOME");
	home = getenv("HOME");
	if (xdg != NULL && *xdg == '/')
		snprintf(path, sizeof(path), "%s/triage/env", xdg);
	else if (home != NULL && *home != '\0')
		snprintf(path, sizeof(path), "%s/.config/triage/env", home);
	else
		return;
	load_file(path);
}

void
config_load(void)
{
	load();
}

const char *
config_get(const char *name)
{
	const char *v;
	size_t i;

	v = getenv(name);
	if (v != NULL)
		return *v != '\0' ? v : NULL;
	load();
	for (i = 0; i < nsettings; i++)
		if (strcmp(settings[i].name, name) == 0)
			return *settings[i].value != '\0' ?
			    settings[i].value : NULL;
	return NULL;
}

const char *
config_get_or(const char *name, const char *fallback)
{
	const char *v = config_get(name);

	return v != NULL ? v : fallback;
}

long
config_get_long(const char *name, long fallback)
{
	const char *v = config_get(name);
	char *end;
	long n;

	if (v == NULL)
		return fallback;
	errno = 0;
	n = strtol(v, &end, 10);
	if (end == v || *end != '\0' || errno != 0)
		return fallback;
	return n;
}

void
config_reset(void)
{
	size_t i;

	for (i = 0; i < nsettings; i++) {
		free(settings[i].name);
		free(settings[i].value);
	}
	free(settings);
	settings = NULL;
	nsettings = 0;
	loaded = 0;
}
