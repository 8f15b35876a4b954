# sentinel.jq: SecurityIncident and SecurityAlert rows, and the logon
# table, shared by the incidents.
include "lib";
include "catalog";
include "model";

# A time written as it reads: at("01-15 11:02:13.481230") is that moment
# of 2026 in UTC, in microseconds.  Fractions may be shorter.
def at($s):
	("2026-" + $s[0:5] + "T" + $s[6:14] + "Z" | fromdate) * 1000000
	+ (if ($s | length) > 15 then ($s[15:] + "000000")[0:6] | tonumber else 0 end);

def none_owner: {objectId: null, email: null, assignedTo: null, userPrincipalName: null};

# --- SecurityAlert ---------------------------------------------------------
#
# An alert: {id, name, desc, severity, kind ("scheduled", "mde", "mcas",
# "ipc"), rule_id, start, end, time, tactics [..], techniques [..],
# subtechniques [..], entities [..] (Sentinel's JSON, $id/$ref and all),
# ext {..}, compromised, remediation [..], vendor_id, link}.

def alert_product($k):
	{scheduled: {ProviderName: "ASI Scheduled Alerts", ProductName: "Azure Sentinel",
	     ProductComponentName: "Scheduled Alerts"},
	 mde: {ProviderName: "MDATP", ProductName: "Microsoft Defender Advanced Threat Protection",
	     ProductComponentName: ""},
	 mcas: {ProviderName: "MCAS", ProductName: "Microsoft Cloud App Security",
	     ProductComponentName: ""},
	 ipc: {ProviderName: "IPC", ProductName: "Azure Active Directory Identity Protection",
	     ProductComponentName: ""}}[$k];

