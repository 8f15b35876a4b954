# ti.jq: the workspace's threat intelligence, in the STIX table
# ThreatIntelIndicators and in the older ThreatIntelligenceIndicator.
# Some indicators match the incidents' evidence, some match nothing, some
# have expired or been revoked (one of those names the range's own storage
# address: shared cloud infrastructure that a feed once listed).  Active
# indicators are republished weekly (LastUpdateMethod LogARepublisher), so
# an indicator can have several rows: reduce with arg_max by Id.
include "lib";
include "catalog";
include "model";
include "sentinel";
include "incidents";


def ti_sources: {
	mdti: "Microsoft Defender Threat Intelligence",
	misp: "Contoso CTI (MISP)",
	osint: "OSINT phishing feed (TAXII)",
	log4j: "Microsoft Log4j IOC list"
};

def observable($kind; $value):
	{ipv4: "ipv4-addr:value", domain: "domain-name:value", url: "url:value",
	 sha256: "file:hashes.'SHA-256'", sha1: "file:hashes.'SHA-1'"}[$kind] as $k
	| {key: $k, value: $value, pattern: "[\($k) = '\($value)']"};

# An indicator: {kind, value, source, name, desc, types, conf, created,
# until, revoked, tags, updates: [{t, conf}]}; times as at() strings.
def indicators: [
	{kind: "ipv4", value: tor_exit, source: "mdti", name: "Tor exit relay",
	 desc: "Tor exit relay. Traffic from this address is anonymized; it is also listed as a Log4j (CVE-2021-44228) scanning source.",
	 types: ["anonymization"], conf: 80, created: "25-12-02 09:14:00", until: "26-03-02 09:14:00",
	 tags: ["tor", "anonymization"], updates: [{t: "26-01-13 04:40:12", conf: 85}]},
	{kind: "ipv4", value: spray_ip, source: "mdti", name: "Password spray source",
	 desc: "Source of password-spray and brute-force sign-in attempts against Microsoft Entra ID tenants.",
	 types: ["malicious-activity"], conf: 70, created: "25-11-20 17:02:00", until: "26-02-18 17:02:00",
	 tags: ["password-spray", "brute-force"]},
	{kind: "ipv4", value: cradle_ip, source: "misp", name: "PowerShell stager host",
	 desc: "Serves PowerShell stagers (a.ps1) to macro-enabled documents with resume and invoice themes.",
	 types: ["malicious-activity"], conf: 85, created: "26-01-12 10:31:00", until: "26-04-12 10:31:00",
	 tags: ["malware-distribution", "powershell-stager"]},
	{kind: "url", value: "http://45.151.167.10/a.ps1", source: "misp", name: "PowerShell stager URL",
	 desc: "Stager fetched by DownloadString from macro-enabled documents.",
	 types: ["malicious-activity"], conf: 85, created: "26-01-12 10:31:00", until: "26-04-12 10:31:00",
	 tags: ["malware-distribution", "powershell-stager"]},
	{kind: "domain", value: certutil_domain, source: "mdti", name: "Payload hosting domain",
	 desc: "Hosts LNK-in-ZIP lures and the payloads they fetch with certutil.",
	 types: ["malicious-activity"], conf: 90, created: "26-01-06 14:20:00", until: "26-04-06 14:20:00",
	 tags: ["malware-distribution", "lnk-lure"]},
	{kind: "sha256", value: stealer.sha256, source: "mdti", name: "Lumma Stealer",
	 desc: "Lumma Stealer payload delivered as invoice ZIP",
	 types: ["malicious-activity"], conf: 95, created: "26-01-11 08:02:00", until: "26-07-11 08:02:00",
	 tags: ["lumma", "infostealer"]},
	{kind: "domain", value: stealer_domain, source: "mdti", name: "Lumma Stealer C2",
	 desc: "Lumma Stealer command-and-control and exfiltration endpoint.",
	 types: ["malicious-activity"], conf: 80, created: "26-01-10 19:45:00", until: "26-04-10 19:45:00",
	 tags: ["lumma", "c2"]},
	{kind: "sha256", value: mimikatz.sha256, source: "mdti", name: "Mimikatz",
	 desc: "Mimikatz 2.2.0 x64, credential dumping tool (often renamed).",
	 types: ["malicious-activity"], conf: 100, created: "25-06-01 00:00:00", until: "26-06-01 00:00:00",
	 tags: ["hacktool", "mimikatz", "credential-access"]},
	# Revoked: a cloud address once seen hosting phishing.
	{kind: "ipv4", value: range_storage.ip, source: "osint", name: "Phishing page host",
	 desc: "Azure Blob Storage address seen hosting a credential-phishing page (shared cloud infrastructure; the page was removed).",
	 types: ["malicious-activity"], conf: 40, created: "25-06-14 12:00:00", until: "25-09-12 12:00:00",
	 revoked: true, tags: ["phishing", "shared-infrastructure"], updates: [{t: "26-01-09 03:12:40", conf: 0}]},
	# Old, expired or unrelated.
	{kind: "ipv4", value: "165.22.151.166", source: "log4j", name: "Log4j exploitation source",
	 desc: "Seen exploiting CVE-2021-44228 (Log4Shell).", types: ["malicious-activity"], conf: 50,
	 created: "21-12-14 00:00:00", until: "22-03-14 00:00:00", tags: ["log4j"], updates: [{t: "26-01-08 22:10:05", conf: 50}]},
	{kind: "ipv4", value: "176.103.88.57", source: "log4j", name: "Log4j exploitation source",
	 desc: "Seen exploiting CVE-2021-44228 (Log4Shell).", types: ["malicious-activity"], conf: 50,
	 created: "21-12-14 00:00:00", until: "22-03-14 00:00:00", tags: ["log4j"], updates: [{t: "26-01-08 22:10:05", conf: 50}]},
	{kind: "ipv4", value: "114.199.225.193", source: "log4j", name: "Log4j exploitation source",
	 desc: "Seen exploiting CVE-2021-44228 (Log4Shell).", types: ["malicious-activity"], conf: 35,
	 created: "25-12-20 00:00:00", until: "26-03-20 00:00:00", tags: ["log4j", "scanner"]},
	{kind: "ipv4", value: "197.98.180.13", source: "log4j", name: "Log4j exploitation source",
	 desc: "Seen exploiting CVE-2021-44228 (Log4Shell).", types: ["malicious-activity"], conf: 35,
	 created: "25-12-20 00:00:00", until: "26-03-20 00:00:00", tags: ["log4j", "scanner"]},
	{kind: "sha256", value: "8e90ed33c7ee82c0b64078ea36ec95f7420ba435c693b3b3dd728b494abf7dfc", source: "mdti",
	 name: "Exchange Server exploitation (March 2021)",
	 desc: "File seen in the exploitation of Exchange Server vulnerabilities disclosed in March 2021.",
	 types: ["malicious-activity"], conf: 75, created: "21-03-10 00:00:00", until: "21-09-10 00:00:00",
	 tags: ["exchange", "hafnium"], updates: [{t: "26-01-08 22:10:05", conf: 75}]},
	{kind: "domain", value: "login-microsoftonline.support", source: "osint", name: "Credential phishing domain",
	 desc: "Adversary-in-the-middle phishing kit impersonating the Microsoft sign-in page.",
	 types: ["malicious-activity"], conf: 70, created: "26-01-09 11:20:00", until: "26-04-09 11:20:00",
	 tags: ["phishing", "aitm"]}
];


