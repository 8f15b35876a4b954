/*
 * test_ratelimit: budgets parse as documented, slots are handed out in
 * order within every window, the UTC day is counted, a pause or a spent
 * quota holds everyone back, and two processes share one budget.
 */
#include <sys/wait.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config.h"
#include "ratelimit.h"
#include "tap.h"

/* 01:00 UTC on a day in 2024 */
#define T0	(20000LL * RATELIMIT_DAY_MS + 3600 * 1000)

static void
test_parse(void)
{
	struct ratelimit_window w[RATELIMIT_MAX_WINDOWS];
	char err[256] = "";
	size_t n;

	ok(ratelimit_parse("4/min,500/day", w, &n, err, sizeof(err)) == 0,
	    "parse 4/min,500/day");
	is_int((long long)n, 2, "two windows");
	is_int(w[0].limit, 4, "limit 4");
	is_int(w[0].period_ms, 60000, "a minute");
	is_int(w[1].limit, 500, "limit 500");
	is_int(w[1].period_ms, 0, "the UTC day");
	ok(ratelimit_parse(" 10 / 30s , 1000/Hour ", w, &n, err,
	    sizeof(err)) == 0, "spaces, counts and case");
	is_int(w[0].period_ms, 30000, "30 seconds");
	is_int(w[1].period_ms, 3600000, "an hour");
	ok(ratelimit_parse("none", w, &n, err, sizeof(err)) == 0 && n == 0,
	    "none is no limit");
	ok(ratelimit_parse("", w, &n, err, sizeof(err)) == 0 && n == 0,
	    "empty is no limit");
	ok(ratelimit_parse("4/fortnight", w, &n, err, sizeof(err)) == -1,
	    "unknown period refused");
	ok(strstr(err, "'4/fortnight'") != NULL, "the message names it: %s",
	    err);
	ok(ratelimit_parse("0/min", w, &n, err, sizeof(err)) == -1,
	    "zero refused");
	ok(ratelimit_parse("5/2day", w, &n, err, sizeof(err)) == -1,
	    "a two-day budget refused");
	ok(ratelimit_parse("4/min,", w, &n, err, sizeof(err)) == -1,
	    "trailing comma refused");
	ok(ratelimit_parse("20000/min", w, &n, err, sizeof(err)) == -1,
	    "huge sliding window refused");
	ok(ratelimit_parse("1/s,1/s,1/s,1/s,1/s", w, &n, err,
	    sizeof(err)) == -1, "too many windows refused");
	ok(ratelimit_parse("99999999999999999999/s", w, &n, err,
	    sizeof(err)) == -1, "overflow refused");
}

static void
test_minute(void)
{
	struct ratelimit rl;
	char err[256] = "";
	int64_t at;
	int i;

	setenv("TRIAGE_RATE_MINUTE_TEST", "4/min", 1);
	config_reset();
	ok(ratelimit_open(&rl, "minute-test", "1/day", err, sizeof(err)) == 0,
	    "open: %s", err);
	is_int((long long)rl.nw, 1, "the setting wins over the default");
	for (i = 0; i < 4; i++) {
		ok(ratelimit_reserve(&rl, T0, 0, &at) == RATELIMIT_GO &&
		    at == T0, "slot %d now", i + 1);
	}
	ok(ratelimit_reserve(&rl, T0, 1000, &at) == RATELIMIT_LATER,
	    "fifth is later");
	is_int(at - T0, 60000, "a minute later");
	ok(ratelimit_reserve(&rl, T0 + 10, 60000, &at) == RATELIMIT_GO,
	    "booked when the caller waits");
	is_int(at - T0, 60000, "for the minute mark");
	ok(ratelimit_reserve(&rl, T0 + 20, 60000, &at) == RATELIMIT_GO &&
	    at - T0 == 60000, "the next one shares it");
	ok(ratelimit_reserve(&rl, T0 + 61000, 0, &at) == RATELIMIT_GO &&
	    ratelimit_reserve(&rl, T0 + 61000, 0, &at) == RATELIMIT_GO,
	    "and two more after");
	ok(ratelimit_reserve(&rl, T0 + 61000, 0, &at) == RATELIMIT_LATER,
	    "then the window is full again");
	is_int(at - T0, 120000, "until the second minute mark");
	ratelimit_release(&rl);
}

static void
test_day(void)
{
	struct ratelimit rl;
	char err[256] = "";
	int64_t at;

	ok(ratelimit_open(&rl, "day-test", "2/day", err, sizeof(err)) == 0,
	    "open day budget");
	ok(ratelimit_reserve(&rl, T0, 0, &at) == RATELIMIT_GO, "day 1");
	ok(ratelimit_reserve(&rl, T0 + 1, 0, &at) == RATELIMIT_GO, "day 2");
	ok(ratelimit_reserve(&rl, T0 + 2, 60000, &at) == RATELIMIT_SPENT,
	    "third is spent");
	is_int(at, (T0 / RATELIMIT_DAY_MS + 1) * RATELIMIT_DAY_MS,
	    "until midnight UTC");
	ok(ratelimit_reserve(&rl, at - 500, 1000, &at) == RATELIMIT_GO,
	    "just before midnight, a caller that waits gets the new day");
	ok(ratelimit_reserve(&rl, T0 + RATELIMIT_DAY_MS + 5, 0, &at) ==
	    RATELIMIT_GO, "next day again");
	ok(ratelimit_reserve(&rl, T0 + RATELIMIT_DAY_MS + 6, 0, &at) ==
	    RATELIMIT_SPENT, "and spent again");
	ratelimit_release(&rl);
}

