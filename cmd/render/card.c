/*
 * card: the document model as a chat card, a Microsoft Teams Workflows
 * webhook payload (an Adaptive Card in a message envelope) or a Slack
 * incoming-webhook payload (Block Kit).  A card is a notification, not the
 * record: tables become one line per row, command lines stay in the full
 * brief, and the whole payload must stay within the service's limits
 * (Teams: 28 KB for the envelope; Slack: 50 blocks, 150 characters in a
 * header, 3000 in a block's text, and our own 40,000-byte ceiling for the
 * whole).  When a card is too big, whole sections go first, least
 * important first (the process chain, the timeline, the anomalies, ATT&CK,
 * entities, enrichment, gaps, the verdict, the actions); the card says
 * which went.  If the summary and actions alone are still too big, every
 * text is cut shorter until it fits.
 *
 * Hostile text never meets a markup parser: Teams gets it in TextRun
 * elements (no markdown, the facts included); Slack gets it in rich_text
 * elements or plain_text (no mrkdwn), and the fallback "text" has & < >
 * escaped with "mrkdwn" off.
 */
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "cli.h"
#include "escape.h"
#include "jsonx.h"
#include "render.h"

/* Text limits in code points at scale 1; they shrink as needed. */
#define CARD_PARA	1200
#define CARD_ITEM	400
#define CARD_CELL	200
#define CARD_CODE	600
#define CARD_TITLE	200
#define CARD_ITEMS	12		/* list items or table rows per block */
#define SLACK_HEADER	150
#define SLACK_BLOCK_TEXT 3000

struct card {
	const struct doc *d;
	int		 slack;
	unsigned	 scale;		/* limits are divided by 2^scale */
	char		*dropped;	/* per section: cut from the card */
};

static size_t
lim(const struct card *k, size_t base)
{
	size_t v = base >> k->scale;

	return v < 24 ? 24 : v;
}

/* How many list items or table rows a card shows of one block. */
static size_t
items_max(const struct card *k)
{
	size_t v = (size_t)CARD_ITEMS >> k->scale;

	return v < 3 ? 3 : v;
}

/* The plain text of an inline, cut to max code points with a marker. */
static char *
plain(const struct inl *in, size_t max)
{
	size_t i, cut, bytes, rest;
	struct buf b;

	buf_init(&b);
	inl_plan(in, max, &cut, &bytes, &rest);
	for (i = 0; i < in->n && i <= cut; i++)
		buf_add(&b, in->v[i].text, i < cut ? strlen(in->v[i].text) :
		    bytes);
	if (rest > 0)
		cut_marker(&b, rest);
	if (b.data == NULL)
		buf_adds(&b, "");
	if (buf_failed(&b))
		cli_die(EXIT_FAIL, "out of memory");
	return buf_steal(&b);
}

/* The text of a span, cut, passed through an escaper. */
static json_t *
jtext(const char *s, size_t n, int (*esc)(struct buf *, const char *,
    size_t, int), int flags)
{
	struct buf b;
	json_t *j;

	buf_init(&b);
	if (esc != NULL)
		esc(&b, s, n, flags);
	else
		esc_clean(&b, s, n, flags);
	if (buf_failed(&b))
		cli_die(EXIT_FAIL, "out of memory");
	j = json_stringn(buf_str(&b), b.len);
	buf_release(&b);
	return j;
}

/* Teams: Adaptive Card pieces. */

static const char *
ac_colour(const char *sev)
{
	if (sev == NULL)
		return "default";
	if (strcmp(sev, "Critical") == 0 || strcmp(sev, "High") == 0)
		return "attention";
	if (strcmp(sev, "Medium") == 0)
		return "warning";
	if (strcmp(sev, "Low") == 0)
		return "accent";
	return "default";
}

