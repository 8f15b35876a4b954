# catalog.jq: who and what lives in the demo workspace: the tenant, the
# hosts, the accounts, the binaries and the places on the internet they
# talk to.  Names only; the rows are built in model.jq.
include "lib";

# --- The tenant --------------------------------------------------------

def workspace_name: "law-cyber-range";
def workspace_id: "6b1e9c0d-3f7a-4e52-a8d1-0c4f2b7e9a35";
def aad_tenant: "c1e7a0d4-58b2-4f3e-9a6c-7d2e1b5f8a90";
def subscription: "7d2a41c8-9e3b-4f6d-b0a5-3c8e1f2d6b47";
def resource_group: "rg-cyber-range";
def upn_domain: "contoso.com";
def ad_domain: "corp.contoso.com";
def netbios: "CONTOSO";
def domain_sid: "S-1-5-21-1844237615-3614587425-2690571264";
def machine_group: "Contoso-Workstations";

def incident_url($name):
	"https://portal.azure.com/#asset/Microsoft_Azure_Security_Insights/Incident/subscriptions/\(subscription)/resourceGroups/\(resource_group)/providers/Microsoft.OperationalInsights/workspaces/\(workspace_name)/providers/Microsoft.SecurityInsights/Incidents/\($name)";

# --- Binaries ----------------------------------------------------------
#
# A binary: {name, path, dir (lower case, as InitiatingProcessFolderPath
# writes it), sha1, sha256, md5, size, company, product, version,
# internal, original, desc, signer, sig}.  Real ones carry the hashes the
# public MDE sample recorded (gen/mde_proc_pub.templates.ndjson, MIT); the
# rest get synthetic hashes named by path and version, which match
# nothing real.

def dir_of($path): $path | split("\\") | .[0:-1] | join("\\") | ascii_downcase;

def synth($path; $company; $product; $version; $desc; $orig; $size; $signer; $sig):
	($path | split("\\") | .[-1]) as $name
	| {name: $name, path: $path, dir: dir_of($path),
	   sha1: hex_of("sha1:\($path):\($version)"; 40),
	   sha256: hex_of("sha256:\($path):\($version)"; 64),
	   md5: hex_of("md5:\($path):\($version)"; 32),
	   size: $size, company: $company, product: $product,
	   version: $version, internal: ($orig | ascii_downcase),
	   original: $orig, desc: $desc, signer: $signer, sig: $sig,
	   synthetic: true};

def ms_os($path; $version; $desc; $orig; $size):
	synth($path; "Microsoft Corporation"; "Microsoft® Windows® Operating System";
	    $version; $desc; $orig; $size; "OsVendor"; "Valid");

def real($name; $path; $sha1; $sha256; $md5; $size; $version; $internal; $orig; $desc):
	{name: $name, path: $path, dir: dir_of($path), sha1: $sha1,
	 sha256: $sha256, md5: $md5, size: $size,
	 company: "Microsoft Corporation",
	 product: "Microsoft® Windows® Operating System", version: $version,
	 internal: $internal, original: $orig, desc: $desc,
	 signer: "OsVendor", sig: "Valid"};