static void
test_pause_spend(void)
{
	struct ratelimit a, b;
	char err[256] = "";
	int64_t at;

	ok(ratelimit_open(&a, "pause-test", "100/min", err, sizeof(err)) == 0 &&
	    ratelimit_open(&b, "pause-test", "100/min", err, sizeof(err)) == 0,
	    "two handles on one budget");
	ok(ratelimit_pause(&a, T0 + 5000) == 0, "pause");
	ok(ratelimit_reserve(&b, T0, 1000, &at) == RATELIMIT_LATER &&
	    at == T0 + 5000, "the other handle sees the pause");
	ok(ratelimit_reserve(&b, T0, 5000, &at) == RATELIMIT_GO &&
	    at == T0 + 5000, "and books after it");
	ok(ratelimit_spend(&a, T0 + 3600000) == 0, "spend");
	ok(ratelimit_reserve(&b, T0 + 6000, 60000, &at) == RATELIMIT_SPENT &&
	    at == T0 + 3600000, "spent until the time given");
	ok(ratelimit_reserve(&b, T0 + 3600000, 0, &at) == RATELIMIT_GO,
	    "and free after it");
	ratelimit_release(&a);
	ratelimit_release(&b);
}

static void
test_unlimited(void)
{
	struct ratelimit rl;
	char err[256] = "";
	int64_t at;
	int i, all = 1;

	ok(ratelimit_open(&rl, "free-test", NULL, err, sizeof(err)) == 0,
	    "open unlimited");
	for (i = 0; i < 1000; i++)
		all &= ratelimit_reserve(&rl, T0, 0, &at) == RATELIMIT_GO &&
		    at == T0;
	ok(all, "a thousand slots at once");
	ok(ratelimit_pause(&rl, T0 + 2000) == 0 &&
	    ratelimit_reserve(&rl, T0, 0, &at) == RATELIMIT_LATER,
	    "a pause still holds an unlimited budget");
	ratelimit_release(&rl);
}

static void
test_corrupt(void)
{
	struct ratelimit rl;
	char err[256] = "";
	int64_t at;
	FILE *fp;

	ok(ratelimit_open(&rl, "corrupt-test", "1/min", err,
	    sizeof(err)) == 0, "open");
	fp = fopen(rl.path, "w");
	fputs("garbage\n\x01\x02t 5\n", fp);
	fclose(fp);
	ok(ratelimit_reserve(&rl, T0, 0, &at) == RATELIMIT_GO,
	    "a garbled file starts afresh");
	fp = fopen(rl.path, "w");
	fprintf(fp, "triage-ratelimit 1\nt %lld\nt 3\nday x y\n",
	    (long long)T0);
	fclose(fp);
	ok(ratelimit_reserve(&rl, T0 + 1, 0, &at) == RATELIMIT_LATER,
	    "readable lines of a torn file still count");
	ratelimit_release(&rl);
	ok(ratelimit_open(&rl, "bad/name", NULL, err, sizeof(err)) == -1,
	    "a name with a slash is refused");
	setenv("TRIAGE_RATE_BADSPEC", "4/moon", 1);
	config_reset();
	ok(ratelimit_open(&rl, "badspec", NULL, err, sizeof(err)) == -1 &&
	    strstr(err, "TRIAGE_RATE_BADSPEC") != NULL,
	    "a bad setting names the variable: %s", err);
}

/* Two processes race for one budget of 30 per hour: 30 slots in all. */
static void
test_processes(void)
{
	struct ratelimit rl;
	char err[256] = "";
	int64_t at;
	pid_t kids[2];
	int i, st, total = 0, got;

	for (i = 0; i < 2; i++) {
		kids[i] = fork();
		if (kids[i] == 0) {
			if (ratelimit_open(&rl, "race-test", "30/hour", err,
			    sizeof(err)) == -1)
				_exit(255);
			got = 0;
			while (ratelimit_reserve(&rl, T0, 0, &at) ==
			    RATELIMIT_GO)
				got++;
			ratelimit_release(&rl);
			_exit(got);
		}
	}
	for (i = 0; i < 2; i++) {
		waitpid(kids[i], &st, 0);
		if (WIFEXITED(st) && WEXITSTATUS(st) != 255)
			total += WEXITSTATUS(st);
	}
	is_int(total, 30, "two processes booked 30 slots between them");
}

/* No directory for the state file: the budget holds in this process. */
static void
test_local(void)
{
	struct ratelimit rl;
	char err[256] = "", *old;
	int64_t at;

	old = strdup(getenv("XDG_CACHE_HOME"));
	setenv("XDG_CACHE_HOME", "/dev/null/cache", 1);
	ok(ratelimit_open(&rl, "local-test", "2/min", err, sizeof(err)) == -2 &&
	    strstr(err, "cache directory") != NULL, "no directory: -2, why");
	setenv("XDG_CACHE_HOME", old, 1);
	free(old);
	ok(ratelimit_reserve(&rl, T0, 0, &at) == RATELIMIT_GO &&
	    ratelimit_reserve(&rl, T0 + 1, 0, &at) == RATELIMIT_GO,
	    "two slots in the minute");
	ok(ratelimit_reserve(&rl, T0 + 2, 0, &at) == RATELIMIT_LATER &&
	    at == T0 + 60000, "the third waits for the window, in memory");
	ok(ratelimit_pause(&rl, T0 + 120000) == 0 &&
	    ratelimit_reserve(&rl, T0 + 70000, 0, &at) == RATELIMIT_LATER &&
	    at == T0 + 120000, "a pause holds too");
	ratelimit_release(&rl);
}

int
main(void)
{
	setenv("XDG_CACHE_HOME", tap_tmpdir(), 1);
	test_parse();
	test_minute();
	test_day();
	test_pause_spend();
	test_unlimited();
	test_corrupt();
	test_processes();
	test_local();
	return tap_done();
}
