# noise.jq: a week of ordinary life around the incidents.  Office workers
# log on, read mail, browse and save files; Windows runs its services;
# servers run the nightly inventory; cyber-range students RDP in for labs
# while the internet knocks on their VMs' RDP ports; everyone signs in to
# Microsoft 365.  Deterministic: every choice draws from a stream seeded by
# the host (or user) and the date.
include "lib";
include "catalog";
include "model";
include "sentinel";
include "incidents";

def dates: ["01-08", "01-09", "01-10", "01-11", "01-12", "01-13", "01-14", "01-15"];
def workday($date): $date != "01-10" and $date != "01-11";
def day_at($date; $hhmm): at("\($date) \($hhmm):00");

# The data set covers the seven days before the anchor.
def in_window($t): $t >= anchor - 7 * days and $t < anchor - 30 * sec;

# A day's random stream for a key: 64 draws in [0, 1).
def R($key): draws(seed_of($key); 64);

def minutes($r; $n): ($r * $n * mins) | floor;

# When a host joined the data set: range VMs are provisioned at 15:20
# (give or take half an hour) on the day of their "since".
def born($h):
	if $h.kind == "range" then
	  (anchor - $h.since * days) as $b
	  | at(($b | ts | .[5:10]) + " 15:20:00") + int_of("prov:" + $h.short; 1800000000)
	else 0 end;
def alive($h; $t): in_window($t) and $t >= born($h);

# A public address for the internet's background scanning: no private,
# reserved or documentation ranges, and none of the data set's named
# adversaries (checked by the generator).
def scanner_ip($k):
	R("scan:" + $k) as $r
	| "\(pick([45, 61, 80, 89, 92, 103, 109, 112, 118, 121, 141, 146, 152, 159, 167, 176, 178, 193, 194, 212, 213, 217, 218, 222]; $r[0])).\(1 + ($r[1] * 253 | floor)).\(1 + ($r[2] * 253 | floor)).\(1 + ($r[3] * 253 | floor))";

# --- Windows itself ----------------------------------------------------------
#
# System processes from the public MDE sample's rows (templates), placed on
# our hosts at our times with new process ids.

def template_proc($tp; $h; $t; $pid):
	{name: $tp.FileName, path: $tp.FolderPath, dir: dir_of($tp.FolderPath),
	 sha1: $tp.SHA1, sha256: $tp.SHA256, size: $tp.FileSize,
	 company: $tp.ProcessVersionInfoCompanyName, product: $tp.ProcessVersionInfoProductName,
	 version: $tp.ProcessVersionInfoProductVersion, original: $tp.ProcessVersionInfoOriginalFileName,
	 desc: $tp.ProcessVersionInfoFileDescription} as $bin
	| {name: $tp.InitiatingProcessFileName, path: null, dir: $tp.InitiatingProcessFolderPath,
	   sha1: $tp.InitiatingProcessSHA1, sha256: $tp.InitiatingProcessSHA256,
	   size: $tp.InitiatingProcessFileSize, signer: $tp.InitiatingProcessSignerType,
	   sig: $tp.InitiatingProcessSignatureStatus} as $pbin
	| {host: $h, pid: $pid, t: $t, bin: $bin, cmd: $tp.ProcessCommandLine,
	   acct: {domain: $tp.AccountDomain, name: $tp.AccountName, sid: $tp.AccountSid},
	   logon: (if $tp.AccountSid == "S-1-5-18" then 999 elif $tp.AccountSid == "S-1-5-19" then 997
	       elif $tp.AccountSid == "S-1-5-20" then 996 else 0 end),
	   il: $tp.ProcessIntegrityLevel, el: $tp.ProcessTokenElevation,
	   parent: {pid: (400 + int_of("ppid:\($h.short):\($tp.InitiatingProcessFileName)"; 3000) * 4),
	       t: ($t - 3 * days - int_of("pt:\($h.short):\($tp.InitiatingProcessFileName)"; 40 * 3600) * 1000000),
	       bin: $pbin, cmd: $tp.InitiatingProcessCommandLine,
	       acct: {domain: $tp.InitiatingProcessAccountDomain, name: $tp.InitiatingProcessAccountName,
	           sid: $tp.InitiatingProcessAccountSid},
	       logon: (if $tp.InitiatingProcessAccountSid == "S-1-5-18" then 999 else 997 end),
	       il: $tp.InitiatingProcessIntegrityLevel, el: $tp.InitiatingProcessTokenElevation,
	       parent: {pid: (400 + int_of("gpid:\($h.short):\($tp.InitiatingProcessParentFileName)"; 600) * 4),
	           bin: {name: $tp.InitiatingProcessParentFileName}}}};

