/*
 * test_file: atomic writes, no-replace, reads with a cap, locks, the
 * configuration order, cache names and the cache directory's safety.
 */
#include <sys/stat.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cache.h"
#include "config.h"
#include "file.h"
#include "tap.h"

static void
test_atomic(void)
{
	char path[512], *data;
	struct afile af;
	struct stat st;
	size_t len;

	snprintf(path, sizeof(path), "%s/brief.md", tap_tmpdir());
	ok(file_write_atomic(path, "one\n", 4, 0600) == 0, "atomic write");
	ok(stat(path, &st) == 0 && (st.st_mode & 0777) == 0600, "mode 0600");
	ok(afile_open(&af, path, 0600, AFILE_NO_REPLACE) == 0, "open again");
	fputs("two\n", af.fp);
	ok(afile_commit(&af) == -1 && errno == EEXIST,
	    "no-replace refuses an existing file");
	ok(file_read(path, 100, &data, &len) == 0 && strcmp(data, "one\n") == 0,
	    "the first content survives");
	free(data);

	ok(afile_open(&af, path, 0600, 0) == 0, "open for replacing");
	fputs("half", af.fp);
	afile_abort(&af);
	ok(file_read(path, 100, &data, &len) == 0 && strcmp(data, "one\n") == 0,
	    "an aborted write leaves the old file");
	free(data);
	ok(file_read(path, 2, &data, &len) == -1 && errno == EFBIG,
	    "read cap enforced");
}

static void
test_mkdirs_and_lock(void)
{
	char dir[512], lock[600];
	int a, b;

	snprintf(dir, sizeof(dir), "%s/a/b/c", tap_tmpdir());
	ok(file_mkdirs(dir, 0700) == 0 && access(dir, F_OK) == 0, "mkdir -p");
	ok(file_mkdirs(dir, 0700) == 0, "mkdir -p again is fine");
	snprintf(lock, sizeof(lock), "%s/lock", dir);
	a = file_lock(lock, 0);
	b = file_lock(lock, 0);
	ok(a >= 0 && b >= 0, "two shared locks coexist");
	file_unlock(a);
	file_unlock(b);
	a = file_lock(lock, 1);
	ok(a >= 0, "exclusive lock");
	file_unlock(a);
}

static void
test_config(void)
{
	char dir[512], path[600], env[600];
	FILE *fp;

	snprintf(dir, sizeof(dir), "%s/cfg", tap_tmpdir());
	file_mkdirs(dir, 0700);
	if (chdir(dir) == -1)
		return;
	fp = fopen(".env", "w");
	fputs("# keys\nexport TRIAGE_T_A=from-dotenv\nTRIAGE_T_B='quoted # x'\n"
	    "TRIAGE_T_C=plain # comment\nTRIAGE_T_E=\n", fp);
	fclose(fp);
	chmod(".env", 0600);
	snprintf(path, sizeof(path), "%s/xdg/triage", dir);
	file_mkdirs(path, 0700);
	snprintf(path, sizeof(path), "%s/xdg/triage/env", dir);
	fp = fopen(path, "w");
	fputs("TRIAGE_T_A=from-xdg\nTRIAGE_T_D=xdg-only\n", fp);
	fclose(fp);
	chmod(path, 0600);
	snprintf(env, sizeof(env), "%s/xdg", dir);
	setenv("XDG_CONFIG_HOME", env, 1);
	setenv("TRIAGE_T_F", "from-env", 1);
	config_reset();
	is_str(config_get("TRIAGE_T_A"), "from-dotenv", ".env before XDG");
	is_str(config_get("TRIAGE_T_B"), "quoted # x", "quotes keep #");
	is_str(config_get("TRIAGE_T_C"), "plain", "trailing comment dropped");
	is_str(config_get("TRIAGE_T_D"), "xdg-only", "XDG file read");
	ok(config_get("TRIAGE_T_E") == NULL, "empty is unset");
	setenv("TRIAGE_T_A", "from-env", 1);
	is_str(config_get("TRIAGE_T_A"), "from-env", "environment wins");
	setenv("TRIAGE_T_D", "", 1);
	ok(config_get("TRIAGE_T_D") == NULL,
	    "a set-but-empty variable is not overridden by a file");
	is_int(config_get_long("TRIAGE_T_NOPE", 42), 42, "fallback");
	config_reset();
}

