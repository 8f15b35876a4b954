/*
 * queue: incident_summary records as a table for the person choosing what
 * to look at next: number, severity, status, owner, age and title, in the
 * order they came.  On a terminal the severity is in colour (never with
 * NO_COLOR); every cell is cleaned, so a title cannot carry a terminal
 * escape.  With markdown, the same table as GFM.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "buf.h"
#include "cli.h"
#include "escape.h"
#include "isotime.h"
#include "jsonx.h"
#include "render.h"
#include "term.h"

#define NCOLS		6
#define TITLE_MAX	100
#define CELL_MAX	40

static const char *const heads[NCOLS] = {
	"#", "SEVERITY", "STATUS", "OWNER", "AGE", "TITLE"
};
static const char *const md_heads[NCOLS] = {
	"Number", "Severity", "Status", "Owner", "Age", "Title"
};

static const char *
sev_colour(const char *sev)
{
	if (sev == NULL)
		return NULL;
	if (strcasecmp(sev, "Critical") == 0)
		return SGR_MAGENTA;
	if (strcasecmp(sev, "High") == 0)
		return SGR_RED;
	if (strcasecmp(sev, "Medium") == 0)
		return SGR_YELLOW;
	if (strcasecmp(sev, "Low") == 0)
		return SGR_BLUE;
	return SGR_DIM;
}

static void
fmt_age(int64_t now, const char *iso, char *out, size_t outsz)
{
	int64_t t, m;

	if (iso == NULL || iso_parse(iso, &t) == -1) {
		snprintf(out, outsz, "-");
		return;
	}
	m = now > t ? (now - t) / (60 * TICKS_PER_SEC) : 0;
	if (m < 1)
		snprintf(out, outsz, "<1m");
	else if (m < 60)
		snprintf(out, outsz, "%lldm", (long long)m);
	else if (m < 24 * 60)
		snprintf(out, outsz, "%lldh %lldm", (long long)(m / 60),
		    (long long)(m % 60));
	else
		snprintf(out, outsz, "%lldd %lldh", (long long)(m / 1440),
		    (long long)(m % 1440 / 60));
}

/* A cell: cleaned, cut to max code points with an ellipsis. */
static char *
cell(const char *s, size_t max)
{
	struct buf b, c;
	size_t cut, total;

	buf_init(&b);
	buf_init(&c);
	esc_clean(&c, s != NULL ? s : "", s != NULL ? strlen(s) : 0,
	    ESC_NL_SPACE);
	cut = esc_cut(buf_str(&c), c.len, max, &total);
	buf_add(&b, buf_str(&c), cut);
	if (total > max)
		buf_adds(&b, "\xe2\x80\xa6");
	if (b.data == NULL)
		buf_adds(&b, "");
	buf_release(&c);
	if (buf_failed(&b))
		cli_die(EXIT_FAIL, "out of memory");
	return buf_steal(&b);
}

static const char *
owner_of(const json_t *s)
{
	json_t *o = json_object_get(s, "owner");
	const char *n;

	if (json_is_string(o) && *json_string_value(o) != '\0')
		return json_string_value(o);
	if ((n = jx_nstr(o, "name")) != NULL || (n = jx_nstr(o, "upn")) != NULL)
		return n;
	return "unassigned";
}

int
queue_render(FILE *fp, const json_t *summaries, const struct render_opts *o,
    int markdown)
{
	size_t n = json_array_size(summaries), i, k, w[NCOLS], len;
	char ***rows, age[32], num[32];
	int colour = !markdown && term_colour(fileno(fp));
	struct buf b;
	json_t *s;

	if (n == 0) {
		fputs(markdown ? "*No incidents in the queue.*\n" :
		    "No incidents in the queue.\n", fp);
		return 0;
	}
	rows = xcalloc(n, sizeof(*rows));
	for (k = 0; k < NCOLS; k++)
		w[k] = strlen(heads[k]);
	for (i = 0; i < n; i++) {
		s = json_array_get(summaries, i);
		rows[i] = xcalloc(NCOLS, sizeof(char *));
		if (jx_int(s, "number", -1) >= 0)
			snprintf(num, sizeof(num), "%lld",
			    jx_int(s, "number", -1));
		else
			snprintf(num, sizeof(num), "-");
		fmt_age(o->now, jx_nstr(s, "created") != NULL ?
		    jx_str(s, "created") : jx_str(s, "last_modified"), age,
		    sizeof(age));
		rows[i][0] = xstrdup(num);
		rows[i][1] = cell(jx_nstr(s, "severity") != NULL ?
		    jx_str(s, "severity") : "-", CELL_MAX);
		rows[i][2] = cell(jx_nstr(s, "status") != NULL ?
		    jx_str(s, "status") : "-", CELL_MAX);
		rows[i][3] = cell(owner_of(s), CELL_MAX);
		rows[i][4] = xstrdup(age);
		rows[i][5] = cell(jx_nstr(s, "title") != NULL ?
		    jx_str(s, "title") : "(untitled)", TITLE_MAX);
		for (k = 0; k < NCOLS; k++) {
			len = esc_chars(rows[i][k], strlen(rows[i][k]));
			if (len > w[k])
				w[k] = len;
		}
	}
	buf_init(&b);
	if (markdown) {
		buf_addc(&b, '|');
		for (k = 0; k < NCOLS; k++)
			buf_printf(&b, " %s |", md_heads[k]);
		buf_adds(&b, "\n|");
		for (k = 0; k < NCOLS; k++)
			buf_adds(&b, " --- |");
		buf_addc(&b, '\n');
		for (i = 0; i < n; i++) {
			buf_addc(&b, '|');
			for (k = 0; k < NCOLS; k++) {
				buf_addc(&b, ' ');
				if (k == 1)
					buf_adds(&b, "**");
				esc_md_text(&b, rows[i][k], strlen(rows[i][k]),
				    ESC_MD_CELL | ESC_MD_INLINE);
				if (k == 1)
					buf_adds(&b, "**");
				buf_adds(&b, " |");
			}
			buf_addc(&b, '\n');
		}
	} else {
		for (k = 0; k < NCOLS; k++)
			buf_printf(&b, "%-*s%s", k + 1 < NCOLS ? (int)w[k] : 0,
			    heads[k], k + 1 < NCOLS ? "  " : "\n");
		for (i = 0; i < n; i++) {
			for (k = 0; k < NCOLS; k++) {
				const char *sgr = k == 1 && colour ?
				    sev_colour(rows[i][1]) : NULL;

				if (sgr != NULL)
					buf_printf(&b, "\033[%sm", sgr);
				buf_adds(&b, rows[i][k]);
				if (sgr != NULL)
					buf_adds(&b, "\033[0m");
				if (k + 1 == NCOLS)
					break;
				len = esc_chars(rows[i][k],
				    strlen(rows[i][k]));
				while (len++ < w[k] + 2)
					buf_addc(&b, ' ');
			}
			buf_addc(&b, '\n');
		}
	}
	for (i = 0; i < n; i++) {
		for (k = 0; k < NCOLS; k++)
			free(rows[i][k]);
		free(rows[i]);
	}
	free(rows);
	if (buf_failed(&b))
		cli_die(EXIT_FAIL, "out of memory");
	fwrite(buf_str(&b), 1, b.len, fp);
	buf_release(&b);
	return 0;
}