# Templates that happen at boot or once a month are rare; the rest are
# the everyday background.
def everyday($tmpl):
	$tmpl | map(select(.FileName as $f | ["smss.exe", "autochk.exe", "csrss.exe", "wininit.exe",
	    "LogonUI.exe", "dwm.exe", "fontdrvhost.exe", "lsass.exe", "services.exe", "MsMpEng.exe",
	    "MsSense.exe", "NisSrv.exe", "SgrmBroker.exe", "spoolsv.exe", "WaAppAgent.exe",
	    "WindowsAzureGuestAgent.exe", "DismHost.exe", "MRT.exe", "AM_Delta.exe", "MpSigStub.exe",
	    "Windows-KB890830-x64-V5.96.exe", "wimserv.exe", "SearchIndexer.exe"] | index($f) | not));

def system_day($tmpl; $h; $date):
	R("sys:\($h.short):\($date)") as $r
	| everyday($tmpl) as $ev
	| (day_at($date; "00:00")) as $d0
	| ([range(0; ($r[0] * 2.2 | floor))] | .[] as $k
	   | ($d0 + ($r[1 + $k] * 24 * hours | floor)) as $t
	   | select(alive($h; $t))
	   | dpe(template_proc(pick($ev; $r[5 + $k]); $h; $t; 1000 + ($r[9 + $k] * 2500 | floor) * 4))),
	  (($d0 + ($r[13] * 24 * hours | floor)) as $t
	   | select(alive($h; $t))
	   | pick(system_destinations; $r[14]) as $dst
	   | (if $dst.proc == "svchost.exe" then
	        proc($h; null; 1348; bin("svchost"); "svchost.exe -k NetworkService -p -s Dnscache"; network_service; services_proc($h))
	      else
	        proc($h; null; 3180; {name: $dst.proc, path: null, dir: (if $dst.proc == "MsSense.exe" then "c:\\program files\\windows defender advanced threat protection" elif $dst.proc == "MsMpEng.exe" then "c:\\programdata\\microsoft\\windows defender\\platform\\4.18.24090.11-0" else "c:\\program files (x86)\\microsoft\\edgeupdate" end),
	            sha1: hex_of("sha1:" + $dst.proc; 40), sha256: hex_of("sha256:" + $dst.proc; 64), size: 3000000,
	            signer: "Microsoft", sig: "Valid"}; "\"\($dst.proc)\""; system_acct; services_proc($h))
	      end) as $p
	   | dne($p; $t; {rip: $dst.ip, rport: $dst.port, rurl: $dst.url,
	       proto: (if $dst.port == 123 then "Udp" else "Tcp" end),
	       lport: (49700 + ($r[15] * 15000 | floor))}));

# --- Office days -------------------------------------------------------------

def browser_of($u): if $u == "liam.murphy" or $u == "wei.zhang" then "chrome" else "msedge" end;

def docs: ["Q1 Forecast.xlsx", "Team Roster.xlsx", "Budget FY26.xlsx", "Meeting Notes.docx",
	"Project Plan.docx", "Vendor Contract Review.docx", "Onboarding Checklist.docx",
	"Sales Pipeline.xlsx", "Expense Report January.xlsx", "Policy Draft v3.docx"];

def downloads: [
	{name: "Benefits_Guide_2026.pdf", url: "https://contoso.sharepoint.com/sites/HR/Shared%20Documents/Benefits_Guide_2026.pdf", ip: "13.107.136.9"},
	{name: "invoice_84412.pdf", url: "https://www.salesforce.com/files/invoice_84412.pdf", ip: "104.109.10.129"},
	{name: "zoom_x64.msi", url: "https://zoom.us/client/latest/zoom_x64.msi", ip: "170.114.52.2"},
	{name: "report-2025-Q4.pdf", url: "https://www.nytimes.com/reports/report-2025-Q4.pdf", ip: "151.101.1.164"},
	{name: "architecture.png", url: "https://github.com/contoso/platform/raw/main/docs/architecture.png", ip: "140.82.112.3"}];

