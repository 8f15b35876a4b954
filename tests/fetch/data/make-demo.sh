#!/bin/sh
# make-demo.sh: writes demo-357335-incident.json and demo-357335-alerts.json,
# the Log Analytics query responses (azure-apis.md B.3) for the demo
# incident 357335 "Malicious PowerShell Execution": its SecurityIncident rows
# (two versions: created, then updated) and its SecurityAlert rows (two
# versions of the one alert), with Entities as Sentinel writes it ($id/$ref,
# nested ImageFile, ParentProcess, Account and Host).  The hashes are
# synthetic (md5/sha1/sha256 of "demo <file name>"); everything else follows
# the incident as the mission describes it.  Run it from this directory.
set -eu
ws=/subscriptions/5f1c9a3e-2b7d-4e8a-9c61-0d3f7b2a8e14/resourceGroups/rg-cyber-range/providers/Microsoft.OperationalInsights/workspaces/law-cyber-range
guid=3f2a0c4e-6a1b-4c55-9b1e-2d1f0e7c9a11
alert=9c8f1e2d-3b4a-4c5d-8e6f-7a8b9c0d1e2f
sid=S-1-5-21-3512849187-2847361925-1846301427-500
cmd='powershell.exe -ExecutionPolicy Bypass -NoProfile -Command "Invoke-WebRequest -Uri '\''https://sacyberrange00.blob.core.windows.net/vm-applications/7z2408-x64.exe'\'' -OutFile C:\ProgramData\7z2408-x64.exe; Start-Process '\''C:\programdata\7z2408-x64.exe'\'' -ArgumentList '\''/S'\'' -Wait"'

entities=$(jq -nc --arg sid "$sid" --arg cmd "$cmd" '[
 {"$id":"2","HostName":"akshita-vm","DnsDomain":"","OSFamily":"Windows",
  "OSVersion":"10.0.19045","MdatpDeviceId":"b6f1e6a1c0a34b8f9e2d7c4a5b3e1f09a8c7d6e5",
  "FQDN":"akshita-vm","Type":"host"},
 {"$id":"3","Name":"akshita","NTDomain":"akshita-vm","Sid":$sid,
  "IsDomainJoined":false,"Host":{"$ref":"2"},"Type":"account"},
 {"$id":"4","ProcessId":"6412","CommandLine":$cmd,"ElevationToken":"Full",
  "CreationTimeUtc":"2026-11-28T07:58:40.1234567Z",
  "ImageFile":{"$id":"5","Directory":"C:\\Windows\\System32\\WindowsPowerShell\\v1.0",
   "Name":"powershell.exe","FileHashes":[
    {"$id":"6","Algorithm":"SHA1","Value":"9a1af1e74e76eb14966ef2fdcebf7c46b94f4d81","Type":"filehash"},
    {"$id":"7","Algorithm":"MD5","Value":"119ea14ba3d3c68909991ba97848905b","Type":"filehash"},
    {"$id":"8","Algorithm":"SHA256","Value":"152077555e710f3c2706e2a59e4e201b48afdff3d850ac4051ca0a26ebcb2c28","Type":"filehash"}],
   "Type":"file"},
  "ParentProcess":{"$id":"9","ProcessId":"5128","CommandLine":"\"cmd.exe\" ",
   "CreationTimeUtc":"2026-11-28T07:58:31.0045210Z",
   "ImageFile":{"$id":"10","Directory":"C:\\Windows\\System32","Name":"cmd.exe","FileHashes":[
     {"$id":"11","Algorithm":"SHA256","Value":"1ca44e897bf907915cefcb57651ddbc0a7b322939f3deb20d21ad27f1295be00","Type":"filehash"}],
    "Type":"file"},
   "ParentProcess":{"$id":"12","ProcessId":"4120","CommandLine":"C:\\Windows\\Explorer.EXE",
    "ImageFile":{"$id":"13","Directory":"C:\\Windows","Name":"explorer.exe","Type":"file"},
    "Account":{"$ref":"3"},"Host":{"$ref":"2"},"Type":"process"},
   "Account":{"$ref":"3"},"Host":{"$ref":"2"},"Type":"process"},
  "Account":{"$ref":"3"},"Host":{"$ref":"2"},"Type":"process"},
 {"$ref":"5"},{"$ref":"6"},{"$ref":"7"},{"$ref":"8"},{"$ref":"9"},{"$ref":"12"},
 {"$id":"14","Directory":"C:\\ProgramData","Name":"7z2408-x64.exe","FileHashes":[
   {"$id":"15","Algorithm":"SHA256","Value":"db4dd21af4681e5cd4511527fe855f0cbb49800ae867b6c1931857aec2b322f6","Type":"filehash"},
   {"$id":"16","Algorithm":"SHA1","Value":"71603cadee59ab813bb9bc4fb0c1e80441ce1f82","Type":"filehash"},
   {"$id":"17","Algorithm":"MD5","Value":"d9e013f37fb91ffd86504b497597f878","Type":"filehash"}],
  "SizeInBytes":1638484,"Host":{"$ref":"2"},"Type":"file"},
 {"$ref":"15"},{"$ref":"16"},{"$ref":"17"},
 {"$id":"18","Url":"https://sacyberrange00.blob.core.windows.net/vm-applications/7z2408-x64.exe","Type":"url"},
 {"$id":"19","Address":"20.60.181.193","Location":{"CountryCode":"US","State":"Virginia",
   "City":"Boydton","Asn":8075,"Carrier":"Microsoft Corporation",
   "Organization":"Microsoft Corporation"},"Type":"ip"}
]')

