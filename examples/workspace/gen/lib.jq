# lib.jq: the generator's arithmetic, shared by every other module.
#
# Everything here is deterministic: randomness comes from the MINSTD
# Lehmer generator (x' = 16807 x mod 2^31-1), whose products stay below
# 2^46, so jq's doubles compute it exactly on every platform.  Times are
# whole microseconds since the Unix epoch (below 2^53, exact too) and are
# written as Log Analytics writes them: ISO-8601 UTC, seven fractional
# digits.

# The anchor: 2026-01-15T12:00:00Z.  "Now" for the data set; the import
# can rebase it to the time of import.
def anchor_s: 1768478400;
def anchor: anchor_s * 1000000;

# Durations in microseconds.
def sec: 1000000;
def mins: 60 * sec;
def hours: 60 * mins;
def days: 24 * hours;

def lcg: (. * 16807) % 2147483647;

# A string's seed for the generator: a polynomial hash of its code points,
# never 0 (the generator's fixed point), and stirred a few steps so that
# similar strings do not give similar streams.
def seed_of($s):
	($s | explode | reduce .[] as $c (5381; (. * 33 + $c) % 2147483647))
	| if . == 0 then 1 else . end
	| lcg | lcg | lcg;

# $n lower-case hex digits drawn from the generator seeded with $seed: the
# top four bits of each step.
def hexn($seed; $n):
	[limit($n; $seed | lcg | lcg | lcg | recurse(lcg))]
	| map(. / 134217728 | floor | if . < 10 then . + 48 else . + 87 end)
	| implode;

def hex_of($s; $n): hexn(seed_of($s); $n);

# A version-4 shaped GUID named by $s.
def uuid_of($s):
	hex_of($s; 32) as $h
	| "\($h[0:8])-\($h[8:12])-4\($h[13:16])-"
	  + (["8","9","a","b"][($h[16:17] | explode[0]) % 4]) + "\($h[17:20])-\($h[20:32])";

# A whole number in [0, $n) named by $s.
def int_of($s; $n): seed_of($s) % $n;

# Microseconds since the epoch as "2026-01-15T11:02:13.4812306Z".  The
# seventh digit, below our resolution, is filled in from the value so it
# looks like a real 100 ns clock.
def ts:
	floor as $us
	| ($us % 1000000) as $frac
	| (($us - $frac) / 1000000 | todate) as $d
	| ($frac * 10 + (($us / 7 | floor) % 10)) as $f
	| $d[0:19] + "." + ($f + 10000000 | tostring | .[1:]) + "Z";

# Whole seconds, for the columns Sentinel writes without fractions.
def ts0: (. / 1000000 | floor | todate);

# One step of a random stream: {s} -> {s, r} where r is in [0, 1).
def next_r: .s = (.s | lcg) | .r = (.s / 2147483647);

# $k uniform draws in [0, 1) from seed $seed, as an array.
def draws($seed; $k):
	[limit($k; $seed | recurse(lcg) | lcg)] | map(. / 2147483647);

# Pick from an array with a draw in [0, 1).
def pick($a; $r): $a[($r * ($a | length)) | floor];

# Pick from [[weight, value], ...] with a draw in [0, 1).
def wpick($a; $r):
	($a | map(.[0]) | add) as $tot
	| ($r * $tot) as $x
	| reduce $a[] as $p ({acc: 0, v: null};
	    if .v == null and $x < .acc + $p[0] then .v = $p[1] else . end
	    | .acc += $p[0])
	| if .v == null then $a[-1][1] else .v end;

# Base64 of a string as UTF-16LE, as PowerShell's -EncodedCommand wants
# (ASCII input only).
def utf16le_b64: explode | map([., 0]) | add | implode | @base64;