# Desk sessions: people log on on Monday the 5th (before the data set),
# again on the 12th (the machines were shut down over the weekend) and on
# the 14th (Patch Tuesday's reboot), plus the logons the incidents pin;
# on other days they unlock the session they have.
def corp_sessions($h):
	(fixed_sessions | map(select(.host == $h.short and (.incident | not)))) as $fx
	| (["01-05", "01-12", "01-14"] - ($fx | map(.date)) | map(
	    . as $d | R("sess:\($h.short):\($d)") as $r
	    | {date: $d, t: (day_at($d; "08:05") - $h.tz * hours + minutes($r[0]; 55)), pid: (3000 + ($r[1] * 1500 | floor) * 4)}))
	  + ($fx | map({date, t: at(.t), pid, skip}))
	| sort_by(.date);

def session_for($h; $date): corp_sessions($h) | map(select(.date <= $date)) | max_by(.date);

def corp_day($h; $date):
	corp_acct($h.user) as $a
	| session_for($h; $date) as $s
	| ($s.date == $date) as $new
	| R("corp:\($h.short):\($date)") as $r
	| (if $new then $s.t else day_at($date; "08:02") - $h.tz * hours + minutes($r[0]; 50) end) as $tl
	| ($s.pid) as $epid
	| (if $new then ($s.skip // []) else [] end) as $skip
	| select(workday($date) and in_window($tl))
	| explorer_proc($h; $s.t; $a; $epid) as $ex
	| def app($k; $t; $pid; $cmd): proc($h; $t; $pid; bin($k); $cmd; $a; $ex);
	  def ok($t): in_window($t);
	  # The apps that start with the session.
	  app("onedrive"; $s.t + 26000000; $epid + 820; "\"C:\\Program Files\\Microsoft OneDrive\\OneDrive.exe\" /background") as $od
	| app("teams"; $s.t + 38000000; $epid + 1044; "\"\(bin("teams").path)\" msteams:system-initiated") as $tm
	| app("outlook"; $s.t + 90000000 + minutes(R("ol:\($h.short):\($s.date)")[0]; 6); $epid + 2208; "\"\(bin("outlook").path)\" ") as $ol
	| (if $new then
	     dle($h; $tl - 16000000; {type: "Interactive", acct: $a, protocol: "Kerberos", local_admin: false}; lsass_proc($h)),
	     logon_rows($h; $tl; $a; $epid),
	     dpe($od), dpe($tm),
	     (select($skip | index("outlook") | not) | dpe($ol))
	   else
	     dle($h; $tl; {type: "Unlock", acct: $a, protocol: "Kerberos", local_admin: false}; lsass_proc($h))
	   end),
	  (($tl + 41000000 + minutes($r[2]; 3)) as $t | select(ok($t))
	   | dne($od; $t; {rip: "13.107.138.9", rport: 443, rurl: "contoso-my.sharepoint.com", lport: (50100 + ($r[3] * 9000 | floor))})),
	  (($tl + 47000000 + minutes($r[4]; 2)) as $t | select(ok($t))
	   | dne($tm; $t; {rip: "52.113.194.132", rport: 443, rurl: "teams.microsoft.com", lport: (50200 + ($r[5] * 9000 | floor))})),
	  (select($skip | index("outlook") | not)
	   | ([$ol.t, $tl] | max) + 3100000 + minutes($r[6]; 4) | select(ok(.)) as $t
	   | dne($ol; $t; {rip: "52.96.111.82", rport: 443, rurl: "outlook.office365.com", lport: (50300 + ($r[7] * 9000 | floor))})),
	  (browser_of($h.user) as $b
	   | select($skip | index($b) | not)
	   | app($b; $tl + 10 * mins + minutes($r[8]; 80); $epid + 3316 + ($r[39] * 200 | floor) * 4; "\"\(bin($b).path)\" ") as $br
	   | select(ok($br.t))
	   | dpe($br),
	     ([range(0; 1 + ($r[9] * 2.5 | floor))] | .[] as $k
	      | ($br.t + 20000000 + minutes($r[10 + $k]; 420)) as $t | select(ok($t))
	      | pick(web_destinations; $r[14 + $k]) as $w
	      | dne($br; $t; {rip: $w.ip, rport: $w.port, rurl: $w.url, lport: (51000 + ($r[18 + $k] * 9000 | floor))})),
	     (select($r[22] < 0.3)
	      | pick(downloads; $r[23]) as $dl
	      | ($br.t + 30 * mins + minutes($r[24]; 300)) as $t | select(ok($t))
	      | dfe($br; $t; file_of("C:\\Users\\\($a.name)\\Downloads\\\($dl.name)"; 40000 + ($r[25] * 4000000 | floor); $date);
	          {origin_url: $dl.url, origin_ip: $dl.ip}))),
	  (select($r[26] < 0.5)
	   | pick(docs; $r[27]) as $doc
	   | (if ($doc | endswith("xlsx")) then "excel" else "winword" end) as $k
	   | app($k; $tl + 45 * mins + minutes($r[28]; 360); $epid + 4420 + ($r[40] * 200 | floor) * 4; "\"\(bin($k).path)\" /n \"C:\\Users\\\($a.name)\\OneDrive - Contoso\\Documents\\\($doc)\"") as $o
	   | select(ok($o.t))
	   | dpe($o),
	     dfe($o; $o.t + minutes($r[29]; 40) + 60000000;
	         file_of("C:\\Users\\\($a.name)\\OneDrive - Contoso\\Documents\\\($doc)"; 20000 + ($r[30] * 900000 | floor); $date + $a.name);
	         {action: "FileModified"})),
	  (select($h.user == "kevin.obrien")
	   | app("cmd"; $tl + 20 * mins + minutes($r[31]; 240); $epid + 5012 + ($r[41] * 200 | floor) * 4; "\"C:\\Windows\\system32\\cmd.exe\" ") as $c
	   | select(ok($c.t))
	   | dpe($c),
	     dpe(proc($h; $c.t + 9000000 + minutes($r[32]; 5); $c.pid + 44;
	         bin(pick(["ipconfig", "nslookup", "ping"]; $r[33]));
	         pick(["ipconfig  /all", "nslookup  srv-app-03.corp.contoso.com", "ping  -n 4 dc01"]; $r[33]); $a; $c)),
	     (select($r[34] < 0.5)
	      | app("mmc"; $c.t + 30 * mins; $c.pid + 188; "\"C:\\Windows\\system32\\mmc.exe\" \"C:\\Windows\\system32\\dsa.msc\" ")
	      | select(ok(.t)) | dpe(.))),
	  (select($h.user == "wei.zhang")
	   | app("code"; $tl + 15 * mins + minutes($r[35]; 60); $epid + 5600 + ($r[42] * 200 | floor) * 4; "\"\(bin("code").path)\" ") as $vs
	   | select(ok($vs.t))
	   | dpe($vs),
	     dne($vs; $vs.t + 40000000; {rip: "140.82.112.3", rport: 443, rurl: "github.com", lport: (52000 + ($r[36] * 9000 | floor))})),
	  # The Configuration Manager client checks in with its management point.
	  (select($r[43] < 0.35)
	   | ($tl + minutes($r[37]; 480)) as $t | select(ok($t))
	   | dne(proc($h; null; 3764; bin("ccmexec"); "C:\\Windows\\CCM\\CcmExec.exe"; system_acct; services_proc($h)); $t;
	       {rip: "10.20.0.50", rport: 443, rurl: "sccm01.corp.contoso.com", lport: (53000 + ($r[38] * 9000 | floor))}));

# --- Servers -------------------------------------------------------------------

def server_day($h; $date):
	R("srv:\($h.short):\($date)") as $r
	| ([range(1; 7)] | .[] as $d
	   | select(((anchor - $d * days - 12 * hours) | ts | .[5:10]) == $date)
	   | inventory_run($h; inventory_time($h.short; $d))),
	  (select($h.short == "dc01" and workday($date))
	   | (day_at($date; "14:00") + minutes($r[0]; 480)) as $t | select(in_window($t))
	   | dle($h; $t; {type: "RemoteInteractive", acct: adm_kobrien, protocol: "Kerberos",
	       remote_ip: "10.20.3.12", remote_name: "ws-it-003", remote_port: (50000 + ($r[1] * 9000 | floor)),
	       local_admin: true}; lsass_proc($h))),
	  (select($h.short == "srv-sql-02")
	   | (day_at($date; "06:00") + minutes($r[2]; 30)) as $t | select(in_window($t))
	   | dne(proc($h; null; 2412; bin("sqlservr"); "\"\(bin("sqlservr").path)\" -sMSSQLSERVER"; {domain: "nt service", name: "mssqlserver", sid: "S-1-5-80-3880718306-3832830129-1677859214-2598158968-1052248003"}; services_proc($h));
	       $t; {action: "InboundConnectionAccepted", rip: "10.20.0.33", rport: (49800 + ($r[3] * 9000 | floor)), lport: 1433}));

# --- The cyber range ------------------------------------------------------------

def range_apps: [
	{file: "Wireshark-4.4.2-x64.exe", args: "/S", size: 87457280},
	{file: "Sysmon64.exe", args: "-accepteula -i C:\\Packages\\Plugins\\Microsoft.Compute.CustomScriptExtension\\1.10.18\\Downloads\\0\\sysmonconfig.xml", size: 4563352}];

def cse_dir: "C:\\Packages\\Plugins\\Microsoft.Compute.CustomScriptExtension\\1.10.18\\Downloads\\0";

# The range provisions a new VM with the Custom Script Extension, which
# pulls the lab tools from the range's storage account.
def provision($h; $t):
	proc($h; $t - 9000000; 3388; bin("customscript"); "\"\(bin("customscript").path)\" /poll"; system_acct;
	    {bin: {name: "WaAppAgent.exe", dir: "c:\\windowsazure\\guestagent_2.7.41491.1141_2025-11-06_184522"}, pid: 2608,
	     t: ($t - 20 * mins), cmd: "WaAppAgent.exe", acct: system_acct, logon: 999, il: "System", el: "TokenElevationTypeDefault",
	     parent: {bin: {name: "services.exe"}, pid: 668}}) as $cse
	| proc($h; $t; 3596; bin("powershell"); "powershell -ExecutionPolicy Unrestricted -File Install-RangeApps.ps1"; system_acct; $cse) as $ps
	| dpe($cse), dpe($ps),
	  (range_apps | to_entries[] | .key as $i | .value as $app
	   | ($t + 4000000 + $i * 31000000) as $tn
	   | dne($ps; $tn; {rip: range_storage.ip, rport: 443, rurl: range_storage.url, lport: (49760 + $i * 7)}),
	     (file_of("\(cse_dir)\\\($app.file)"; $app.size; "range") as $f
	      | dfe($ps; $tn + 8000000; $f; {}),
	        dpe(proc($h; $tn + 9500000; 4100 + $i * 212;
	            synth($f.path; (if $i == 0 then "The Wireshark developer community, https://www.wireshark.org/" else "Sysinternals - www.sysinternals.com" end);
	                (if $i == 0 then "Wireshark" else "Sysinternals Sysmon" end); (if $i == 0 then "4.4.2" else "15.15" end);
	                (if $i == 0 then "Wireshark installer" else "System activity monitor" end); $app.file; $app.size; "Unknown"; "Valid");
	            "\"\($f.path)\" \($app.args)"; system_acct; $ps))));

def student_lab_cmds: [
	["ipconfig", "ipconfig  /all"], ["whoami", "whoami  /priv"], ["net", "net  user"],
	["systeminfo", "systeminfo "], ["ping", "ping  -n 4 8.8.8.8"],
	["nslookup", "nslookup  sacyberrange00.blob.core.windows.net"], ["tasklist", "tasklist  /svc"]];

def student_session($vm; $h; $date):
	range_admin($vm) as $a
	| R("lab:\($h.short):\($date)") as $r
	| (day_at($date; "19:00") - ($vm.tz * hours | floor) + minutes($r[0]; 200)) as $t
	| select(in_window($t))
	| (3000 + ($r[1] * 1500 | floor) * 4) as $epid
	| explorer_proc($h; $t + 15000000; $a; $epid) as $ex
	| dle($h; $t; {type: "RemoteInteractive", acct: $a, protocol: "Negotiate",
	      remote_ip: student_ips[$vm.user], remote_port: (50000 + ($r[2] * 15000 | floor)), local_admin: true}; lsass_proc($h)),
	  logon_rows($h; $ex.t; $a; $epid),
	  ([range(0; 1 + ($r[3] * 2.5 | floor))] | .[] as $k
	   | ($ex.t + 2 * mins + minutes($r[4 + $k]; 90)) as $ta
	   | select(in_window($ta))
	   | ($r[8 + $k]) as $c
	   | if $c < 0.35 then
	       proc($h; $ta; $epid + 900 + $k * 64; bin("msedge"); "\"\(bin("msedge").path)\" "; $a; $ex) as $e
	       | dpe($e),
	         (pick([web_destinations[11], web_destinations[12], web_destinations[10], web_destinations[8]]; $r[12 + $k]) as $w
	          | dne($e; $ta + 6000000; {rip: $w.ip, rport: 443, rurl: $w.url, lport: (50500 + ($r[16 + $k] * 9000 | floor))}))
	     elif $c < 0.8 then
	       proc($h; $ta; $epid + 1500 + $k * 64; bin("cmd"); "\"C:\\Windows\\system32\\cmd.exe\" "; $a; $ex) as $c1
	       | pick(student_lab_cmds; $r[20 + $k]) as [$b, $line]
	       | dpe($c1),
	         dpe(proc($h; $ta + 20000000 + minutes($r[24 + $k]; 4); $c1.pid + 36; bin($b); $line; $a; $c1))
	     else
	       dpe(proc($h; $ta; $epid + 2100 + $k * 64; bin("powershell"); "\"C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe\" "; $a; $ex))
	     end);

def range_brute_names: ["administrator", "admin", "user", "test", "azureuser", "guest", "scanner",
	"support", "backup", "sql", "Administrator", "ADMIN", "user1", "demo"];

def brute_day($vm; $h; $date):
	R("brute:\($h.short):\($date)") as $r
	| ([range(0; 1 + ($r[0] * 3 | floor))] | .[] as $k
	   | (day_at($date; "00:00") + ($r[1 + $k] * 24 * hours | floor)) as $t
	   | select(alive($h; $t))
	   | scanner_ip("\($h.short):\($date):\($k)") as $ip
	   | pick(range_brute_names; $r[6 + $k]) as $n
	   | dne(termsvc_proc($h); $t - 1800000; {action: "InboundConnectionAccepted", rip: $ip,
	       rport: (1024 + ($r[11 + $k] * 60000 | floor)), lport: 3389}),
	     dle($h; $t; {action: "LogonFailed", type: "Network", acct: {domain: $h.short, name: $n},
	       protocol: "NTLM", failure: (if $n == "administrator" or $n == "Administrator" then "InvalidUserNameOrPassword" else "UnknownUser" end),
	       remote_ip: $ip, remote_port: (1024 + ($r[11 + $k] * 60000 | floor))}; null));

def range_day($vm; $date):
	host($vm.host) as $h
	| born($h) as $born
	| ($born | ts | .[5:10]) as $bdate
	| (fixed_sessions | map(select(.host == $h.short and .date == $date and .incident)) | length > 0) as $pinned
	| select(day_at($date; "23:59") >= $born)
	| (select($date == $bdate) | provision($h; $born)),
	  (select($pinned | not) | select(int_of("labday:\($h.short):\($date)"; 3) != 0)
	   | select($date != $bdate) | student_session($vm; $h; $date)),
	  brute_day($vm; $h; $date);

# --- Devices --------------------------------------------------------------------

def device_rows:
	hosts[] as $h
	| dates[] as $date
	| (day_at($date; "00:40") + int_of("dinfo:\($h.short):\($date)"; 1800000000)) as $t0
	| (if ($h.kind == "range") and (born($h) | ts | .[5:10]) == $date then born($h) + 11 * mins else $t0 end) as $t
	| select(alive($h; $t))
	| (if $h.kind == "range" then $h.pub
	   elif $h.user == "raj.patel" then homes.seattle.ip
	   elif $h.user == "sophie.martin" and $date >= "01-12" then lisbon.ip
	   else office_egress.ip end) as $pub
	| (if $h.kind == "range" then [{UserName: $h.user, DomainName: $h.short, Sid: (range_sid($h.short) + "-500")}]
	   elif $h.user then [corp_acct($h.user) | {UserName: .name, DomainName: "CONTOSO", Sid: .sid}]
	   else [] end) as $users
	| dinfo($h; $t; $pub; $users);

# --- Sign-ins --------------------------------------------------------------------

def signin_day($p; $date):
	corp_acct($p.u) as $a
	| R("signin:\($p.u):\($date)") as $r
	| (if $p.u == "sophie.martin" and $date >= "01-12" then {pl: lisbon, h0: "08:50", named: null}
	   elif $p.u == "raj.patel" then {pl: homes.seattle, h0: "16:20", named: null}
	   else {pl: place($p.where), h0: "13:10", named: (if $p.where == "office" then office_egress.named else null end)} end) as $w
	| select(workday($date) or ($p.where != "office" and $r[0] < 0.25))
	| work_device($p.u) as $dev
	| (if $p.u == "jorge.alvarez" then "single" else "multi" end) as $auth
	| ([range(0; 1 + ($r[1] * 3 | floor))] | .[] as $k
	   | (day_at($date; $w.h0) + minutes($r[2 + $k]; 520)) as $t
	   | select(in_window($t))
	   | (if $p.u == "raj.patel" and $r[6 + $k] < 0.45 then {pl: vpn_egress, named: vpn_egress.named} else $w end) as $ww
	   | pick([[apps.office_home, resources.graph, ua.edge, "Browser"],
	           [apps.exo, resources.exo, ua.native, "Mobile Apps and Desktop clients"],
	           [apps.teams, resources.teams, ua.native, "Mobile Apps and Desktop clients"],
	           [apps.sharepoint, resources.sharepoint, ua.edge, "Browser"],
	           [apps.office, resources.graph, ua.native, "Mobile Apps and Desktop clients"]]
	          + (if $p.dept == "Security" or $p.dept == "IT" then [[apps.azure_portal, resources.arm, ua.edge, "Browser"]] else [] end);
	          $r[9 + $k]) as [$app, $res, $agent, $client]
	   | (if $r[13 + $k] < 0.06 then "50140" elif $r[13 + $k] < 0.09 then "50074" else "0" end) as $rc
	   | signin({t: $t, user: $a, app: $app, resource: $res, ip: $ww.pl.ip, place: $ww.pl, named: $ww.named,
	       result: $rc, client: $client, ua: $agent, auth: $auth, device: $dev,
	       ca: (if $rc == "0" then "success" else "notApplied" end),
	       mfa: (if $auth == "multi" and $rc == "0" then {authMethod: "Previously satisfied", authDetail: null} else null end)})),
	  (select($p.host != null and $r[20] < 0.5)
	   | (day_at($date; $w.h0) + minutes($r[21]; 600)) as $t
	   | select(in_window($t))
	   | signin({t: $t, user: $a, app: apps.outlook_mobile, resource: resources.exo, ip: $w.pl.ip, place: $w.pl,
	       named: $w.named, client: "Mobile Apps and Desktop clients", ua: ua.outlook_ios, auth: $auth,
	       device: phone($p.u), mfa: {authMethod: "Previously satisfied", authDetail: null}}));

# --- Directory changes -------------------------------------------------------------

def audit_day($date):
	R("audit:\($date)") as $r
	| corp_acct("daniel.harris") as $admin
	| select(workday($date))
	| [range(0; 2 + ($r[0] * 3 | floor))] | .[] as $k
	| (day_at($date; "14:00") + minutes($r[1 + $k]; 420)) as $t
	| select(in_window($t))
	| pick(people; $r[6 + $k]) as $p
	| corp_acct($p.u) as $u
	| pick(["Update user", "Add member to group", "Reset user password", "Update device", "Add registered owner to device"]; $r[11 + $k]) as $op
	| audit({t: $t, op: $op,
	    category: (if $op | test("device") then "Device" elif $op | test("group") then "GroupManagement" else "UserManagement" end),
	    by: audit_user($admin; office_egress.ip),
	    targets: [audit_target_user($u)
	      + (if $op == "Update user" then {modifiedProperties: [{displayName: "Department", oldValue: null, newValue: ("[\"" + $p.dept + "\"]")}]} else {} end)],
	    identity: "Daniel Harris", optype: (if $op | test("^Add") then "Assign" elif $op | test("Reset") then "Update" else "Update" end)});

# --- Everything -------------------------------------------------------------------

def noise($tmpl):
	(hosts[] as $h | dates[] as $date
	 | system_day($tmpl; $h; $date),
	   (select($h.kind == "workstation") | corp_day($h; $date)),
	   (select($h.kind == "server") | server_day($h; $date))),
	(range_vms[] as $vm | dates[] as $date | range_day($vm; $date)),
	device_rows,
	(people[] as $p | dates[] as $date | signin_day($p; $date)),
	(dates[] | audit_day(.));
