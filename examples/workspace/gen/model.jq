# model.jq: rows.  Each builder takes the generator's objects (hosts,
# accounts, binaries, processes from catalog.jq) and returns one row of a
# Sentinel table, columns in the order Log Analytics lists them.  Empty
# columns are left out (the import stores them as null), and so are the
# bookkeeping columns every table has (TenantId, Type, _BilledSize,
# _IsBillable), except SourceSystem where it carries meaning.
include "lib";
include "catalog";

def omit_empty: with_entries(select(.value != null and .value != ""));

# Tag a row with its table, for the generator's splitter.
def row($table): {table: $table, row: .};

# A ReportId: MDE numbers events per device.
def report_id($h; $t): 10000 + int_of("report:\($h.short):\($t)"; 990000);

# --- Processes ---------------------------------------------------------
#
# A process: {host, pid, t (creation, us), bin, cmd, acct, logon, il, el,
# parent}.  parent is a process too (its own parent needs only bin, pid
# and t).

def proc($host; $t; $pid; $bin; $cmd; $acct; $parent):
	{host: $host, pid: $pid, t: $t, bin: $bin, cmd: $cmd, acct: $acct,
	 logon: (if $acct.sid == "S-1-5-18" then 999
	     elif $acct.sid == "S-1-5-19" then 997
	     elif $acct.sid == "S-1-5-20" then 996
	     else 100000 + int_of("logon:\($host.short):\($acct.name)"; 9000000) end),
	 il: (if ($acct.sid | test("^S-1-5-(18|19|20)$")) then "System"
	     elif ($acct.sid | endswith("-500")) then "High" else "Medium" end),
	 el: (if ($acct.sid | test("^S-1-5-(18|19|20)$")) or ($acct.sid | endswith("-500"))
	     then "TokenElevationTypeDefault" else "TokenElevationTypeLimited" end),
	 parent: $parent};

# Process fields for a row, prefixed "" (the process) or "InitiatingProcess".
def acct_cols($pre; $a; $logon):
	{"\($pre)AccountDomain": $a.domain, "\($pre)AccountName": $a.name,
	 "\($pre)AccountSid": $a.sid, "\($pre)AccountUpn": $a.upn,
	 "\($pre)AccountObjectId": $a.object_id, "\($pre)LogonId": $logon};

