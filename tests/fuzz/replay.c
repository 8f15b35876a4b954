/*
 * replay: runs a fuzz target over files without libFuzzer, so `make check`
 * replays every seed and every crash ever found (tests/fuzz/corpus/NAME and
 * tests/fuzz/crashes/NAME) on every build, under the sanitizers when
 * SANITIZE=1.  Arguments are files or directories.  Prints TAP; fails
 * when nothing was replayed or an input could not be read.
 */
#include <sys/stat.h>

#include <dirent.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int	LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int count;	/* inputs replayed */
static int errors;	/* inputs that could not be read */

static void
run_file(const char *path)
{
	FILE *fp;
	uint8_t *data;
	long n;

	fp = fopen(path, "rb");
	if (fp == NULL) {
		fprintf(stderr, "replay: %s: %s\n", path, strerror(errno));
		errors++;
		return;
	}
	data = NULL;
	if (fseek(fp, 0, SEEK_END) == 0 && (n = ftell(fp)) >= 0) {
		rewind(fp);
		data = malloc(n > 0 ? (size_t)n : 1);
		if (data != NULL && fread(data, 1, (size_t)n, fp) == (size_t)n) {
			LLVMFuzzerTestOneInput(data, (size_t)n);
			count++;
			path = NULL;
		}
	}
	if (path != NULL) {
		fprintf(stderr, "replay: %s: cannot read it\n", path);
		errors++;
	}
	free(data);
	fclose(fp);
}

static void
run_path(const char *path)
{
	struct dirent *e;
	struct stat st;
	char sub[4096];
	DIR *d;

	/* A missing directory is no error (crashes/NAME exists once a crash
	 * has been found); replaying nothing at all is (main). */
	if (stat(path, &st) == -1)
		return;
	if (!S_ISDIR(st.st_mode)) {
		run_file(path);
		return;
	}
	d = opendir(path);
	if (d == NULL) {
		fprintf(stderr, "replay: %s: %s\n", path, strerror(errno));
		errors++;
		return;
	}
	while ((e = readdir(d)) != NULL) {
		if (e->d_name[0] == '.')
			continue;
		snprintf(sub, sizeof(sub), "%s/%s", path, e->d_name);
		run_path(sub);
	}
	closedir(d);
}

int
main(int argc, char *argv[])
{
	int i;

	for (i = 1; i < argc; i++)
		run_path(argv[i]);
	/* Reaching here without a crash or sanitizer report is the test, but
	 * only if something was replayed: a missing corpus tests nothing. */
	if (count == 0) {
		printf("not ok 1 - replayed no inputs (is the corpus "
		    "missing?)\n1..1\n");
		return 1;
	}
	if (errors > 0) {
		printf("not ok 1 - replayed %d inputs, %d unreadable\n1..1\n",
		    count, errors);
		return 1;
	}
	printf("ok 1 - replayed %d inputs\n1..1\n", count);
	return 0;
}