static json_t *
ac_run(const struct span *sp, size_t len, int flags)
{
	json_t *r = json_object();

	json_object_set_new(r, "type", json_string("TextRun"));
	json_object_set_new(r, "text", jtext(sp->text, len, esc_ac_text,
	    flags));
	switch (sp->kind) {
	case SPAN_STRONG:
		json_object_set_new(r, "weight", json_string("Bolder"));
		break;
	case SPAN_SEV:
		json_object_set_new(r, "weight", json_string("Bolder"));
		json_object_set_new(r, "color",
		    json_string(ac_colour(sp->text)));
		break;
	case SPAN_EM:
		json_object_set_new(r, "italic", json_true());
		break;
	case SPAN_CODE:
		json_object_set_new(r, "fontType", json_string("Monospace"));
		break;
	case SPAN_LINK:
		json_object_set_new(r, "selectAction", json_pack(
		    "{s:s, s:s}", "type", "Action.OpenUrl", "url", sp->url));
		json_object_set_new(r, "color", json_string("accent"));
		break;
	case SPAN_TEXT:
		break;
	}
	return r;
}

static json_t *
ac_plain_run(const char *text, int bold)
{
	json_t *r = json_pack("{s:s}", "type", "TextRun");

	json_object_set_new(r, "text", jtext(text, strlen(text), esc_ac_text,
	    0));
	if (bold)
		json_object_set_new(r, "weight", json_string("Bolder"));
	return r;
}

/* Appends the runs of an inline, cut to max, to the array runs. */
static void
ac_runs(json_t *runs, const struct inl *in, size_t max, int flags)
{
	size_t i, cut, bytes, rest;
	struct buf m;

	inl_plan(in, max, &cut, &bytes, &rest);
	for (i = 0; i < in->n && i <= cut; i++) {
		if (i < cut)
			json_array_append_new(runs, ac_run(&in->v[i],
			    strlen(in->v[i].text), flags));
		else if (bytes > 0)
			json_array_append_new(runs, ac_run(&in->v[i], bytes,
			    flags));
	}
	if (rest > 0) {
		buf_init(&m);
		cut_marker(&m, rest);
		json_array_append_new(runs, json_pack("{s:s, s:s%, s:b}",
		    "type", "TextRun", "text", buf_str(&m), m.len, "italic",
		    1));
		buf_release(&m);
	}
}

static json_t *
ac_rich(json_t *runs, const char *spacing)
{
	json_t *b = json_pack("{s:s, s:o}", "type", "RichTextBlock",
	    "inlines", runs);

	if (spacing != NULL)
		json_object_set_new(b, "spacing", json_string(spacing));
	return b;
}

/* "… 12 more in the full brief", when a list was cut. */
static void
ac_more(json_t *items, size_t left)
{
	char t[80];

	if (left == 0)
		return;
	snprintf(t, sizeof(t), "\xe2\x80\xa6 %zu more in the full brief", left);
	json_array_append_new(items, json_pack("{s:s, s:[{s:s, s:s, s:b}], "
	    "s:s}", "type", "RichTextBlock", "inlines", "type", "TextRun",
	    "text", t, "italic", 1, "spacing", "Small"));
}

/* A table row as one line: the first cell bold, the rest after dots. */
static void
row_runs(const struct card *k, json_t *runs, const struct block *t,
    size_t r, int slack, json_t *selems);