jq -n --arg ws "$ws" --arg guid "$guid" --arg alert "$alert" '
def row(t; mod; desc): [
  "8f3c2b1a-4d5e-4f60-9a7b-1c2d3e4f5a6b", t, $guid,
  "Malicious PowerShell Execution", desc, "High", "New", "", "", "",
  ({"objectId":null,"email":null,"assignedTo":null,"userPrincipalName":null}|tojson),
  "Azure Sentinel", "357335",
  "2026-11-28T07:58:40Z", "2026-11-28T07:59:02Z", "2026-11-28T08:02:11Z", mod,
  "2026-11-28T08:02:11Z", null, 357335,
  (["/subscriptions/5f1c9a3e-2b7d-4e8a-9c61-0d3f7b2a8e14/resourceGroups/rg-cyber-range/providers/Microsoft.OperationalInsights/workspaces/law-cyber-range/providers/Microsoft.SecurityInsights/alertRules/0b5e2c1d-7a4f-4e3b-9d8c-6f1a2b3c4d5e"]|tojson),
  ([$alert]|tojson), "[]", "[]", "[]", "[]",
  ("https://portal.azure.com/#asset/Microsoft_Azure_Security_Insights/Incident" + $ws + "/providers/Microsoft.SecurityInsights/Incidents/" + $guid),
  ({"alertsCount":1,"bookmarksCount":0,"commentsCount":0,"alertProductNames":["Azure Sentinel"],"tactics":["Execution"],"techniques":["T1059"],"providerIncidentUrl":null}|tojson),
  "Incident created from alert", "Azure", "SecurityIncident"];
{tables: [{name: "PrimaryResult",
  columns: [
   {"name":"TenantId","type":"string"},{"name":"TimeGenerated","type":"datetime"},
   {"name":"IncidentName","type":"string"},{"name":"Title","type":"string"},
   {"name":"Description","type":"string"},{"name":"Severity","type":"string"},
   {"name":"Status","type":"string"},{"name":"Classification","type":"string"},
   {"name":"ClassificationComment","type":"string"},{"name":"ClassificationReason","type":"string"},
   {"name":"Owner","type":"dynamic"},{"name":"ProviderName","type":"string"},
   {"name":"ProviderIncidentId","type":"string"},{"name":"FirstActivityTime","type":"datetime"},
   {"name":"LastActivityTime","type":"datetime"},{"name":"FirstModifiedTime","type":"datetime"},
   {"name":"LastModifiedTime","type":"datetime"},{"name":"CreatedTime","type":"datetime"},
   {"name":"ClosedTime","type":"datetime"},{"name":"IncidentNumber","type":"int"},
   {"name":"RelatedAnalyticRuleIds","type":"dynamic"},{"name":"AlertIds","type":"dynamic"},
   {"name":"BookmarkIds","type":"dynamic"},{"name":"Comments","type":"dynamic"},
   {"name":"Tasks","type":"dynamic"},{"name":"Labels","type":"dynamic"},
   {"name":"IncidentUrl","type":"string"},{"name":"AdditionalData","type":"dynamic"},
   {"name":"ModifiedBy","type":"string"},{"name":"SourceSystem","type":"string"},
   {"name":"Type","type":"string"}],
  rows: [
   row("2026-11-28T08:02:13.4410000Z"; "2026-11-28T08:02:11Z"; "PowerShell was run with the execution policy bypassed to download and run a file."),
   row("2026-11-28T08:05:40.1200000Z"; "2026-11-28T08:05:38Z"; "PowerShell was run with the execution policy bypassed to download and run an executable from the internet.")
  ]}]}' > demo-357335-incident.json