static void
test_cache_names(void)
{
	char a[200], b[200], c[64];

	cache_key_name("virustotal/1.2.3.4", a, sizeof(a));
	is_str(a, "virustotal%2f1.2.3.4", "unsafe characters escaped");
	cache_key_name("../../etc/passwd", b, sizeof(b));
	ok(strchr(b, '/') == NULL && b[0] != '.', "no path escapes (%s)", b);
	cache_key_name("x%2f", a, sizeof(a));
	cache_key_name("x/", b, sizeof(b));
	ok(strcmp(a, b) != 0, "distinct keys, distinct names");
	cache_key_name("https://a.very.long.example.com/with/a/long/path/"
	    "that/goes/on/and/on", c, sizeof(c));
	ok(strlen(c) < sizeof(c) && strchr(c, '~') != NULL,
	    "long keys cut and hashed (%s)", c);
}

/* cache_dir with XDG_CACHE_HOME at tmp/NAME, whose "triage" was set up
 * by the caller. */
static int
cache_in(const char *name, char *out, size_t outsz)
{
	char xdg[4096];

	snprintf(xdg, sizeof(xdg), "%s/%s", tap_tmpdir(), name);
	setenv("XDG_CACHE_HOME", xdg, 1);
	return cache_dir("tokens", out, outsz);
}

static void
test_cache_dir(void)
{
	char dir[4096], top[4096], target[4096];
	struct stat st;

	ok(cache_in("c-new", dir, sizeof(dir)) == 0 &&
	    stat(dir, &st) == 0 && S_ISDIR(st.st_mode) &&
	    (st.st_mode & 0777) == 0700, "a new cache directory is 0700");

	snprintf(top, sizeof(top), "%s/c-open/triage", tap_tmpdir());
	file_mkdirs(top, 0755);
	chmod(top, 0755);
	ok(cache_in("c-open", dir, sizeof(dir)) == 0 &&
	    stat(top, &st) == 0 && (st.st_mode & 0777) == 0700,
	    "an open one of ours is made 0700");

	snprintf(target, sizeof(target), "%s/c-target", tap_tmpdir());
	file_mkdirs(target, 0700);
	snprintf(top, sizeof(top), "%s/c-link", tap_tmpdir());
	file_mkdirs(top, 0700);
	snprintf(top, sizeof(top), "%s/c-link/triage", tap_tmpdir());
	ok(symlink(target, top) == 0, "symlink made");
	errno = 0;
	ok(cache_in("c-link", dir, sizeof(dir)) == -1 && errno == EPERM,
	    "a symlink is refused");
	snprintf(dir, sizeof(dir), "%s/tokens", target);
	ok(access(dir, F_OK) == -1, "nothing made through the symlink");

	snprintf(top, sizeof(top), "%s/c-file", tap_tmpdir());
	file_mkdirs(top, 0700);
	snprintf(top, sizeof(top), "%s/c-file/triage", tap_tmpdir());
	file_write_atomic(top, "x", 1, 0600);
	ok(cache_in("c-file", dir, sizeof(dir)) == -1, "a file is refused");

	snprintf(top, sizeof(top), "%s/c-theirs/triage", tap_tmpdir());
	file_mkdirs(top, 0700);
	if (geteuid() == 0) {
		ok(chown(top, 65534, 65534) == 0, "chowned to nobody");
		errno = 0;
		ok(cache_in("c-theirs", dir, sizeof(dir)) == -1 &&
		    errno == EPERM, "another user's directory is refused");
	} else
		ok(1, "# SKIP not root: cannot give a directory away");
	unsetenv("XDG_CACHE_HOME");
}

int
main(void)
{
	test_atomic();
	test_mkdirs_and_lock();
	test_cache_names();
	test_cache_dir();
	test_config();
	return tap_done();
}