static json_t *
teams_section(const struct card *k, const struct section *s)
{
	json_t *items = json_array(), *runs;
	const struct block *b;
	size_t i, j, rows;
	char num[32];

	json_array_append_new(items, json_pack("{s:s, s:s, s:s, s:s, s:b, "
	    "s:b}", "type", "TextBlock", "text", s->title, "weight", "Bolder",
	    "spacing", "Medium", "separator", 1, "wrap", 1));
	for (i = 0; i < s->n; i++) {
		b = s->blocks[i];
		if (b->flags & BLOCK_DOC_ONLY)
			continue;
		switch (b->kind) {
		case BLOCK_PARA:
			runs = json_array();
			ac_runs(runs, b->items[0], lim(k, CARD_PARA),
			    ESC_NL_KEEP);
			json_array_append_new(items, ac_rich(runs, NULL));
			break;
		case BLOCK_LIST:
		case BLOCK_OLIST:
			for (j = 0; j < b->n && j < items_max(k); j++) {
				runs = json_array();
				if (b->kind == BLOCK_LIST)
					snprintf(num, sizeof(num), "%s",
					    "\xe2\x80\xa2 ");
				else
					snprintf(num, sizeof(num), "%zu. ",
					    j + 1);
				json_array_append_new(runs, ac_plain_run(num,
				    b->kind == BLOCK_OLIST));
				ac_runs(runs, b->items[j], lim(k, CARD_ITEM),
				    ESC_NL_SPACE);
				json_array_append_new(items, ac_rich(runs,
				    "Small"));
			}
			ac_more(items, b->n - j);
			break;
		case BLOCK_TABLE:
			rows = b->ncols > 0 ? b->n / b->ncols : 0;
			for (j = 0; j < rows && j < items_max(k); j++) {
				runs = json_array();
				row_runs(k, runs, b, j, 0, NULL);
				json_array_append_new(items, ac_rich(runs,
				    "Small"));
			}
			ac_more(items, rows - j);
			break;
		case BLOCK_CODE: {
			struct inl in = { 0 };
			struct span sp = { SPAN_CODE, b->code, NULL };

			in.v = &sp;
			in.n = 1;
			runs = json_array();
			ac_runs(runs, &in, lim(k, CARD_CODE), ESC_NL_KEEP);
			json_array_append_new(items, ac_rich(runs, NULL));
			break;
		}
		}
	}
	return items;
}

/* Slack: rich_text pieces. */

static json_t *
sl_elem(const struct span *sp, size_t len)
{
	json_t *e = json_object(), *style = NULL;

	if (sp->kind == SPAN_LINK) {
		json_object_set_new(e, "type", json_string("link"));
		json_object_set_new(e, "url", json_string(sp->url));
		json_object_set_new(e, "text", jtext(sp->text, len, NULL, 0));
		return e;
	}
	json_object_set_new(e, "type", json_string("text"));
	json_object_set_new(e, "text", jtext(sp->text, len, NULL,
	    ESC_NL_KEEP));
	if (sp->kind == SPAN_STRONG || sp->kind == SPAN_SEV)
		style = json_pack("{s:b}", "bold", 1);
	else if (sp->kind == SPAN_EM)
		style = json_pack("{s:b}", "italic", 1);
	else if (sp->kind == SPAN_CODE)
		style = json_pack("{s:b}", "code", 1);
	if (style != NULL)
		json_object_set_new(e, "style", style);
	return e;
}

static void
sl_elems(json_t *elems, const struct inl *in, size_t max)
{
	size_t i, cut, bytes, rest;
	struct buf m;

	inl_plan(in, max, &cut, &bytes, &rest);
	for (i = 0; i < in->n && i <= cut; i++) {
		if (i < cut)
			json_array_append_new(elems, sl_elem(&in->v[i],
			    strlen(in->v[i].text)));
		else if (bytes > 0)
			json_array_append_new(elems, sl_elem(&in->v[i],
			    bytes));
	}
	if (rest > 0) {
		buf_init(&m);
		cut_marker(&m, rest);
		json_array_append_new(elems, json_pack("{s:s, s:s%, s:{s:b}}",
		    "type", "text", "text", buf_str(&m), m.len, "style",
		    "italic", 1));
		buf_release(&m);
	}
}

static json_t *
sl_section(json_t *elems)
{
	return json_pack("{s:s, s:o}", "type", "rich_text_section",
	    "elements", elems);
}

/* Code points of text in a rich_text element array (nested). */
static size_t
sl_chars(const json_t *v)
{
	size_t i, n = 0;
	json_t *x;

	if (json_is_object(v)) {
		x = json_object_get(v, "text");
		if (json_is_string(x))
			n += esc_chars(json_string_value(x),
			    json_string_length(x));
		n += sl_chars(json_object_get(v, "elements"));
	} else
		json_array_foreach(v, i, x)
			n += sl_chars(x);
	return n;
}

