/*
 * paths: locating siblings and bundled data from /proc/self/exe.
 */
#include <sys/stat.h>

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config.h"
#include "paths.h"

int
paths_exe_dir(char *out, size_t outsz)
{
	char path[PATH_MAX];
	ssize_t n;
	char *slash;

	n = readlink("/proc/self/exe", path, sizeof(path) - 1);
	if (n <= 0)
		return -1;
	path[n] = '\0';
	slash = strrchr(path, '/');
	if (slash == NULL)
		return -1;
	*slash = '\0';
	if ((size_t)snprintf(out, outsz, "%s", path) >= outsz)
		return -1;
	return 0;
}

int
paths_program(const char *name, char *out, size_t outsz)
{
	char dir[PATH_MAX];

	if (strchr(name, '/') == NULL && paths_exe_dir(dir, sizeof(dir)) == 0 &&
	    (size_t)snprintf(out, outsz, "%s/%s", dir, name) < outsz &&
	    access(out, X_OK) == 0)
		return 1;
	snprintf(out, outsz, "%s", name);
	return 0;
}

static int
exists(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0;
}

int
paths_data_file(const char *rel, char *out, size_t outsz)
{
	char dir[PATH_MAX];
	const char *env;

	env = config_get("TRIAGE_DATA_DIR");
	if (env != NULL) {
		if ((size_t)snprintf(out, outsz, "%s/%s", env, rel) < outsz &&
		    exists(out))
			return 0;
	}
	if (paths_exe_dir(dir, sizeof(dir)) == -1)
		return -1;
	if ((size_t)snprintf(out, outsz, "%s/../share/triage/%s", dir, rel) <
	    outsz && exists(out))
		return 0;
	if ((size_t)snprintf(out, outsz, "%s/../%s", dir, rel) < outsz &&
	    exists(out))
		return 0;
	/* The sanitizer build puts programs in build/san/bin. */
	if ((size_t)snprintf(out, outsz, "%s/../../../%s", dir, rel) < outsz &&
	    exists(out))
		return 0;
	return -1;
}