def bin_specs: {
	# From the public sample (mde_proc_pub.csv, msticpy, MIT).
	powershell: real("powershell.exe"; "C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe";
	    "f43d9bb316e30ae1a3494ac5b0624f6bea1bf054";
	    "9f914d42706fe215501044acd85a32d58aaef1419d404fddfa5d3b48f66ccd9f";
	    "04029e121a0cfa5991749937dd22a1d9"; 452608; "10.0.19041.546";
	    "POWERSHELL"; "PowerShell.EXE"; "Windows PowerShell"),
	conhost: real("conhost.exe"; "C:\\Windows\\System32\\conhost.exe";
	    "ba93b6f897778b91db9d179e14c352af82210061";
	    "22117361c2c34cb18beee2ca9770b3aa6c8d032a0941991454dd222bec6d9295";
	    "d837fa4dee7d84c19ff6f71fc48a6625"; 889344; "10.0.19041.1320";
	    "ConHost"; "CONHOST.EXE"; "Console Window Host"),
	svchost: real("svchost.exe"; "C:\\Windows\\System32\\svchost.exe";
	    "010db07461e45b41c886192df6fd425ba8d42d82";
	    "643ec58e82e0272c97c2a59f6020970d881af19c0ad5029db9c958c13b6558c7";
	    "f586835082f632dc8d9404d83bc16316"; 57360; "10.0.19041.546";
	    "svchost.exe"; "svchost.exe"; "Host Process for Windows Services"),
	services: real("services.exe"; "C:\\Windows\\System32\\services.exe";
	    "d7a213f3cfee2a8a191769eb33847953be51de54";
	    "dfbea9e8c316d9bc118b454b0c722cd674c30d0a256340200e2c3a7480cba674";
	    "d8e577bf078c45954f4531885478d5a9"; 714856; "10.0.19041.928";
	    "services.exe"; "services.exe"; "Services and Controller app"),
	lsass: real("lsass.exe"; "C:\\Windows\\System32\\lsass.exe";
	    "67df2226998590e92cbb3284662ec055638a3c1e";
	    "b77aa726acd44c7c89d32dd46aa07583b88fbe2c34aed394eb6e005824e40893";
	    "8ea6fe0cdac6dd3bae1fadc04d168a4f"; 59448; "10.0.19041.1266";
	    "lsass.exe"; "lsass.exe"; "Local Security Authority Process"),
	taskhostw: real("taskhostw.exe"; "C:\\Windows\\System32\\taskhostw.exe";
	    "fed4b4a753a9541389aa670c69e624be07569ccd";
	    "0322728dbce3a577c4a13b907ad7375d27e74880b63f7371384f67d19197a0ad";
	    "564e4806ab18f93b93d551cd10c1598e"; 97096; "10.0.19041.1202";
	    "taskhostw.exe"; "taskhostw.exe"; "Host Process for Windows Tasks"),
	winlogon: real("winlogon.exe"; "C:\\Windows\\System32\\winlogon.exe";
	    "eda05960a3af6514c28f39d024e1b83026cd9ae0";
	    "f8adec5469fe6c5ad2fcd49d7705f08d87d193702c81cce90ddefdaad21c0a41";
	    "764c5e496e32e16449522bf236ebb87d"; 910848; "10.0.19041.1320";
	    "WINLOGON"; "WINLOGON.EXE"; "Windows Logon Application"),

	# Windows binaries the sample does not have: synthetic hashes.
	cmd: ["os", "C:\\Windows\\System32\\cmd.exe", "10.0.19041.3636", "Windows Command Processor", "Cmd.Exe", 289792],
	explorer: ["os", "C:\\Windows\\explorer.exe", "10.0.19041.4412", "Windows Explorer", "EXPLORER.EXE", 5347104],
	userinit: ["os", "C:\\Windows\\System32\\userinit.exe", "10.0.19041.1", "Userinit Logon Application", "USERINIT.EXE", 33792],
	notepad: ["os", "C:\\Windows\\System32\\notepad.exe", "10.0.19041.3758", "Notepad", "NOTEPAD.EXE", 201216],
	certutil: ["os", "C:\\Windows\\System32\\certutil.exe", "10.0.19041.4355", "CertUtil.exe", "CertUtil.exe", 1565696],
	schtasks: ["os", "C:\\Windows\\System32\\schtasks.exe", "10.0.19041.1503", "Task Scheduler Configuration Tool", "schtasks.exe", 235008],
	rundll32: ["os", "C:\\Windows\\System32\\rundll32.exe", "10.0.19041.3636", "Windows host process (Rundll32)", "RUNDLL32.EXE", 71680],
	whoami: ["os", "C:\\Windows\\System32\\whoami.exe", "10.0.19041.1", "whoami - displays logged on user information", "whoami.exe", 79360],
	ipconfig: ["os", "C:\\Windows\\System32\\ipconfig.exe", "10.0.19041.1", "IP Configuration Utility", "ipconfig.exe", 35328],
	net: ["os", "C:\\Windows\\System32\\net.exe", "10.0.19041.1", "Net Command", "net.exe", 57856],
	nltest: ["os", "C:\\Windows\\System32\\nltest.exe", "10.0.19041.3636", "Microsoft® Logon Server Test Utility", "nltestrk.exe", 469504],
	nslookup: ["os", "C:\\Windows\\System32\\nslookup.exe", "10.0.19041.1", "nslookup", "nslookup.exe", 96256],
	tasklist: ["os", "C:\\Windows\\System32\\tasklist.exe", "10.0.19041.1", "Lists the current running tasks", "tasklist.exe", 95232],
	systeminfo: ["os", "C:\\Windows\\System32\\systeminfo.exe", "10.0.19041.1", "Displays system information", "sysinfo.exe", 102912],
	ping: ["os", "C:\\Windows\\System32\\PING.EXE", "10.0.19041.1", "TCP/IP Ping Command", "ping.exe", 22528],
	mstsc: ["os", "C:\\Windows\\System32\\mstsc.exe", "10.0.19041.4291", "Remote Desktop Connection", "mstsc.exe", 1380352],
	rdpclip: ["os", "C:\\Windows\\System32\\rdpclip.exe", "10.0.19041.4291", "RDP Clipboard Monitor", "rdpclip.exe", 289280],
	sihost: ["os", "C:\\Windows\\System32\\sihost.exe", "10.0.19041.4355", "Shell Infrastructure Host", "sihost.exe", 111616],
	mmc: ["os", "C:\\Windows\\System32\\mmc.exe", "10.0.19041.3636", "Microsoft Management Console", "MMC.EXE", 2189312],
	w32tm: ["os", "C:\\Windows\\System32\\w32tm.exe", "10.0.19041.1", "Time Service Diagnostic Tool", "w32tm.exe", 108032],

	# Applications.
	msedge: ["synth", "C:\\Program Files (x86)\\Microsoft\\Edge\\Application\\msedge.exe", "Microsoft Corporation", "Microsoft Edge", "131.0.2903.112", "Microsoft Edge", "msedge.exe", 4244504, "Microsoft", "Valid"],
	chrome: ["synth", "C:\\Program Files\\Google\\Chrome\\Application\\chrome.exe", "Google LLC", "Google Chrome", "131.0.6778.265", "Google Chrome", "chrome.exe", 2790936, "Unknown", "Valid"],
	outlook: ["synth", "C:\\Program Files\\Microsoft Office\\root\\Office16\\OUTLOOK.EXE", "Microsoft Corporation", "Microsoft Outlook", "16.0.18227.20162", "Microsoft Outlook", "Outlook.exe", 44310360, "Microsoft", "Valid"],
	winword: ["synth", "C:\\Program Files\\Microsoft Office\\root\\Office16\\WINWORD.EXE", "Microsoft Corporation", "Microsoft Office", "16.0.18227.20162", "Microsoft Word", "WinWord.exe", 1638224, "Microsoft", "Valid"],
	excel: ["synth", "C:\\Program Files\\Microsoft Office\\root\\Office16\\EXCEL.EXE", "Microsoft Corporation", "Microsoft Office", "16.0.18227.20162", "Microsoft Excel", "Excel.exe", 67785040, "Microsoft", "Valid"],
	teams: ["synth", "C:\\Program Files\\WindowsApps\\MSTeams_24335.206.3315.2883_x64__8wekyb3d8bbwe\\ms-teams.exe", "Microsoft Corporation", "Microsoft Teams", "24335.206.3315.2883", "Microsoft Teams", "ms-teams.exe", 1234672, "Microsoft", "Valid"],
	onedrive: ["synth", "C:\\Program Files\\Microsoft OneDrive\\OneDrive.exe", "Microsoft Corporation", "Microsoft OneDrive", "24.244.1204.0003", "Microsoft OneDrive", "OneDrive.exe", 3566912, "Microsoft", "Valid"],
	acrord: ["synth", "C:\\Program Files\\Adobe\\Acrobat DC\\Acrobat\\Acrobat.exe", "Adobe Inc.", "Adobe Acrobat", "24.5.20320.0", "Adobe Acrobat", "Acrobat.exe", 6612840, "Unknown", "Valid"],
	code: ["synth", "C:\\Program Files\\Microsoft VS Code\\Code.exe", "Microsoft Corporation", "Visual Studio Code", "1.96.2", "Visual Studio Code", "electron.exe", 186470280, "Microsoft", "Valid"],
	ccmexec: ["synth", "C:\\Windows\\CCM\\CcmExec.exe", "Microsoft Corporation", "System Center Configuration Manager", "5.0.9128.1007", "Host Process for Microsoft Configuration Manager", "CcmExec.exe", 2587040, "Microsoft", "Valid"],
	customscript: ["synth", "C:\\Packages\\Plugins\\Microsoft.Compute.CustomScriptExtension\\1.10.18\\bin\\CustomScriptHandler.exe", "Microsoft Corporation", "Microsoft Azure Custom Script Extension", "1.10.18.0", "Custom Script Handler", "CustomScriptHandler.exe", 171384, "Microsoft", "Valid"],
	ssms: ["synth", "C:\\Program Files (x86)\\Microsoft SQL Server Management Studio 20\\Common7\\IDE\\Ssms.exe", "Microsoft Corporation", "Microsoft SQL Server Management Studio", "20.2.30.0", "SSMS 20", "Ssms.exe", 1081712, "Microsoft", "Valid"],
	sqlservr: ["synth", "C:\\Program Files\\Microsoft SQL Server\\MSSQL16.MSSQLSERVER\\MSSQL\\Binn\\sqlservr.exe", "Microsoft Corporation", "Microsoft SQL Server", "2022.160.4165.4", "SQL Server Windows NT - 64 Bit", "sqlservr.exe", 651160, "Microsoft", "Valid"],
	sevenzip_fm: ["synth", "C:\\Program Files\\7-Zip\\7zFM.exe", "Igor Pavlov", "7-Zip", "24.08", "7-Zip File Manager", "7zFM.exe", 1010176, "Unknown", "Unsigned"],
	npp: ["synth", "C:\\Program Files\\Notepad++\\notepad++.exe", "Don HO don.h@free.fr", "Notepad++", "8.6.9", "Notepad++", "notepad++.exe", 6441368, "Unknown", "Valid"],
	wireshark: ["synth", "C:\\Program Files\\Wireshark\\Wireshark.exe", "The Wireshark developer community, https://www.wireshark.org/", "Wireshark", "4.4.2", "Wireshark", "Wireshark.exe", 10227040, "Unknown", "Valid"]
};