# at() knows 2026 only; indicators reach back further ("25-12-02 09:14:00").
def when($s): ("20" + $s[0:8] + "T" + $s[9:17] + "Z" | fromdate) * 1000000;

def ti_row($i; $t; $conf; $how):
	observable($i.kind; $i.value) as $o
	| "indicator--\(uuid_of("ti:" + $i.value))" as $id
	| (when($i.created)) as $created
	| (when($i.until)) as $until
	| ($i.revoked // false) as $revoked
	| ((($revoked | not) and $until > $t)) as $active
	| {TimeGenerated: ($t | ts), Id: $id,
	   Created: ($created | ts), Modified: ($t | ts),
	   ValidFrom: ($created | ts), ValidUntil: ($until | ts),
	   IsActive: $active, IsDeleted: false, Revoked: $revoked,
	   Confidence: $conf,
	   ObservableKey: $o.key, ObservableValue: $o.value, Pattern: $o.pattern,
	   Source: ti_sources[$i.source], SourceSystem: ti_sources[$i.source],
	   Tags: ($i.tags | tojson),
	   LastUpdateMethod: $how,
	   AzureTenantId: aad_tenant, WorkspaceId: workspace_id,
	   AdditionalFields: {TLPLevel: (if $i.source == "misp" then "amber" else "white" end)},
	   Data: {id: $id, type: "indicator", spec_version: "2.1",
	       created: ($created | ts0), modified: ($t | ts0),
	       name: $i.name, description: $i.desc, indicator_types: $i.types,
	       pattern: $o.pattern, pattern_type: "stix",
	       valid_from: ($created | ts0), valid_until: ($until | ts0),
	       confidence: $conf, revoked: $revoked, labels: $i.tags,
	       created_by_ref: "identity--\(uuid_of("source:" + $i.source))"}}
	| row("ThreatIntelIndicators");

# Every indicator's rows inside the window: its creation (if recent), the
# weekly republish on the 11th (if still valid), and its updates.
def ti_rows:
	indicators[] as $i
	| (when($i.created)) as $created
	| (when($i.until)) as $until
	| ($i.conf) as $c0
	| (select($created >= anchor - 7 * days) | ti_row($i; $created + 41000000; $c0; "TAXII")),
	  (at("01-11 06:14:00") + int_of("rep:" + $i.value; 600000000)) as $rep
	  | (select($created < $rep and $until > $rep and (($i.revoked // false) | not))
	     | ti_row($i; $rep; ([$i.updates[]? | select(when(.t) < $rep) | .conf] | last // $c0); "LogARepublisher")),
	  ($i.updates[]? | ti_row($i; when(.t); .conf; "TAXII"));

# The older table, for history and for tools that still read it.
def legacy: [
	{ip: cradle_c2, type: "C2", desc: "Command-and-control server (HTTPS beacons every ~60 s)", conf: 75,
	 created: "26-01-12 21:03:00", until: "26-03-12 21:03:00", provider: "misp", tags: ["c2", "beacon"]},
	{ip: certutil_ip, type: "MaliciousUrl", desc: "Hosts payloads for filedrop-cdn.xyz", conf: 60,
	 created: "26-01-06 14:25:00", until: "26-04-06 14:25:00", provider: "mdti", tags: ["malware-distribution"]},
	{ip: tor_exit, type: "WatchList", desc: "Tor exit node", conf: 50,
	 created: "25-12-02 09:14:00", until: "26-03-02 09:14:00", provider: "mdti", tags: ["tor"]},
	{hash: stealer.sha256, type: "Malware", desc: "Lumma Stealer payload", conf: 95,
	 created: "26-01-11 08:02:00", until: "26-07-11 08:02:00", provider: "mdti", tags: ["lumma"]},
	{ip: spray_ip, type: "Botnet", desc: "Brute-force source (2023 listing)", conf: 45,
	 created: "23-05-02 00:00:00", until: "23-08-02 00:00:00", provider: "mdti", tags: ["brute-force"],
	 touched: "26-01-08 22:10:05"},
	{ip: "182.253.194.28", type: "Botnet", desc: "Log4j exploitation source", conf: 50,
	 created: "21-12-14 00:00:00", until: "22-03-14 00:00:00", provider: "log4j", tags: ["log4j"],
	 touched: "26-01-08 22:10:05"},
	{domain: "update-msedge.click", type: "Phishing", desc: "Fake browser update landing page", conf: 65,
	 created: "26-01-09 15:44:00", until: "26-04-09 15:44:00", provider: "osint", tags: ["fake-update"]}
];

def legacy_rows:
	legacy[] as $l
	| (when($l.created)) as $created
	| (when($l.until)) as $until
	| ([(if $created >= anchor - 7 * days then $created + 60000000 else empty end),
	    (if $created < at("01-11 06:20:00") and $until > at("01-11 06:20:00") then at("01-11 06:20:00") + int_of("lrep:" + ($l.ip // $l.hash // $l.domain); 600000000) else empty end),
	    (if $l.touched then when($l.touched) else empty end)] | unique[]) as $t
	| {TimeGenerated: ($t | ts),
	   IndicatorId: uuid_of("legacy:" + ($l.ip // $l.hash // $l.domain)),
	   ExternalIndicatorId: "indicator--\(uuid_of("legacyext:" + ($l.ip // $l.hash // $l.domain)))",
	   Action: "alert", Active: ($until > $t), ConfidenceScore: $l.conf,
	   Description: $l.desc, ExpirationDateTime: ($until | ts),
	   ThreatType: $l.type, ThreatSeverity: (if $l.conf >= 80 then 5 elif $l.conf >= 60 then 4 else 3 end),
	   TrafficLightProtocolLevel: (if $l.provider == "misp" then "Amber" else "White" end),
	   NetworkIP: $l.ip, DomainName: $l.domain,
	   FileHashType: (if $l.hash then "SHA256" else null end), FileHashValue: $l.hash,
	   SourceSystem: ti_sources[$l.provider], IndicatorProvider: ti_sources[$l.provider],
	   TargetProduct: "Azure Sentinel", Tags: ($l.tags | join(",")),
	   AdditionalInformation: "", ActivityGroupNames: ""}
	| omit_empty | row("ThreatIntelligenceIndicator");

def ti: ti_rows, legacy_rows;