jq -n --arg ws "$ws" --arg alert "$alert" --arg ent "$entities" '
def row(t; status): [
  "8f3c2b1a-4d5e-4f60-9a7b-1c2d3e4f5a6b", t, "Malicious PowerShell Execution",
  "Malicious PowerShell Execution", "High",
  "PowerShell ran with -ExecutionPolicy Bypass and downloaded an executable with Invoke-WebRequest.",
  "Microsoft", "ASI Scheduled Alerts", "Azure Sentinel", "Scheduled Alerts",
  ("0b5e2c1d-7a4f-4e3b-9d8c-6f1a2b3c4d5e_" + $alert), $alert, $alert,
  "akshita-vm", status, "Execution", "T1059", "",
  "2026-11-28T07:58:40Z", "2026-11-28T07:59:02Z", "2026-11-28T08:02:09Z",
  $ent,
  ({"Query Period":"1.00:00:00","Trigger Operator":"GreaterThan","Trigger Threshold":"0",
    "Search Query Results Overall Count":"1","Analytic Rule Name":"Malicious PowerShell Execution",
    "Custom Details":({"CommandLine":["powershell.exe -ExecutionPolicy Bypass -NoProfile -Command ..."]}|tojson)}|tojson),
  "[]", (["Review the PowerShell command line and what it downloaded.","Isolate akshita-vm if the file is malicious."]|tojson),
  "", "SecurityAlert"];
{tables: [{name: "PrimaryResult",
  columns: [
   {"name":"TenantId","type":"string"},{"name":"TimeGenerated","type":"datetime"},
   {"name":"DisplayName","type":"string"},{"name":"AlertName","type":"string"},
   {"name":"AlertSeverity","type":"string"},{"name":"Description","type":"string"},
   {"name":"VendorName","type":"string"},{"name":"ProviderName","type":"string"},
   {"name":"ProductName","type":"string"},{"name":"ProductComponentName","type":"string"},
   {"name":"AlertType","type":"string"},{"name":"VendorOriginalId","type":"string"},
   {"name":"SystemAlertId","type":"string"},{"name":"CompromisedEntity","type":"string"},
   {"name":"Status","type":"string"},{"name":"Tactics","type":"string"},
   {"name":"Techniques","type":"string"},{"name":"SubTechniques","type":"string"},
   {"name":"StartTime","type":"datetime"},{"name":"EndTime","type":"datetime"},
   {"name":"ProcessingEndTime","type":"datetime"},{"name":"Entities","type":"string"},
   {"name":"ExtendedProperties","type":"string"},{"name":"ExtendedLinks","type":"string"},
   {"name":"RemediationSteps","type":"string"},{"name":"AlertLink","type":"string"},
   {"name":"Type","type":"string"}],
  rows: [
   row("2026-11-28T08:02:10.0000000Z"; "New"),
   row("2026-11-28T08:02:12.5000000Z"; "InProgress")
  ]}]}' > demo-357335-alerts.json
