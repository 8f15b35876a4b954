/*
 * test_cache_lock: the per-key cache locks (lib/cache.c cache_lock_key):
 * a held key is refused without waiting (flock locks belong to the open
 * file, so a second open in the same process is refused as another
 * process would be), another key is not, and an unlocked key is free
 * again; the lock file is made 0600 under the cache directory.
 */
#include <sys/stat.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cache.h"
#include "tap.h"

int
main(void)
{
	char tmpl[] = "/tmp/test_cache_lock.XXXXXX", path[4096], name[200];
	struct stat st;
	int a, b, c;

	if (mkdtemp(tmpl) == NULL)
		return 1;
	setenv("XDG_CACHE_HOME", tmpl, 1);

	a = cache_lock_key("enrich/locks", "virustotal/ip:203.0.113.7", 0);
	ok(a >= 0, "a free key is locked");
	errno = 0;
	b = cache_lock_key("enrich/locks", "virustotal/ip:203.0.113.7", 0);
	ok(b == -1 && errno == EWOULDBLOCK, "a held key is refused");
	c = cache_lock_key("enrich/locks", "virustotal/ip:203.0.113.8", 0);
	ok(c >= 0, "another key is not held up");
	cache_unlock_key(c);
	cache_unlock_key(a);
	b = cache_lock_key("enrich/locks", "virustotal/ip:203.0.113.7", 1);
	ok(b >= 0, "an unlocked key is free again");
	cache_unlock_key(b);
	cache_unlock_key(-1);

	cache_key_name("virustotal/ip:203.0.113.7", name, sizeof(name));
	snprintf(path, sizeof(path), "%s/triage/enrich/locks/%s.lock", tmpl,
	    name);
	ok(stat(path, &st) == 0 && (st.st_mode & 0777) == 0600 &&
	    st.st_size == 0, "the lock file is %s, empty, 0600", path);
	unlink(path);
	snprintf(path, sizeof(path), "%s/triage/enrich/locks", tmpl);
	cache_key_name("virustotal/ip:203.0.113.8", name, sizeof(name));
	snprintf(path, sizeof(path), "%s/triage/enrich/locks/%s.lock", tmpl,
	    name);
	unlink(path);
	snprintf(path, sizeof(path), "%s/triage/enrich/locks", tmpl);
	rmdir(path);
	snprintf(path, sizeof(path), "%s/triage/enrich", tmpl);
	rmdir(path);
	snprintf(path, sizeof(path), "%s/triage", tmpl);
	rmdir(path);
	rmdir(tmpl);
	return tap_done();
}