def initiating_cols($pp):
	($pp.parent // {}) as $ppp
	| acct_cols("InitiatingProcess"; $pp.acct; $pp.logon)
	+ {InitiatingProcessIntegrityLevel: $pp.il,
	   InitiatingProcessTokenElevation: $pp.el,
	   InitiatingProcessSHA1: $pp.bin.sha1,
	   InitiatingProcessSHA256: $pp.bin.sha256,
	   InitiatingProcessFileName: $pp.bin.name,
	   InitiatingProcessFileSize: $pp.bin.size,
	   InitiatingProcessId: $pp.pid,
	   InitiatingProcessCommandLine: $pp.cmd,
	   InitiatingProcessCreationTime: ($pp.t | if . then ts else null end),
	   InitiatingProcessFolderPath: $pp.bin.dir,
	   InitiatingProcessParentId: $ppp.pid,
	   InitiatingProcessParentFileName: $ppp.bin.name,
	   InitiatingProcessParentCreationTime: ($ppp.t | if . then ts else null end),
	   InitiatingProcessSignerType: $pp.bin.signer,
	   InitiatingProcessSignatureStatus: $pp.bin.sig};

def device_cols($h; $t):
	{TimeGenerated: ($t | ts), Timestamp: ($t | ts),
	 DeviceId: device_id($h), DeviceName: $h.name};

# DeviceProcessEvents: the creation of process $p.
def dpe($p):
	(device_cols($p.host; $p.t) + {ActionType: "ProcessCreated",
	  FileName: $p.bin.name, FolderPath: $p.bin.path,
	  SHA1: $p.bin.sha1, SHA256: $p.bin.sha256,
	  FileSize: $p.bin.size,
	  ProcessVersionInfoCompanyName: $p.bin.company,
	  ProcessVersionInfoProductName: $p.bin.product,
	  ProcessVersionInfoProductVersion: $p.bin.version,
	  ProcessVersionInfoOriginalFileName: $p.bin.original,
	  ProcessVersionInfoFileDescription: $p.bin.desc,
	  ProcessId: $p.pid, ProcessCommandLine: $p.cmd,
	  ProcessIntegrityLevel: $p.il, ProcessTokenElevation: $p.el,
	  ProcessCreationTime: ($p.t | ts)}
	 + acct_cols(""; $p.acct; $p.logon)
	 + initiating_cols($p.parent)
	 + {ReportId: report_id($p.host; $p.t),
	    MachineGroup: (if $p.host.kind == "range" then "Cyber-Range"
	        elif $p.host.kind == "server" then "Contoso-Servers"
	        else machine_group end)})
	| omit_empty | row("DeviceProcessEvents");

# --- Network -------------------------------------------------------------
#
# $o: {action, rip, rport, rurl, lip, lport, proto}; $p is the process
# that made or took the connection.

def ip_type($ip):
	if ($ip | test("^(10\\.|192\\.168\\.|172\\.(1[6-9]|2[0-9]|3[01])\\.)")) then "Private"
	elif ($ip | test("^127\\.")) then "Loopback"
	else "Public" end;

def dne($p; $t; $o):
	(device_cols($p.host; $t) + {ActionType: ($o.action // "ConnectionSuccess"),
	  RemoteIP: $o.rip, RemotePort: $o.rport, RemoteUrl: $o.rurl,
	  LocalIP: ($o.lip // $p.host.ip), LocalPort: $o.lport,
	  Protocol: ($o.proto // "Tcp"),
	  LocalIPType: ip_type($o.lip // $p.host.ip), RemoteIPType: ip_type($o.rip)}
	 + initiating_cols($p)
	 + {ReportId: report_id($p.host; $t)})
	| omit_empty | row("DeviceNetworkEvents");

# --- Files ---------------------------------------------------------------
#
# A file: {name, path, sha1, sha256, md5, size}.  $o: {action,
# origin_url, origin_ip, referrer, prev_path}.

def file_of($path; $size; $version):
	{name: ($path | split("\\") | .[-1]), path: $path,
	 sha1: hex_of("sha1:\($path):\($version)"; 40),
	 sha256: hex_of("sha256:\($path):\($version)"; 64),
	 md5: hex_of("md5:\($path):\($version)"; 32), size: $size};

def dfe($p; $t; $f; $o):
	(device_cols($p.host; $t) + {ActionType: ($o.action // "FileCreated"),
	  FileName: $f.name, FolderPath: $f.path,
	  SHA1: $f.sha1, SHA256: $f.sha256, MD5: $f.md5, FileSize: $f.size,
	  FileOriginUrl: $o.origin_url, FileOriginReferrerUrl: $o.referrer,
	  FileOriginIP: $o.origin_ip,
	  PreviousFileName: ($o.prev_path // "" | split("\\") | .[-1]),
	  PreviousFolderPath: $o.prev_path}
	 + initiating_cols($p)
	 + {ReportId: report_id($p.host; $t)})
	| omit_empty | row("DeviceFileEvents");

# --- Devices -------------------------------------------------------------

def dinfo($h; $t; $public_ip; $users):
	{TimeGenerated: ($t | ts), Timestamp: ($t | ts),
	 DeviceId: device_id($h), DeviceName: $h.name,
	 ClientVersion: "10.8760.19041.5247",
	 PublicIP: $public_ip,
	 OSArchitecture: "64-bit", OSPlatform: $h.os, OSBuild: $h.build,
	 IsAzureADJoined: ($h.kind != "range"),
	 JoinType: (if $h.kind == "range" then "Workgroup" else "Hybrid Azure AD Join" end),
	 AadDeviceId: (if $h.kind == "range" then null else aad_device_id($h) end),
	 LoggedOnUsers: $users,
	 MachineGroup: (if $h.kind == "range" then "Cyber-Range"
	     elif $h.kind == "server" then "Contoso-Servers" else machine_group end),
	 OnboardingStatus: "Onboarded",
	 DeviceCategory: "Endpoint",
	 DeviceType: (if $h.kind == "server" then "Server" else "Workstation" end),
	 OSDistribution: (if $h.kind == "server" then "Windows Server 2022" else "Windows 10" end),
	 OSVersionInfo: (if $h.kind == "server" then "21H2" else "22H2" end),
	 SensorHealthState: "Active", ExposureLevel: "Medium",
	 Vendor: "Microsoft Corporation",
	 Model: (if $h.kind == "range" then "Virtual Machine" elif $h.kind == "server" then "Virtual Machine" else "Surface Laptop 5" end),
	 ReportId: report_id($h; $t)}
	| omit_empty | row("DeviceInfo");

# --- Sign-ins ------------------------------------------------------------
#
# $o: {t, user (account from corp_acct), app {name, id}, resource
# {name, id}, ip, place {city, state, country, lat, lon, asn}, result
# (code as a string), reason, client, ua, device {id, name, os, browser,
# compliant, managed, trust}, auth (single/multi), mfa {method, detail},
# risk {during, aggregated, state, detail, events}, ca, named,
# interactive, correlation}.

def result_text($code):
	{"0": "",
	 "50126": "Error validating credentials due to invalid username or password.",
	 "50074": "Strong Authentication is required.",
	 "50140": "This error occurred due to 'Keep me signed in' interrupt when the user was signing in.",
	 "50053": "Account is locked because user tried to sign in too many times with an incorrect user ID or password.",
	 "50055": "The password is expired.",
	 "53003": "Access has been blocked by Conditional Access policies. The access policy does not allow token issuance.",
	 "50076": "Due to a configuration change made by your administrator, or because you moved to a new location, you must use multi-factor authentication to access the resource.",
	 "50158": "External security challenge not satisfied. User will be redirected to another page or authentication provider to satisfy additional authentication challenges."}[$code] // "";

def signin($o):
	($o.result // "0") as $rc
	| ($o.risk // {}) as $risk
	| {TimeGenerated: ($o.t | ts), CreatedDateTime: ($o.t | ts),
	   ResultType: $rc,
	   ResultDescription: result_text($rc),
	   CorrelationId: ($o.correlation // uuid_of("corr:\($o.t):\($o.user.name)")),
	   Location: $o.place.country,
	   AppDisplayName: $o.app.name, AppId: $o.app.id,
	   AuthenticationRequirement: (if $o.auth == "multi" then "multiFactorAuthentication" else "singleFactorAuthentication" end),
	   AuthenticationDetails: ($o.auth_details | if . then tojson else null end),
	   ClientAppUsed: ($o.client // "Browser"),
	   ConditionalAccessStatus: ($o.ca // (if $rc == "0" then "success" else "notApplied" end)),
	   ConditionalAccessPolicies: $o.ca_policies,
	   DeviceDetail: ({deviceId: ($o.device.id // ""), displayName: ($o.device.name // ""),
	       operatingSystem: ($o.device.os // "Windows10"), browser: ($o.device.browser // ""),
	       isCompliant: ($o.device.compliant // false), isManaged: ($o.device.managed // false),
	       trustType: ($o.device.trust // "")} | omit_empty),
	   Id: uuid_of("signin:\($o.t):\($o.user.name):\($o.app.id)"),
	   IPAddress: $o.ip, IsInteractive: ($o.interactive // true),
	   IsRisky: (($risk.during // "none") != "none"),
	   LocationDetails: {city: $o.place.city, state: $o.place.state,
	       countryOrRegion: $o.place.country,
	       geoCoordinates: {latitude: $o.place.lat, longitude: $o.place.lon}},
	   MfaDetail: $o.mfa,
	   NetworkLocationDetails: (if $o.named then [{networkType: "trustedNamedLocation", networkNames: [$o.named]}] else [] end | tojson),
	   RiskDetail: ($risk.detail // "none"),
	   RiskEventTypes_V2: ($risk.events // [] | tojson),
	   RiskLevelAggregated: ($risk.aggregated // "none"),
	   RiskLevelDuringSignIn: ($risk.during // "none"),
	   RiskState: ($risk.state // "none"),
	   ResourceDisplayName: ($o.resource.name // $o.app.name),
	   ResourceIdentity: ($o.resource.id // $o.app.id),
	   Status: ({errorCode: ($rc | tonumber), failureReason: (if $rc == "0" then null else result_text($rc) end),
	       additionalDetails: $o.status_detail} | omit_empty),
	   UserAgent: $o.ua,
	   UserDisplayName: $o.user.display, UserId: $o.user.object_id,
	   UserPrincipalName: $o.user.upn, UserType: "Member",
	   AutonomousSystemNumber: ($o.place.asn | if . then tostring else null end),
	   AADTenantId: aad_tenant, SourceSystem: "Azure AD"}
	| omit_empty | row("SigninLogs");

# --- Audit ---------------------------------------------------------------

def audit($o):
	{TimeGenerated: ($o.t | ts), ActivityDateTime: ($o.t | ts),
	 OperationName: $o.op, ActivityDisplayName: $o.op,
	 Category: ($o.category // "UserManagement"),
	 Result: ($o.result // "success"), ResultReason: $o.reason,
	 LoggedByService: ($o.service // "Core Directory"),
	 CorrelationId: uuid_of("auditcorr:\($o.t):\($o.op)"),
	 Id: "Directory_\(uuid_of("audit:\($o.t):\($o.op)"))",
	 InitiatedBy: $o.by,
	 TargetResources: $o.targets,
	 AdditionalDetails: ($o.details // []),
	 AADOperationType: $o.optype,
	 Identity: $o.identity,
	 SourceSystem: "Azure AD"}
	| omit_empty | row("AuditLogs");

def audit_user($a; $ip): {user: {id: $a.object_id, displayName: null,
	userPrincipalName: $a.upn, ipAddress: $ip, roles: []}};
def audit_target_user($a): {id: $a.object_id, displayName: null,
	type: "User", userPrincipalName: $a.upn, modifiedProperties: [],
	administrativeUnits: []};
