/*
 * test_text: buf, indicator classification, public ranges, defanging,
 * lossy strings and ISO-8601 times.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "defang.h"
#include "ioc.h"
#include "isotime.h"
#include "jsonx.h"
#include "tap.h"

static void
test_buf(void)
{
	struct buf b;
	int i;
	char *s;

	buf_init(&b);
	is_str(buf_str(&b), "", "empty buffer reads as \"\"");
	for (i = 0; i < 10000; i++)
		buf_printf(&b, "%d,", i % 10);
	is_int((long long)b.len, 20000, "20,000 bytes appended");
	s = buf_steal(&b);
	ok(s != NULL && s[19999] == ',' && s[20000] == '\0', "stolen intact");
	free(s);
	is_int((long long)b.len, 0, "buffer empty after steal");
	buf_release(&b);
}

static void
test_ioc(void)
{
	const char *range;

	is_int(ioc_classify("8.8.8.8"), IOC_IPV4, "IPv4");
	is_int(ioc_classify("2001:4860:4860::8888"), IOC_IPV6, "IPv6");
	is_int(ioc_classify("1.2.3"), IOC_NONE, "1.2.3 is not an address");
	is_int(ioc_classify("01.2.3.4"), IOC_NONE, "octal-looking is refused");
	is_int(ioc_classify("d41d8cd98f00b204e9800998ecf8427e"), IOC_MD5, "MD5");
	is_int(ioc_classify("da39a3ee5e6b4b0d3255bfef95601890afd80709"),
	    IOC_SHA1, "SHA-1");
	is_int(ioc_classify("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934c"
	    "a495991b7852b855"), IOC_SHA256, "SHA-256");
	is_int(ioc_classify("e3b0c44298fc1c149afbf4c8996fb9242"), IOC_NONE,
	    "33 hex digits is nothing");
	is_int(ioc_classify("sacyberrange00.blob.core.windows.net"),
	    IOC_DOMAIN, "domain");
	is_int(ioc_classify("https://sacyberrange00.blob.core.windows.net/"
	    "vm-applications/7z2408-x64.exe"), IOC_URL, "URL");
	is_int(ioc_classify("http://[2001:db8::1]:8080/x"), IOC_URL,
	    "URL with IPv6 literal");
	is_int(ioc_classify("localhost"), IOC_NONE, "single label");
	is_int(ioc_classify("-bad.example.com"), IOC_NONE, "leading hyphen");
	is_int(ioc_classify("a..b.com"), IOC_NONE, "empty label");
	is_int(ioc_classify("evil.com\n"), IOC_NONE, "control characters");
	is_int(ioc_classify("user@example.com"), IOC_EMAIL, "mail address");
	is_int(ioc_classify("http://localhost:8080/admin"), IOC_URL,
	    "URL on localhost");
	is_int(ioc_classify("http://intranet/x"), IOC_URL,
	    "URL on a single-label host");
	is_int(ioc_classify("http://2130706433/"), IOC_NONE,
	    "URL on a number host");
	is_int(ioc_classify("http://0x7f000001/"), IOC_NONE,
	    "URL on a hex number host");
	is_int(ioc_classify("https://evil.com:99999/"), IOC_NONE,
	    "port above 65535");
	is_int(ioc_classify("https://evil.com:x/"), IOC_NONE, "port not digits");
	is_int(ioc_classify("https://evil.com:65535/"), IOC_URL, "port 65535");
	is_int(ioc_classify("http://[2001:db8::1]x/"), IOC_NONE,
	    "junk after an IPv6 literal");
	is_int(ioc_classify("powershell.exe"), IOC_NONE, "a file, not a domain");
	is_int(ioc_classify("Invoice.PDF"), IOC_NONE, "a file, any case");
	is_int(ioc_classify("update.zip"), IOC_DOMAIN, ".zip is a real TLD");
	{
		char out[128];

		is_int(ioc_normalise("HTTPS://User@EVIL.Example.COM:443/A?B",
		    out, sizeof(out)), IOC_URL, "URL normalised");
		is_str(out, "https://User@evil.example.com:443/A?B",
		    "scheme and host lower-cased, the rest kept");
	}

	is_int(ioc_ip_is_public("8.8.8.8", NULL), 1, "8.8.8.8 is public");
	is_int(ioc_ip_is_public("10.1.2.3", &range), 0, "10/8 is private");
	ok(range != NULL && strstr(range, "1918") != NULL, "range named");
	is_int(ioc_ip_is_public("100.64.0.1", NULL), 0, "CGNAT");
	is_int(ioc_ip_is_public("169.254.169.254", NULL), 0, "link-local");
	is_int(ioc_ip_is_public("192.0.2.55", NULL), 0, "TEST-NET-1");
	is_int(ioc_ip_is_public("198.51.100.7", NULL), 0, "TEST-NET-2");
	is_int(ioc_ip_is_public("203.0.113.9", NULL), 0, "TEST-NET-3");
	is_int(ioc_ip_is_public("172.31.255.255", NULL), 0, "172.16/12 end");
	is_int(ioc_ip_is_public("172.32.0.1", NULL), 1, "just past 172.16/12");
	is_int(ioc_ip_is_public("224.0.0.1", NULL), 0, "multicast");
	is_int(ioc_ip_is_public("255.255.255.255", NULL), 0, "broadcast");
	is_int(ioc_ip_is_public("::1", NULL), 0, "v6 loopback");
	is_int(ioc_ip_is_public("fe80::1", NULL), 0, "v6 link-local");
	is_int(ioc_ip_is_public("fd00::1", NULL), 0, "v6 unique local");
	is_int(ioc_ip_is_public("2001:db8::1", NULL), 0, "v6 documentation");
	is_int(ioc_ip_is_public("::ffff:10.0.0.1", NULL), 0,
	    "v4-mapped private");
	is_int(ioc_ip_is_public("::ffff:8.8.8.8", NULL), 1, "v4-mapped public");
	is_int(ioc_ip_is_public("2606:4700::1111", NULL), 1, "v6 public");
	is_int(ioc_ip_is_public("not an ip", NULL), -1, "not an address");
}

static void
check_defang(const char *in, const char *want, const char *name)
{
	char *d = defang(in), *r = refang(d);

	is_str(d, want, name);
	is_str(r, in, "refang undoes it");
	free(d);
	free(r);
}

static void
check_text(const char *in, const char *want, const char *name)
{
	char *d = defang_text(in);

	is_str(d, want, name);
	free(d);
}

static void
test_defang(void)
{
	char *s;

	check_defang("1.2.3.4", "1.2.3[.]4", "IPv4");
	check_defang("https://evil.example.com/a.b?x=1",
	    "hxxps://evil.example[.]com/a.b?x=1", "URL");
	check_defang("http://1.2.3.4:8080/", "hxxp://1.2.3[.]4:8080/",
	    "URL with address and port");
	check_defang("evil.example.com", "evil.example[.]com", "domain");
	check_defang("a@evil.com", "a[@]evil[.]com", "mail");
	check_defang("powershell -nop", "powershell -nop", "not an indicator");
	s = refang("hxxps://evil(.)com[/]x 1[.]2[.]3{.}4 a[at]b[dot]c");
	is_str(s, "https://evil.com[/]x 1.2.3.4 a@b.c", "refang forms");
	free(s);
	s = refang("hxxp[:]//evil[.]com hXXps[://]x[.]org");
	is_str(s, "http://evil.com https://x.org", "refang nested forms");
	free(s);
	s = defang_text("Ran powershell.exe to fetch https://x.example.com/p "
	    "from 8.8.8.8.");
	is_str(s, "Ran powershell.exe to fetch hxxps://x.example[.]com/p "
	    "from 8.8.8[.]8.", "defang_text leaves files and punctuation");
	free(s);
	check_text("beacon to 203.0.113.5:4444 and evil.example.org:8443.",
	    "beacon to 203.0.113[.]5:4444 and evil.example[.]org:8443.",
	    "host:port in text");
	check_text("fetched evil.example.org/p.ps1?x=1 and 10.1.2.3/24",
	    "fetched evil.example[.]org/p.ps1?x=1 and 10.1.2[.]3/24",
	    "host/path without a scheme");
	check_text("mail a@evil.zip", "mail a[@]evil[.]zip",
	    "mail address at a .zip domain");
	check_text("cdn.evil.zip, dl.x.sh and y.example.py",
	    "cdn.evil[.]zip, dl.x[.]sh and y.example[.]py",
	    ".zip .sh .py with three labels are domains");
	check_text("evil.zip:443 and evil.mov/watch",
	    "evil[.]zip:443 and evil[.]mov/watch",
	    ".zip .mov with a port or a path are hosts");
	check_text("ran install.sh, setup.py and payload.zip; video.mov",
	    "ran install.sh, setup.py and payload.zip; video.mov",
	    "two-label .sh .py .zip .mov alone are files");
	check_text("powershell.exe invoice.pdf a.b.c.exe run.ps1:3 10:42:07",
	    "powershell.exe invoice.pdf a.b.c.exe run.ps1:3 10:42:07",
	    "files, file:line and times are left alone");
	check_text("example.com:99999 x:80", "example[.]com:99999 x:80",
	    "a port out of range still marks a host");
}

static void
test_lossy(void)
{
	json_t *v;

	v = jx_string_lossy("ok\xff\xfe", 4);
	is_str(json_string_value(v), "ok\xef\xbf\xbd\xef\xbf\xbd",
	    "invalid UTF-8 becomes U+FFFD");
	json_decref(v);
	v = jx_string_lossy("a\0b", 3);
	is_str(json_string_value(v), "a\xef\xbf\xbd" "b", "NUL made visible");
	json_decref(v);
	v = jx_string_lossy("\xed\xa0\x80", 3);
	is_str(json_string_value(v), "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd",
	    "UTF-8 surrogate refused");
	json_decref(v);
}

static void
test_time(void)
{
	int64_t t, a, b;
	char out[64];

	ok(iso_parse("2024-05-01T10:00:00Z", &t) == 0, "parse Z");
	is_str(iso_format(t, out, sizeof(out), -1), "2024-05-01T10:00:00Z",
	    "round trip");
	ok(iso_parse("2024-05-01T10:00:00.1234567Z", &t) == 0, "7 digits");
	is_str(iso_format(t, out, sizeof(out), -1),
	    "2024-05-01T10:00:00.1234567Z", "7 digits kept");
	ok(iso_parse("2024-05-01 12:00:00+02:00", &t) == 0, "offset");
	is_str(iso_format(t, out, sizeof(out), 3), "2024-05-01T10:00:00.000Z",
	    "offset applied");
	ok(iso_parse("1969-12-31T23:59:59Z", &t) == 0 && t < 0,
	    "before the epoch");
	is_str(iso_format(t, out, sizeof(out), -1), "1969-12-31T23:59:59Z",
	    "negative ticks format");
	ok(iso_parse("2023-02-29", &t) == -1, "no Feb 29 in 2023");
	ok(iso_parse("2024-02-29", &t) == 0, "Feb 29 in 2024");
	ok(iso_parse("2024-05-01T10:00:00Zjunk", &t) == -1, "trailing junk");
	ok(iso_duration_parse("P7D", &t) == 0 && t == 7 * TICKS_PER_DAY, "P7D");
	ok(iso_duration_parse("PT1H30M", &t) == 0 &&
	    t == 5400 * TICKS_PER_SEC, "PT1H30M");
	ok(iso_duration_parse("P1DT2H", &t) == 0 &&
	    t == TICKS_PER_DAY + 7200 * TICKS_PER_SEC, "P1DT2H");
	ok(iso_duration_parse("P", &t) == -1, "P alone");
	ok(iso_duration_parse("PT1D", &t) == -1, "days after T");
	is_str(iso_duration_format(5400 * TICKS_PER_SEC, out, sizeof(out)),
	    "PT1H30M", "format PT1H30M");
	ok(iso_interval_parse("P1D", 10 * TICKS_PER_DAY, &a, &b) == 0 &&
	    a == 9 * TICKS_PER_DAY && b == 10 * TICKS_PER_DAY, "duration ending now");
	ok(iso_interval_parse("2024-01-01T00:00:00Z/P1D", 0, &a, &b) == 0 &&
	    b - a == TICKS_PER_DAY, "start/duration");
	ok(iso_interval_parse("2024-01-02/2024-01-01", 0, &a, &b) == -1,
	    "end before start");
}

int
main(void)
{
	test_buf();
	test_ioc();
	test_defang();
	test_lossy();
	test_time();
	return tap_done();
}
