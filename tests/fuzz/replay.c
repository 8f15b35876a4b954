/*
 * replay: runs a fuzz target over files without libFuzzer, so `make check`
 * replays every seed and every crash ever found (tests/fuzz/corpus/NAME and
 * tests/fuzz/crashes/NAME) on every build, under the sanitizers when
 * SANITIZE=1.  Arguments are files or directories.  Prints TAP.
 */
#include <sys/stat.h>

#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int	LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int count;

static void
run_file(const char *path)
{
	FILE *fp;
	uint8_t *data;
	long n;

	fp = fopen(path, "rb");
	if (fp == NULL)
		return;
	fseek(fp, 0, SEEK_END);
	n = ftell(fp);
	rewind(fp);
	data = malloc(n > 0 ? (size_t)n : 1);
	if (data != NULL && fread(data, 1, (size_t)n, fp) == (size_t)n) {
		LLVMFuzzerTestOneInput(data, (size_t)n);
		count++;
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

	if (stat(path, &st) == -1)
		return;
	if (!S_ISDIR(st.st_mode)) {
		run_file(path);
		return;
	}
	d = opendir(path);
	if (d == NULL)
		return;
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
	/* Reaching here without a crash or sanitizer report is the test. */
	printf("ok 1 - replayed %d inputs\n1..1\n", count);
	return 0;
}