# A binary by its key: only the one asked for is computed.
def bin($k):
	(bin_specs[$k] // error("no binary \($k)"))
	| if type == "object" then .
	  elif .[0] == "os" then ms_os(.[1]; .[2]; .[3]; .[4]; .[5])
	  else synth(.[1]; .[2]; .[3]; .[4]; .[5]; .[6]; .[7]; .[8]; .[9]) end;

# --- Accounts ----------------------------------------------------------
#
# An account: {domain, name, sid, upn, object_id, display}.

def system_acct: {domain: "nt authority", name: "system", sid: "S-1-5-18"};
def local_service: {domain: "nt authority", name: "local service", sid: "S-1-5-19"};
def network_service: {domain: "nt authority", name: "network service", sid: "S-1-5-20"};

# The cyber range's student VMs: Azure VMs, not domain joined.  The admin
# account named at deployment is the VM's built-in Administrator renamed,
# so its RID is 500.
def range_vms: [
	{host: "akshita-vm",   user: "akshita",   ip: "10.0.0.137", pub: "20.81.206.14",  tz: 5.5, since: 3},
	{host: "marcus-vm",    user: "marcus",    ip: "10.0.0.52",  pub: "20.81.207.121", tz: -5,  since: 7},
	{host: "priya-lab",    user: "priya",     ip: "10.0.0.88",  pub: "20.81.205.63",  tz: 5.5, since: 7},
	{host: "jdoe-vm",      user: "jdoe",      ip: "10.0.0.23",  pub: "20.81.204.9",   tz: -6,  since: 7},
	{host: "tkowalski-vm", user: "tkowalski", ip: "10.0.0.164", pub: "20.81.206.177", tz: 1,   since: 6},
	{host: "nadia-vm",     user: "nadia",     ip: "10.0.0.71",  pub: "20.81.207.38",  tz: 3,   since: 7},
	{host: "ravi-vm",      user: "ravi",      ip: "10.0.0.95",  pub: "20.81.205.210", tz: 5.5, since: 5},
	{host: "lena-vm",      user: "lena",      ip: "10.0.0.112", pub: "20.81.204.152", tz: 1,   since: 7},
	{host: "omar-lab",     user: "omar",      ip: "10.0.0.146", pub: "20.81.206.89",  tz: 4,   since: 4},
	{host: "sofia-vm",     user: "sofia",     ip: "10.0.0.39",  pub: "20.81.207.250", tz: -3,  since: 7}
];

def range_sid($host):
	"S-1-5-21-\(1000000000 + int_of("sid1:" + $host; 3000000000))-\(1000000000 + int_of("sid2:" + $host; 3000000000))-\(1000000000 + int_of("sid3:" + $host; 3000000000))";

def range_admin($vm): {domain: $vm.host, name: $vm.user, sid: (range_sid($vm.host) + "-500")};

# Contoso's people: upn, display name, RID, desk, usual sign-in place.
# "office" is the Boston HQ egress; the others are home connections.
def people: [
	{u: "dana.whitfield", n: "Dana Whitfield",  rid: 1108, dept: "Finance",     host: "ws-fin-014",   where: "office"},
	{u: "tom.becker",     n: "Tom Becker",      rid: 1117, dept: "Engineering", host: "ws-eng-022",   where: "office"},
	{u: "wei.zhang",      n: "Wei Zhang",       rid: 1125, dept: "Engineering", host: "ws-eng-031",   where: "office"},
	{u: "maria.santos",   n: "Maria Santos",    rid: 1131, dept: "HR",          host: "ws-hr-007",    where: "office"},
	{u: "liam.murphy",    n: "Liam Murphy",     rid: 1140, dept: "HR",          host: "ws-hr-011",    where: "office"},
	{u: "kevin.obrien",   n: "Kevin O'Brien",   rid: 1152, dept: "IT",          host: "ws-it-003",    where: "office"},
	{u: "grace.liu",      n: "Grace Liu",       rid: 1163, dept: "Marketing",   host: "ws-mkt-004",   where: "office"},
	{u: "raj.patel",      n: "Raj Patel",       rid: 1171, dept: "Sales",       host: "lt-sales-019", where: "seattle"},
	{u: "sophie.martin",  n: "Sophie Martin",   rid: 1186, dept: "Executive",   host: "lt-exec-002",  where: "office"},
	{u: "hannah.kim",     n: "Hannah Kim",      rid: 1194, dept: "Accounting",  host: "ws-acct-009",  where: "office"},
	{u: "ben.carter",     n: "Ben Carter",      rid: 1203, dept: "Operations",  host: "ws-ops-012",   where: "office"},
	{u: "alex.rivera",    n: "Alex Rivera",     rid: 1211, dept: "Security",    host: null,           where: "office"},
	{u: "priya.nair",     n: "Priya Nair",      rid: 1219, dept: "Security",    host: null,           where: "home_cambridge"},
	{u: "jorge.alvarez",  n: "Jorge Alvarez",   rid: 1655, dept: "Facilities",  host: null,           where: "office"},
	{u: "olivia.brown",   n: "Olivia Brown",    rid: 1228, dept: "Finance",     host: null,           where: "office"},
	{u: "noah.wilson",    n: "Noah Wilson",     rid: 1236, dept: "Engineering", host: null,           where: "home_quincy"},
	{u: "emma.davis",     n: "Emma Davis",      rid: 1241, dept: "Legal",       host: null,           where: "office"},
	{u: "lucas.moore",    n: "Lucas Moore",     rid: 1249, dept: "Sales",       host: null,           where: "home_providence"},
	{u: "ava.taylor",     n: "Ava Taylor",      rid: 1256, dept: "Marketing",   host: null,           where: "office"},
	{u: "ethan.anderson", n: "Ethan Anderson",  rid: 1262, dept: "Engineering", host: null,           where: "office"},
	{u: "mia.thomas",     n: "Mia Thomas",      rid: 1270, dept: "HR",          host: null,           where: "office"},
	{u: "james.jackson",  n: "James Jackson",   rid: 1277, dept: "Operations",  host: null,           where: "home_worcester"},
	{u: "isabella.white", n: "Isabella White",  rid: 1283, dept: "Finance",     host: null,           where: "office"},
	{u: "daniel.harris",  n: "Daniel Harris",   rid: 1291, dept: "IT",          host: null,           where: "office"},
	{u: "henry.thompson", n: "Henry Thompson",  rid: 1298, dept: "Sales",       host: null,           where: "home_nashua"},
	{u: "amelia.garcia",  n: "Amelia Garcia",   rid: 1304, dept: "Legal",       host: null,           where: "office"},
	{u: "jack.martinez",  n: "Jack Martinez",   rid: 1311, dept: "Engineering", host: null,           where: "office"},
	{u: "harper.robinson",n: "Harper Robinson", rid: 1319, dept: "Executive",   host: null,           where: "office"},
	{u: "samuel.clark",   n: "Samuel Clark",    rid: 1326, dept: "Accounting",  host: null,           where: "office"},
	{u: "evelyn.rodriguez", n: "Evelyn Rodriguez", rid: 1333, dept: "Marketing", host: null,          where: "office"},
	{u: "david.lewis",    n: "David Lewis",     rid: 1340, dept: "Operations",  host: null,           where: "office"},
	{u: "abigail.lee",    n: "Abigail Lee",     rid: 1347, dept: "Engineering", host: null,           where: "home_somerville"}
];

def person($u): (people | map(select(.u == $u)) | .[0]) // error("no person \($u)");

def corp_acct($u):
	person($u) as $p
	| {domain: "contoso", name: $u, sid: "\(domain_sid)-\($p.rid)",
	   upn: "\($u)@\(upn_domain)", object_id: uuid_of("user:" + $u),
	   display: $p.n};

# Accounts that are not people.
def svc_inventory: {domain: "contoso", name: "svc-inventory", sid: "\(domain_sid)-1651",
	upn: "svc-inventory@\(upn_domain)", object_id: uuid_of("user:svc-inventory")};
def adm_kobrien: {domain: "contoso", name: "adm-kobrien", sid: "\(domain_sid)-1734",
	upn: "adm-kobrien@\(upn_domain)", object_id: uuid_of("user:adm-kobrien")};

# The SOC.
def analyst($u): corp_acct($u) | {objectId: .object_id, email: .upn,
	assignedTo: .display, userPrincipalName: .upn};

# --- Hosts -------------------------------------------------------------
#
# A host: {name (DeviceName), short, kind, ip, os, build, user, tz}.

def corp_hosts: [
	{short: "ws-fin-014",   ip: "10.20.14.31", user: "dana.whitfield"},
	{short: "ws-eng-022",   ip: "10.20.22.45", user: "tom.becker"},
	{short: "ws-eng-031",   ip: "10.20.22.58", user: "wei.zhang"},
	{short: "ws-hr-007",    ip: "10.20.7.19",  user: "maria.santos"},
	{short: "ws-hr-011",    ip: "10.20.7.27",  user: "liam.murphy"},
	{short: "ws-it-003",    ip: "10.20.3.12",  user: "kevin.obrien"},
	{short: "ws-mkt-004",   ip: "10.20.4.22",  user: "grace.liu"},
	{short: "lt-sales-019", ip: "10.20.19.40", user: "raj.patel", tz: -8},
	{short: "lt-exec-002",  ip: "10.20.1.15",  user: "sophie.martin"},
	{short: "ws-acct-009",  ip: "10.20.9.33",  user: "hannah.kim"},
	{short: "ws-ops-012",   ip: "10.20.12.17", user: "ben.carter"}
] | map({kind: "workstation", name: "\(.short).\(ad_domain)",
	os: "Windows10", build: 19045, tz: -5} + .);

def servers: [
	{short: "dc01",       ip: "10.20.0.10", role: "Domain controller"},
	{short: "srv-fs-01",  ip: "10.20.0.21", role: "File server"},
	{short: "srv-app-03", ip: "10.20.0.33", role: "Line-of-business application server"},
	{short: "srv-sql-02", ip: "10.20.0.42", role: "SQL Server"},
	{short: "sccm01",     ip: "10.20.0.50", role: "Configuration Manager site server"}
] | map(. + {kind: "server", name: "\(.short).\(ad_domain)",
	os: "WindowsServer2022", build: 20348, user: null, tz: -5});

def range_hosts: range_vms | map({short: .host, name: .host, kind: "range",
	ip: .ip, pub: .pub, os: "Windows10", build: 19045, user: .user,
	tz: .tz, since: .since});

def hosts: corp_hosts + servers + range_hosts;

def host($short): (hosts | map(select(.short == $short)) | .[0]) // error("no host \($short)");

def device_id($h): hex_of("device:" + $h.short; 40);
def aad_device_id($h): uuid_of("aaddevice:" + $h.short);

# --- Places on the internet --------------------------------------------
#
# Ordinary destinations: real services' names with addresses in their
# operators' published ranges.

def office_egress: {ip: "50.227.64.10", city: "Boston", state: "Massachusetts", country: "US",
	lat: 42.3584, lon: -71.0598, asn: 7922, named: "Contoso HQ (Boston)"};
def vpn_egress: {ip: "20.113.52.18", city: "Frankfurt am Main", state: "Hesse", country: "DE",
	lat: 50.1109, lon: 8.6821, asn: 8075, named: "Contoso VPN egress (Frankfurt)"};
def homes: {
	seattle:         {ip: "73.140.88.21",  city: "Seattle",    state: "Washington",    country: "US", lat: 47.6062, lon: -122.3321, asn: 7922},
	home_cambridge:  {ip: "73.61.214.90",  city: "Cambridge",  state: "Massachusetts", country: "US", lat: 42.3736, lon: -71.1097,  asn: 7922},
	home_quincy:     {ip: "98.217.43.156", city: "Quincy",     state: "Massachusetts", country: "US", lat: 42.2529, lon: -71.0023,  asn: 7922},
	home_providence: {ip: "68.14.201.77",  city: "Providence", state: "Rhode Island",  country: "US", lat: 41.824,  lon: -71.4128,  asn: 22773},
	home_worcester:  {ip: "71.192.57.203", city: "Worcester",  state: "Massachusetts", country: "US", lat: 42.2626, lon: -71.8023,  asn: 7922},
	home_nashua:     {ip: "24.61.118.45",  city: "Nashua",     state: "New Hampshire", country: "US", lat: 42.7654, lon: -71.4676,  asn: 7922},
	home_somerville: {ip: "73.114.9.188",  city: "Somerville", state: "Massachusetts", country: "US", lat: 42.3876, lon: -71.0995,  asn: 7922}
};
def place($where): if $where == "office" then office_egress else homes[$where] end;

def web_destinations: [
	{url: "login.microsoftonline.com",      ip: "20.190.151.7",   port: 443},
	{url: "outlook.office365.com",          ip: "52.96.111.82",   port: 443},
	{url: "contoso.sharepoint.com",         ip: "13.107.136.9",   port: 443},
	{url: "contoso-my.sharepoint.com",      ip: "13.107.138.9",   port: 443},
	{url: "teams.microsoft.com",            ip: "52.113.194.132", port: 443},
	{url: "www.office.com",                 ip: "13.107.6.156",   port: 443},
	{url: "graph.microsoft.com",            ip: "20.190.152.21",  port: 443},
	{url: "www.bing.com",                   ip: "13.107.21.200",  port: 443},
	{url: "www.google.com",                 ip: "142.250.80.36",  port: 443},
	{url: "www.linkedin.com",               ip: "13.107.42.14",   port: 443},
	{url: "github.com",                     ip: "140.82.112.3",   port: 443},
	{url: "learn.microsoft.com",            ip: "23.45.229.112",  port: 443},
	{url: "portal.azure.com",               ip: "20.37.156.227",  port: 443},
	{url: "www.salesforce.com",             ip: "104.109.10.129", port: 443},
	{url: "slack.com",                      ip: "54.230.228.23",  port: 443},
	{url: "zoom.us",                        ip: "170.114.52.2",   port: 443},
	{url: "www.wikipedia.org",              ip: "208.80.154.224", port: 443},
	{url: "www.nytimes.com",                ip: "151.101.1.164",  port: 443},
	{url: "cdn.jsdelivr.net",               ip: "151.101.193.229",port: 443},
	{url: "fonts.gstatic.com",              ip: "142.250.65.67",  port: 443}
];

def system_destinations: [
	{url: "winatp-gw-eus.microsoft.com",       ip: "20.42.73.30",   port: 443, proc: "MsSense.exe"},
	{url: "eu-v20.events.data.microsoft.com",  ip: "13.69.109.130", port: 443, proc: "svchost.exe"},
	{url: "settings-win.data.microsoft.com",   ip: "51.104.15.252", port: 443, proc: "svchost.exe"},
	{url: "fe3cr.delivery.mp.microsoft.com",   ip: "20.59.77.0",    port: 443, proc: "svchost.exe"},
	{url: "wdcp.microsoft.com",                ip: "20.10.31.115",  port: 443, proc: "MsMpEng.exe"},
	{url: "go.microsoft.com",                  ip: "23.41.68.220",  port: 443, proc: "MsMpEng.exe"},
	{url: "ctldl.windowsupdate.com",           ip: "23.55.161.93",  port: 80,  proc: "svchost.exe"},
	{url: "time.windows.com",                  ip: "168.61.215.74", port: 123, proc: "svchost.exe"},
	{url: "msedge.api.cdp.microsoft.com",      ip: "20.72.205.209", port: 443, proc: "MicrosoftEdgeUpdate.exe"}
];

# The cyber range's own storage account, where the range keeps the
# installers its VMs pull (container vm-applications).
def range_storage: {url: "sacyberrange00.blob.core.windows.net", ip: "20.60.181.193", port: 443};
def range_blob($file): "https://sacyberrange00.blob.core.windows.net/vm-applications/\($file)";

# --- The adversaries' infrastructure -------------------------------------
#
# Addresses from a public IOC list (Log4j exploitation sources published
# by Microsoft in Azure/Azure-Sentinel, MIT): real, routable, reported as
# malicious.  The roles they play here are invented; the domain names are
# invented too.

def tor_exit: "185.220.101.53";
def spray_ip: "5.188.62.196";
def cradle_ip: "45.151.167.10";
def cradle_c2: "91.191.209.190";
def certutil_domain: "filedrop-cdn.xyz";
def certutil_ip: "89.38.97.151";
def beacon_domain: "telemetry-sync.online";
def beacon_ip: "91.205.217.175";
def stealer_domain: "api.statsfeed.cc";
def stealer_ip: "195.225.55.6";
def stealer_download: "https://shareview-docs.com/d/Invoice_2026-0113.zip";
def stealer_download_ip: "194.135.92.31";

# --- Entra ID applications and clients --------------------------------------
#
# First-party application ids as Entra ID logs them (several also appear
# in the public sign-in samples).

def apps: {
	office_home:  {name: "OfficeHome", id: "4765445b-32c6-49b0-83e6-1d93765276ca"},
	exo:          {name: "Office 365 Exchange Online", id: "00000002-0000-0ff1-ce00-000000000000"},
	sharepoint:   {name: "Office 365 SharePoint Online", id: "00000003-0000-0ff1-ce00-000000000000"},
	teams:        {name: "Microsoft Teams", id: "1fec8e78-bce4-4aaf-ab1b-5451cc387264"},
	office:       {name: "Microsoft Office", id: "d3590ed6-52b3-4102-aeff-aad2292ab01c"},
	outlook_mobile: {name: "Outlook Mobile", id: "27922004-5251-4030-b22d-91ecd9a37ea4"},
	wcss:         {name: "Office365 Shell WCSS-Client", id: "89bee1f7-5e6e-4d8a-9f3d-ecd601259da7"},
	azure_portal: {name: "Azure Portal", id: "c44b4083-3bb0-49c1-b47d-974e53cbdf3c"},
	aad_ps:       {name: "Azure Active Directory PowerShell", id: "1b730954-1685-4b74-9bfa-dac472d7e1e5"},
	azure_cli:    {name: "Microsoft Azure CLI", id: "04b07795-8ddb-461a-bbee-02f9e1bf7b46"},
	my_signins:   {name: "My Signins", id: "19db86c3-b2b9-44cc-b339-36da233a3be2"},
	onedrive:     {name: "OneDrive SyncEngine", id: "ab9b8c07-8f02-4f72-87fa-80105867a763"}
};
def resources: {
	graph:  {name: "Microsoft Graph", id: "00000003-0000-0000-c000-000000000000"},
	aad:    {name: "Windows Azure Active Directory", id: "00000002-0000-0000-c000-000000000000"},
	exo:    {name: "Office 365 Exchange Online", id: "00000002-0000-0ff1-ce00-000000000000"},
	sharepoint: {name: "Office 365 SharePoint Online", id: "00000003-0000-0ff1-ce00-000000000000"},
	arm:    {name: "Windows Azure Service Management API", id: "797f4846-ba00-4fd7-ba43-dac1f8f63013"},
	teams:  {name: "Microsoft Teams Services", id: "cc15fd57-2c6c-4117-a88c-83b1d56b4bbe"}
};
def ua: {
	edge:    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36 Edg/131.0.0.0",
	chrome:  "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36",
	native:  "Windows-AzureAD-Authentication-Provider/1.0",
	outlook_ios: "Outlook-iOS/709.2226530.prod.iphone (4.2451.0)",
	safari_ios: "Mozilla/5.0 (iPhone; CPU iPhone OS 18_2_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.2 Mobile/15E148 Safari/604.1",
	python:  "python-requests/2.32.3"
};

# A person's own devices, as Entra ID knows them.
def work_device($u):
	person($u) as $p
	| if $p.host then {id: uuid_of("aaddevice:" + $p.host), name: $p.host | ascii_upcase,
	      os: "Windows10", browser: "Edge 131.0.0", compliant: true, managed: true,
	      trust: "Hybrid Azure AD joined"}
	  else {id: uuid_of("aaddevice:laptop:" + $u), name: "CONTOSO-\($p.rid)",
	      os: "Windows10", browser: "Edge 131.0.0", compliant: true, managed: true,
	      trust: "Azure AD joined"} end;
def phone($u): {id: uuid_of("aaddevice:phone:" + $u), name: "iPhone",
	os: "Ios 18.2.1", browser: "", compliant: true, managed: true, trust: "Azure AD registered"};
def mfa_push($t): {authMethod: "Mobile app notification", authDetail: "MFA completed in Azure AD"};

# --- Sessions the incidents pin down ---------------------------------------
#
# A workstation logon an incident's processes hang from.  For corporate
# desks the noise generator writes the logon and the day's ordinary work
# under this explorer.exe; for range VMs marked "incident" the incident
# writes the whole session and the noise leaves that day alone.

def fixed_sessions: [
	{host: "ws-eng-022", date: "01-13", t: "01-13 13:21:44.102", pid: 5204, skip: ["msedge"]},
	{host: "ws-fin-014", date: "01-13", t: "01-13 13:48:09.310", pid: 4488, skip: ["msedge"]},
	{host: "ws-hr-011",  date: "01-14", t: "01-14 12:51:30.774", pid: 6016, skip: ["chrome"]},
	{host: "ws-hr-007",  date: "01-14", t: "01-14 13:36:18.226", pid: 5580, skip: ["outlook"]},
	{host: "akshita-vm", date: "01-15", incident: true},
	{host: "marcus-vm",  date: "01-10", incident: true}
];

# Where the range students connect from (their home connections).
def student_ips: {akshita: "49.36.187.212", marcus: "71.232.14.90", priya: "106.51.72.140",
	jdoe: "98.44.130.17", tkowalski: "83.24.161.95", nadia: "94.129.66.210", ravi: "117.98.23.61",
	lena: "91.64.201.33", omar: "94.200.77.152", sofia: "177.95.41.208"};