/* "… 12 more in the full brief", when a list was cut. */
static json_t *
sl_more(size_t left)
{
	char t[80];

	snprintf(t, sizeof(t), "\xe2\x80\xa6 %zu more in the full brief", left);
	return sl_section(json_pack("[{s:s, s:s, s:{s:b}}]", "type", "text",
	    "text", t, "style", "italic", 1));
}

static json_t *
slack_section(const struct card *k, const struct section *s)
{
	json_t *blocks = json_array(), *rt = json_array(), *list, *el;
	const struct block *b;
	size_t i, j, rows, left = 0, capped = 0;
	size_t budget = SLACK_BLOCK_TEXT - 100;

	json_array_append_new(blocks, json_pack("{s:s, s:{s:s, s:s, s:b}}",
	    "type", "header", "text", "type", "plain_text", "text", s->title,
	    "emoji", 0));
	for (i = 0; i < s->n; i++) {
		b = s->blocks[i];
		if (b->flags & BLOCK_DOC_ONLY)
			continue;
		el = NULL;
		switch (b->kind) {
		case BLOCK_PARA:
			el = json_array();
			sl_elems(el, b->items[0], lim(k, CARD_PARA));
			el = sl_section(el);
			break;
		case BLOCK_LIST:
		case BLOCK_OLIST:
		case BLOCK_TABLE:
			list = json_array();
			rows = b->kind == BLOCK_TABLE ? (b->ncols > 0 ?
			    b->n / b->ncols : 0) : b->n;
			for (j = 0; j < rows; j++) {
				json_t *e;

				if (j >= items_max(k)) {
					capped = rows - j;
					break;
				}
				e = json_array();
				if (b->kind == BLOCK_TABLE)
					row_runs(k, NULL, b, j, 1, e);
				else
					sl_elems(e, b->items[j],
					    lim(k, CARD_ITEM));
				if (sl_chars(rt) + sl_chars(list) +
				    sl_chars(e) > budget) {
					json_decref(e);
					left = rows - j;
					break;
				}
				json_array_append_new(list, sl_section(e));
			}
			el = json_pack("{s:s, s:s, s:o}", "type",
			    "rich_text_list", "style", b->kind == BLOCK_OLIST ?
			    "ordered" : "bullet", "elements", list);
			break;
		case BLOCK_CODE: {
			struct inl in = { 0 };
			struct span sp = { SPAN_TEXT, b->code, NULL };

			in.v = &sp;
			in.n = 1;
			el = json_array();
			sl_elems(el, &in, lim(k, CARD_CODE));
			el = json_pack("{s:s, s:o}", "type",
			    "rich_text_preformatted", "elements", el);
			break;
		}
		}
		if (el == NULL)
			continue;
		if (json_array_size(json_object_get(el, "elements")) == 0) {
			json_decref(el);
			if (left > 0)
				break;
			continue;
		}
		if (sl_chars(rt) + sl_chars(el) > budget) {
			json_decref(el);
			if (left == 0)
				left = 1;
			break;
		}
		json_array_append_new(rt, el);
		if (left > 0)
			break;
		if (capped > 0) {
			json_array_append_new(rt, sl_more(capped));
			capped = 0;
		}
	}
	if (left > 0)
		json_array_append_new(rt, sl_more(left));
	if (json_array_size(rt) > 0)
		json_array_append_new(blocks, json_pack("{s:s, s:o}", "type",
		    "rich_text", "elements", rt));
	else
		json_decref(rt);
	return blocks;
}

