/*
 * svg.c: charts drawn as SVG by ims itself, no plotting dependency.  One
 * series of labelled values as a line or as bars, with a value axis,
 * lines across at marks (the ABC cut-offs), and each point carrying a
 * <title> "label: value" that a browser shows on hover and a test reads
 * back.  Coordinates are whole pixels worked out in integers.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ims.h"

enum { W = 720, H = 360, LEFT = 80, RIGHT = 24, TOP = 44, BOTTOM = 56,
	PW = W - LEFT - RIGHT, PH = H - TOP - BOTTOM, MAXPTS = 500,
	NTICK = 4, NLABEL = 8 };

/* Text for XML: the five characters that are markup escaped. */
void
ims_buf_xml(struct ims_buf *b, const char *s)
{
	for (; *s; s++)
		switch (*s) {
		case '&': ims_buf_adds(b, "&amp;"); break;
		case '<': ims_buf_adds(b, "&lt;"); break;
		case '>': ims_buf_adds(b, "&gt;"); break;
		case '"': ims_buf_adds(b, "&quot;"); break;
		case '\'': ims_buf_adds(b, "&#39;"); break;
		default: ims_buf_addc(b, *s);
		}
}

static void
addf(struct ims_buf *b, const char *fmt, long x, long y)
{
	char t[160];

	snprintf(t, sizeof t, fmt, x, y);
	ims_buf_adds(b, t);
}

/* The range the value axis covers: from 0 (or the least value) to the
 * largest value or mark, never empty. */
struct range {
	ims_wide lo, hi;
};

static struct range
range_of(const struct ims_chart *c)
{
	struct range r = { 0, 0 };

	for (size_t i = 0; i < c->n; i++) {
		if (c->y[i] < r.lo)
			r.lo = c->y[i];
		if (c->y[i] > r.hi)
			r.hi = c->y[i];
	}
	for (int i = 0; i < 2; i++)
		if (c->mark[i] > r.hi)
			r.hi = c->mark[i];
	if (r.hi == r.lo)
		r.hi = r.lo + 1;
	return r;
}

static long
ypx(struct range r, ims_wide v)
{
	return TOP + PH - (long)((v - r.lo) * PH / (r.hi - r.lo));
}

/* The points drawn: all of them, or MAXPTS spread evenly over the
 * series (the first and the last among them). */
static size_t
npoints(const struct ims_chart *c)
{
	return c->n > MAXPTS ? MAXPTS : c->n;
}

static size_t
point(const struct ims_chart *c, size_t k)
{
	size_t m = npoints(c);

	return m < 2 ? k : k * (c->n - 1) / (m - 1);
}

static long
xpx(const struct ims_chart *c, size_t k)
{
	size_t m = npoints(c);

	if (c->bars)
		return LEFT + (long)(k * PW / m + PW / (2 * m));
	return m < 2 ? LEFT + PW / 2 : LEFT + (long)(k * PW / (m - 1));
}

static void
text(struct ims_buf *b, long x, long y, const char *anchor, const char *s)
{
	addf(b, "<text x=\"%ld\" y=\"%ld\" ", x, y);
	ims_buf_adds(b, "text-anchor=\"");
	ims_buf_adds(b, anchor);
	ims_buf_adds(b, "\">");
	ims_buf_xml(b, s);
	ims_buf_adds(b, "</text>\n");
}

static void
axes(struct ims_buf *b, const struct ims_chart *c, struct range r)
{
	char v[IMS_DEC128_BUF];

	ims_buf_adds(b, "<g class=\"axis\" stroke=\"#999\">\n");
	for (int i = 0; i <= NTICK; i++) {
		long y = ypx(r, r.lo + (r.hi - r.lo) * i / NTICK);
		addf(b, "<line x1=\"%ld\" y1=\"%ld\" ", LEFT, y);
		addf(b, "x2=\"%ld\" y2=\"%ld\" stroke-opacity=\"0.3\"/>\n",
		    LEFT + PW, y);
	}
	ims_buf_adds(b, "</g>\n<g class=\"ticks\" font-size=\"11\">\n");
	for (int i = 0; i <= NTICK; i++) {
		ims_wide t = r.lo + (r.hi - r.lo) * i / NTICK;
		text(b, LEFT - 6, ypx(r, t) + 4, "end",
		    ims_wide_fmt(t, c->scale, v));
	}
	for (size_t k = 0, m = npoints(c); k < m;
	    k += (m + NLABEL - 1) / NLABEL)
		text(b, xpx(c, k), TOP + PH + 16, "middle", c->x[point(c, k)]);
	ims_buf_adds(b, "</g>\n");
}

static void
title(struct ims_buf *b, const char *label, ims_wide v, int scale)
{
	char t[IMS_DEC128_BUF];

	ims_buf_adds(b, "<title>");
	ims_buf_xml(b, label);
	ims_buf_adds(b, ": ");
	ims_buf_adds(b, ims_wide_fmt(v, scale, t));
	ims_buf_adds(b, "</title>");
}

