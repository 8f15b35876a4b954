/*
 * fuzz_text: the small parsers every stage leans on: indicator
 * classification and normalisation, defanging both ways, ISO-8601 times,
 * durations and intervals, lossy UTF-8 strings.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "defang.h"
#include "ioc.h"
#include "isotime.h"
#include "jsonx.h"

int	LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s, *d, *r, out[512];
	const char *range;
	int64_t t, a, b;
	json_t *j;

	s = malloc(size + 1);
	if (s == NULL)
		return 0;
	memcpy(s, data, size);
	s[size] = '\0';
	ioc_classify(s);
	ioc_normalise(s, out, sizeof(out));
	ioc_ip_is_public(s, &range);
	ioc_url_host(s, out, sizeof(out));
	d = defang(s);
	r = d != NULL ? refang(d) : NULL;
	free(d);
	free(r);
	d = defang_text(s);
	free(d);
	if (iso_parse(s, &t) == 0)
		iso_format(t, out, sizeof(out), -1);
	if (iso_duration_parse(s, &t) == 0)
		iso_duration_format(t, out, sizeof(out));
	iso_interval_parse(s, 0, &a, &b);
	j = jx_string_lossy((const char *)data, size);
	json_decref(j);
	free(s);
	return 0;
}