static void
row_runs(const struct card *k, json_t *runs, const struct block *t,
    size_t r, int slack, json_t *selems)
{
	const struct inl *cell;
	size_t c, max, n = 0;
	struct span dot = { SPAN_TEXT, (char *)" \xc2\xb7 ", NULL };

	for (c = 0; c < t->ncols; c++) {
		cell = t->items[r * t->ncols + c];
		if (inl_empty(cell))
			continue;
		max = lim(k, CARD_CELL);
		if (t->cols[c].max < max)
			max = t->cols[c].max;
		if (n++ > 0) {
			if (slack)
				json_array_append_new(selems, sl_elem(&dot,
				    strlen(dot.text)));
			else
				json_array_append_new(runs, ac_run(&dot,
				    strlen(dot.text), 0));
		}
		if (c == 0 && cell->n == 1 && cell->v[0].kind == SPAN_TEXT) {
			struct span b = cell->v[0];

			b.kind = SPAN_STRONG;
			if (slack)
				json_array_append_new(selems, sl_elem(&b,
				    esc_cut(b.text, strlen(b.text), max,
				    NULL)));
			else
				json_array_append_new(runs, ac_run(&b,
				    esc_cut(b.text, strlen(b.text), max,
				    NULL), ESC_NL_SPACE));
		} else if (slack)
			sl_elems(selems, cell, max);
		else
			ac_runs(runs, cell, max, ESC_NL_SPACE);
	}
}

/* Assembly and the size budget. */

/* Whether section i shows on a card at all. */
static int
on_card(const struct doc *d, size_t i)
{
	const struct section *s = d->secs[i];
	size_t j;

	if (s->flags & SEC_DOC_ONLY)
		return 0;
	for (j = 0; j < s->n; j++)
		if (!(s->blocks[j]->flags & BLOCK_DOC_ONLY))
			return 1;
	return 0;
}

static char *
cut_note(const struct card *k)
{
	const struct doc *d = k->d;
	struct buf b;
	size_t i, n = 0;

	buf_init(&b);
	buf_printf(&b, "Cut to fit the %s: ", k->slack ?
	    "Slack message limits" : "28 KB Teams message limit");
	for (i = 0; i < d->n; i++) {
		if (!k->dropped[i] || !on_card(d, i))
			continue;
		buf_adds(&b, n++ == 0 ? "" : ", ");
		buf_adds(&b, d->secs[i]->title);
	}
	if (n == 0 && k->scale == 0) {
		buf_release(&b);
		return NULL;
	}
	if (k->scale > 0)
		buf_adds(&b, n == 0 ? "long texts shortened" :
		    "; long texts shortened");
	buf_adds(&b, ". The full brief has everything.");
	if (buf_failed(&b))
		cli_die(EXIT_FAIL, "out of memory");
	return buf_steal(&b);
}

static json_t *
teams_payload(const struct card *k)
{
	const struct doc *d = k->d;
	json_t *body = json_array(), *runs, *card;
	json_t *actions = json_array(), *sec;
	size_t i;
	char *note, *t, name[64];

	runs = json_array();
	t = plain(&d->title, CARD_TITLE);
	json_array_append_new(runs, json_pack("{s:s, s:o, s:s, s:s}", "type",
	    "TextRun", "text", jtext(t, strlen(t), esc_ac_text, 0), "size",
	    "Large", "weight", "Bolder"));
	free(t);
	json_array_append_new(body, ac_rich(runs, NULL));
	/* The facts as TextRuns, not a FactSet: a FactSet value is
	 * markdown, and the backslashes that would escape hostile text in
	 * it show on Teams mobile (microsoft/AdaptiveCards#5590). */
	for (i = 0; i < d->nfacts; i++) {
		runs = json_array();
		snprintf(name, sizeof(name), "%s: ", d->facts[i].name);
		json_array_append_new(runs, ac_plain_run(name, 1));
		ac_runs(runs, &d->facts[i].value, lim(k, CARD_CELL),
		    ESC_NL_SPACE);
		json_array_append_new(body, ac_rich(runs, "None"));
	}
	for (i = 0; i < d->n; i++) {
		if (k->dropped[i] || !on_card(d, i) ||
		    (d->secs[i]->flags & SEC_FOOTER))
			continue;
		sec = teams_section(k, d->secs[i]);
		json_array_extend(body, sec);
		json_decref(sec);
	}
	if ((note = cut_note(k)) != NULL) {
		json_array_append_new(body, json_pack("{s:s, s:[{s:s, s:s, "
		    "s:b}], s:s, s:b}", "type", "RichTextBlock", "inlines",
		    "type", "TextRun", "text", note, "italic", 1, "spacing",
		    "Medium", "separator", 1));
		free(note);
	}
	for (i = 0; i < d->n; i++) {
		if (!(d->secs[i]->flags & SEC_FOOTER) || k->dropped[i] ||
		    d->secs[i]->n == 0)
			continue;
		runs = json_array();
		ac_runs(runs, d->secs[i]->blocks[0]->items[0],
		    lim(k, CARD_PARA), ESC_NL_SPACE);
		json_array_append_new(body, json_pack("{s:s, s:o, s:s, s:b}",
		    "type", "RichTextBlock", "inlines", runs, "spacing",
		    "Medium", "separator", 1));
	}
	card = json_pack("{s:s, s:s, s:s, s:{s:s}, s:o}", "$schema",
	    "http://adaptivecards.io/schemas/adaptive-card.json", "type",
	    "AdaptiveCard", "version", "1.4", "msteams", "width", "Full",
	    "body", body);
	if (d->link != NULL) {
		const char *label = strstr(d->link, "security.") != NULL ?
		    "Open in Microsoft Defender" : "Open in the Azure portal";

		json_array_append_new(actions, json_pack("{s:s, s:s, s:s}",
		    "type", "Action.OpenUrl", "title", label, "url", d->link));
	}
	if (json_array_size(actions) > 0)
		json_object_set_new(card, "actions", actions);
	else
		json_decref(actions);
	return json_pack("{s:s, s:[{s:s, s:n, s:o}]}", "type", "message",
	    "attachments", "contentType",
	    "application/vnd.microsoft.card.adaptive", "contentUrl",
	    "content", card);
}