static void
marks(struct ims_buf *b, const struct ims_chart *c, struct range r)
{
	for (int i = 0; i < 2; i++) {
		if (!c->mark[i])
			continue;
		addf(b, "<line class=\"mark\" x1=\"%ld\" y1=\"%ld\" ", LEFT,
		    ypx(r, c->mark[i]));
		addf(b, "x2=\"%ld\" y2=\"%ld\" stroke=\"#c33\" "
		    "stroke-dasharray=\"4 3\">", LEFT + PW, ypx(r, c->mark[i]));
		title(b, "cut-off", c->mark[i], c->scale);
		ims_buf_adds(b, "</line>\n");
	}
}

static void
bars(struct ims_buf *b, const struct ims_chart *c, struct range r)
{
	size_t m = npoints(c);
	long w = PW / (long)(m ? m : 1) * 4 / 5;

	ims_buf_adds(b, "<g class=\"series\" fill=\"#4a7ab5\">\n");
	for (size_t k = 0; k < m; k++) {
		ims_wide v = c->y[point(c, k)];
		long y0 = ypx(r, 0), y = ypx(r, v);

		addf(b, "<rect x=\"%ld\" y=\"%ld\" ", xpx(c, k) - w / 2,
		    y < y0 ? y : y0);
		addf(b, "width=\"%ld\" height=\"%ld\">", w < 1 ? 1 : w,
		    y < y0 ? y0 - y : y - y0);
		title(b, c->x[point(c, k)], v, c->scale);
		ims_buf_adds(b, "</rect>\n");
	}
	ims_buf_adds(b, "</g>\n");
}

static void
line(struct ims_buf *b, const struct ims_chart *c, struct range r)
{
	size_t m = npoints(c);

	ims_buf_adds(b, "<g class=\"series\">\n<polyline fill=\"none\" "
	    "stroke=\"#4a7ab5\" stroke-width=\"2\" points=\"");
	for (size_t k = 0; k < m; k++)
		addf(b, k ? " %ld,%ld" : "%ld,%ld", xpx(c, k),
		    ypx(r, c->y[point(c, k)]));
	ims_buf_adds(b, "\"/>\n");
	for (size_t k = 0; k < m; k++) {
		addf(b, "<circle cx=\"%ld\" cy=\"%ld\" r=\"3\" "
		    "fill=\"#4a7ab5\">", xpx(c, k), ypx(r, c->y[point(c, k)]));
		title(b, c->x[point(c, k)], c->y[point(c, k)], c->scale);
		ims_buf_adds(b, "</circle>\n");
	}
	ims_buf_adds(b, "</g>\n");
}

/* The chart as an <svg> element, appended to b: standalone, or inline
 * in an HTML page. */
void
ims_svg_chart(struct ims_buf *b, const struct ims_chart *c)
{
	struct range r = range_of(c);

	addf(b, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%ld\" "
	    "height=\"%ld\" ", W, H);
	addf(b, "viewBox=\"0 0 %ld %ld\" font-family=\"sans-serif\">\n", W,
	    H);
	ims_buf_adds(b, "<rect width=\"100%\" height=\"100%\" "
	    "fill=\"#fff\"/>\n");
	text(b, W / 2, 24, "middle", c->title);
	text(b, 16, TOP - 10, "start", c->unit);
	axes(b, c, r);
	if (c->n)
		(c->bars ? bars : line)(b, c, r);
	marks(b, c, r);
	ims_buf_adds(b, "</svg>\n");
}

/* Write b to path whole or not at all: a temporary file beside it,
 * renamed over it, so a page a web server publishes is never half
 * written. */
int
ims_file_write(const char *path, const struct ims_buf *b)
{
	size_t n = strlen(path) + 8;
	char *tmp = malloc(n);
	FILE *fp;
	int bad;

	if (!tmp)
		return ims_seterr(IMS_ESTORE, "out of memory");
	snprintf(tmp, n, "%s.tmp", path);
	if (!(fp = fopen(tmp, "w"))) {
		bad = ims_seterr(IMS_ESTORE, "%s: %s", ims_q(tmp),
		    strerror(errno));
		free(tmp);
		return bad;
	}
	bad = fwrite(b->p, 1, b->n, fp) != b->n;
	bad |= fclose(fp) != 0;
	if (bad || rename(tmp, path) != 0) {
		bad = ims_seterr(IMS_ESTORE, "%s: %s", ims_q(path),
		    strerror(errno));
		remove(tmp);
		free(tmp);
		return bad;
	}
	free(tmp);
	return IMS_OK;
}

/* The chart as a standalone SVG file. */
int
ims_svg_write(const char *path, const struct ims_chart *c)
{
	struct ims_buf b = { 0 };
	int rc;

	ims_buf_adds(&b, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
	ims_svg_chart(&b, c);
	rc = ims_file_write(path, &b);
	ims_buf_free(&b);
	return rc;
}