def alert_row($a; $t; $status):
	alert_product($a.kind) as $p
	| {TimeGenerated: ($t | ts),
	   DisplayName: $a.name, AlertName: $a.name,
	   AlertSeverity: $a.severity, Description: $a.desc,
	   ProviderName: $p.ProviderName, VendorName: "Microsoft",
	   VendorOriginalId: ($a.vendor_id // $a.id),
	   SystemAlertId: $a.id,
	   AlertType: (if $a.kind == "scheduled" then "\(workspace_id)_\($a.rule_id)" else $a.alert_type end),
	   ConfidenceLevel: "Unknown",
	   IsIncident: false,
	   StartTime: ($a.start | ts), EndTime: ($a.end | ts),
	   ProcessingEndTime: ($a.time | ts),
	   RemediationSteps: (($a.remediation // []) | tojson),
	   ExtendedProperties: ($a.ext | tojson),
	   Entities: ($a.entities | tojson),
	   SourceSystem: "Detection",
	   WorkspaceSubscriptionId: subscription,
	   WorkspaceResourceGroup: resource_group,
	   ExtendedLinks: "",
	   ProductName: $p.ProductName,
	   ProductComponentName: $p.ProductComponentName,
	   AlertLink: ($a.link // ""),
	   Status: $status,
	   CompromisedEntity: $a.compromised,
	   Tactics: ($a.tactics | join(", ")),
	   Techniques: ($a.techniques | tojson),
	   SubTechniques: (($a.subtechniques // []) | tojson)}
	| omit_empty | row("SecurityAlert");

# The ExtendedProperties a scheduled analytics rule writes.
def scheduled_ext($a; $name; $query; $period; $count; $custom):
	{"Query": $query,
	 "Query Period": $period,
	 "Trigger Operator": "GreaterThan",
	 "Trigger Threshold": "0",
	 "Correlation Id": uuid_of("corrid:" + $a),
	 "Search Query Results Overall Count": ($count | tostring),
	 "Data Sources": ([workspace_name] | tojson),
	 "Analytic Rule Ids": ([uuid_of("rule:" + $name)] | tojson),
	 "Event Grouping": "AlertPerResult",
	 "Analytic Rule Name": $name,
	 "ProcessedBySentinel": "True",
	 "Alert generation status": "Full alert created"}
	+ (if $custom then {"Custom Details": ($custom | tojson)} else {} end);

# --- SecurityIncident ------------------------------------------------------
#
# An incident: {number, title, desc, severity, provider ("Azure Sentinel"
# or "Microsoft XDR"), provider_id, created, first, last, tactics,
# techniques, alerts [..], rules [..], products [..], versions [..]}; a
# version: {t, status, owner, severity, classification, reason, comment,
# labels, comments, by, closed}.

def incident_name($n): uuid_of("incident:\($n)");

def incident_row($i; $v):
	{TimeGenerated: ($v.t | ts),
	 IncidentName: incident_name($i.number),
	 Title: $i.title, Description: $i.desc,
	 Severity: ($v.severity // $i.severity),
	 Status: $v.status,
	 Classification: $v.classification,
	 ClassificationComment: $v.comment,
	 ClassificationReason: $v.reason,
	 Owner: ($v.owner // none_owner),
	 ProviderName: $i.provider,
	 ProviderIncidentId: ($i.provider_id // ($i.number | tostring)),
	 FirstActivityTime: ($i.first | ts), LastActivityTime: ($i.last | ts),
	 FirstModifiedTime: ($i.created | ts), LastModifiedTime: ($v.t | ts),
	 CreatedTime: ($i.created | ts),
	 ClosedTime: ($v.closed | if . then ts else null end),
	 IncidentNumber: $i.number,
	 RelatedAnalyticRuleIds: ($i.rules | map(uuid_of("rule:" + .))),
	 AlertIds: ($i.alerts | map(.id)),
	 BookmarkIds: [],
	 Comments: ($v.comments // []),
	 Tasks: [],
	 Labels: ($v.labels // []),
	 IncidentUrl: incident_url(incident_name($i.number)),
	 AdditionalData: ({alertsCount: ($i.alerts | length), bookmarksCount: 0,
	     commentsCount: (($v.comments // []) | length),
	     alertProductNames: ($i.alerts | map(alert_product(.kind).ProductName) | unique),
	     tactics: $i.tactics, techniques: $i.techniques}
	     + (if $i.provider == "Microsoft XDR" then
	         {providerIncidentUrl: "https://security.microsoft.com/incidents/\($i.provider_id)?tid=\(aad_tenant)"}
	       else {} end)),
	 ModifiedBy: $v.by,
	 SourceSystem: "Azure"}
	| omit_empty | row("SecurityIncident");

def comment($t; $who; $text):
	{message: $text, createdTimeUtc: ($t | ts0),
	 author: {name: $who, email: "\($who)@\(upn_domain)", userPrincipalName: "\($who)@\(upn_domain)"}};

def incident_rows($i): $i.versions[] as $v | incident_row($i; $v);

# --- DeviceLogonEvents -----------------------------------------------------
#
# $o: {action, type, acct, protocol, failure, remote_ip, remote_name,
# remote_port, local_admin}.  $p: the process that handled the logon.

def dle($h; $t; $o; $p):
	(device_cols($h; $t) + {ActionType: ($o.action // "LogonSuccess"),
	  LogonType: $o.type,
	  AccountDomain: $o.acct.domain, AccountName: $o.acct.name,
	  AccountSid: $o.acct.sid, Protocol: $o.protocol,
	  FailureReason: $o.failure, IsLocalAdmin: $o.local_admin,
	  LogonId: (if ($o.action // "LogonSuccess") == "LogonSuccess" then
	      100000 + int_of("logon:\($h.short):\($o.acct.name)"; 9000000) else null end),
	  RemoteDeviceName: $o.remote_name, RemoteIP: $o.remote_ip,
	  RemoteIPType: (if $o.remote_ip then ip_type($o.remote_ip) else null end),
	  RemotePort: $o.remote_port}
	 + (if $p then initiating_cols($p)
	    | del(.InitiatingProcessLogonId, .InitiatingProcessSignerType, .InitiatingProcessSignatureStatus)
	    else {} end)
	 + {ReportId: report_id($h; $t)})
	| omit_empty | row("DeviceLogonEvents");

# The processes that stand behind a Windows logon.
def lsass_proc($h): proc($h; null; 692; bin("lsass"); "C:\\Windows\\system32\\lsass.exe"; system_acct;
	{bin: {name: "wininit.exe"}, pid: 560, t: null});
def termsvc_proc($h): proc($h; null; 1164; bin("svchost"); "svchost.exe -k termsvcs -s TermService"; network_service;
	{bin: bin("services"), pid: 668, t: null});
def schedule_proc($h): proc($h; null; 1544; bin("svchost"); "svchost.exe -k netsvcs -p -s Schedule"; system_acct;
	{bin: bin("services"), pid: 668, t: null});
def services_proc($h): proc($h; null; 668; bin("services"); "C:\\Windows\\system32\\services.exe"; system_acct;
	{bin: {name: "wininit.exe"}, pid: 560, t: null});
def winlogon_proc($h; $t; $pid): proc($h; $t; $pid; bin("winlogon"); "winlogon.exe"; system_acct;
	{bin: {name: "smss.exe"}, pid: 412, t: null});

# An interactive logon's chain: winlogon -> userinit -> explorer.  Emits
# the rows and returns nothing else; explorer_proc() gives the process.
def explorer_proc($h; $t; $acct; $pid):
	proc($h; $t; $pid; bin("explorer"); "C:\\Windows\\Explorer.EXE"; $acct;
	    proc($h; $t - 1200000; $pid + 1376; bin("userinit"); "C:\\Windows\\system32\\userinit.exe"; $acct;
	        winlogon_proc($h; $t - 14000000; 612)));
def logon_rows($h; $t; $acct; $pid):
	explorer_proc($h; $t; $acct; $pid) as $e
	| dpe($e.parent), dpe($e);