static json_t *
slack_payload(const struct card *k)
{
	const struct doc *d = k->d;
	json_t *blocks = json_array(), *head = json_array(), *sec, *line;
	struct buf fb;
	size_t i;
	char *note, *t, label[64];

	/* The title and the facts, with the link, in one rich_text. */
	line = json_array();
	t = plain(&d->title, CARD_TITLE);
	json_array_append_new(line, json_pack("{s:s, s:o, s:{s:b}}", "type",
	    "text", "text", jtext(t, strlen(t), NULL, 0), "style", "bold",
	    1));
	free(t);
	json_array_append_new(head, sl_section(line));
	line = json_array();
	for (i = 0; i < d->nfacts; i++) {
		if (i > 0)
			json_array_append_new(line, json_pack("{s:s, s:s}",
			    "type", "text", "text", "\n"));
		snprintf(label, sizeof(label), "%s: ", d->facts[i].name);
		json_array_append_new(line, json_pack("{s:s, s:s, s:{s:b}}",
		    "type", "text", "text", label, "style", "bold", 1));
		sl_elems(line, &d->facts[i].value, CARD_CELL);
	}
	if (d->link != NULL)
		json_array_append_new(line, json_pack("{s:s, s:s}", "type",
		    "text", "text", d->nfacts > 0 ? "\n" : ""));
	if (d->link != NULL)
		json_array_append_new(line, json_pack("{s:s, s:s, s:s}",
		    "type", "link", "url", d->link, "text",
		    strstr(d->link, "security.") != NULL ?
		    "Open in Microsoft Defender" : "Open in the Azure portal"));
	if (json_array_size(line) > 0)
		json_array_append_new(head, sl_section(line));
	else
		json_decref(line);
	json_array_append_new(blocks, json_pack("{s:s, s:o}", "type",
	    "rich_text", "elements", head));

	for (i = 0; i < d->n; i++) {
		if (k->dropped[i] || !on_card(d, i) ||
		    (d->secs[i]->flags & SEC_FOOTER))
			continue;
		json_array_append_new(blocks, json_pack("{s:s}", "type",
		    "divider"));
		sec = slack_section(k, d->secs[i]);
		json_array_extend(blocks, sec);
		json_decref(sec);
	}
	if ((note = cut_note(k)) != NULL) {
		json_array_append_new(blocks, json_pack("{s:s, s:[{s:s, s:o}]}",
		    "type", "context", "elements", "type", "plain_text", "text",
		    jtext(note, strlen(note), NULL, 0)));
		free(note);
	}
	for (i = 0; i < d->n; i++) {
		if (!(d->secs[i]->flags & SEC_FOOTER) || k->dropped[i] ||
		    d->secs[i]->n == 0)
			continue;
		t = plain(d->secs[i]->blocks[0]->items[0],
		    lim(k, SLACK_BLOCK_TEXT / 2));
		/* plain_text: mrkdwn has no escape for * _ ~ `, so a model
		 * named m*o*d*e*l would turn bold. */
		json_array_append_new(blocks, json_pack("{s:s, s:[{s:s, s:o, "
		    "s:b}]}", "type", "context", "elements", "type",
		    "plain_text", "text", jtext(t, strlen(t), NULL,
		    ESC_NL_SPACE), "emoji", 0));
		free(t);
	}

	/* The notification text: a short line, & < > escaped. */
	buf_init(&fb);
	t = plain(&d->title, CARD_TITLE);
	if (d->severity != NULL)
		buf_printf(&fb, "[%s] ", d->severity);
	esc_slack(&fb, t, strlen(t), 0);
	free(t);
	if (buf_failed(&fb))
		cli_die(EXIT_FAIL, "out of memory");
	sec = json_pack("{s:s, s:b, s:b, s:b, s:o}", "text", buf_str(&fb),
	    "mrkdwn", 0, "unfurl_links", 0, "unfurl_media", 0, "blocks",
	    blocks);
	buf_release(&fb);
	return sec;
}

static size_t
payload_size(const json_t *p)
{
	char *s = json_dumps(p, JSON_COMPACT);
	size_t n;

	if (s == NULL)
		cli_die(EXIT_FAIL, "out of memory");
	n = strlen(s);
	free(s);
	return n;
}

static int
fits(const struct card *k, const json_t *p)
{
	if (k->slack)
		return json_array_size(json_object_get(p, "blocks")) <=
		    SLACK_MAX_BLOCKS && payload_size(p) <= SLACK_MAX_BYTES;
	return payload_size(p) <= TEAMS_MAX_BYTES;
}

/* The last section of the highest rank that is still on the card. */
static int
next_to_drop(const struct card *k)
{
	const struct doc *d = k->d;
	int best = -1, rank = 0;
	size_t i;

	for (i = 0; i < d->n; i++) {
		if (k->dropped[i] || !on_card(d, i) || d->secs[i]->rank < 2)
			continue;
		if (d->secs[i]->rank >= rank) {
			rank = d->secs[i]->rank;
			best = (int)i;
		}
	}
	return best;
}

static void
card_render(struct buf *out, const struct doc *d, int slack)
{
	struct card k;
	json_t *p;
	int victim;

	k.d = d;
	k.slack = slack;
	k.scale = 0;
	k.dropped = xcalloc(d->n + 1, 1);
	for (;;) {
		p = slack ? slack_payload(&k) : teams_payload(&k);
		if (p == NULL)
			cli_die(EXIT_FAIL, "out of memory");
		if (fits(&k, p) || k.scale >= 8)
			break;
		json_decref(p);
		if ((victim = next_to_drop(&k)) >= 0)
			k.dropped[victim] = 1;
		else
			k.scale++;
	}
	/* At the smallest scale every text is 24 code points at most, so
	 * only a doc with absurdly many actions could still be too big;
	 * then the actions go too. */
	if (!fits(&k, p)) {
		size_t i;

		json_decref(p);
		for (i = 0; i < d->n; i++)
			if (d->secs[i]->rank > 0)
				k.dropped[i] = 1;
		p = slack ? slack_payload(&k) : teams_payload(&k);
	}
	jx_dump_buf(p, out, JSON_COMPACT);
	buf_addc(out, '\n');
	json_decref(p);
	free(k.dropped);
}

void
teams_render(struct buf *out, const struct doc *d)
{
	card_render(out, d, 0);
}

void
slack_render(struct buf *out, const struct doc *d)
{
	card_render(out, d, 1);
}
