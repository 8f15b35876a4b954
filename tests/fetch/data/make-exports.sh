#!/bin/sh
# make-exports.sh: writes the demo incident 357335 in the other forms people
# export it in, from the SecurityAlert fixture that make-demo.sh writes:
#   rest-incident.json   Sentinel REST: the incident with "properties", its
#                        alerts (POST .../alerts) and entities (POST
#                        .../entities, linked by ...EntityId)
#   graph-incident.json  Microsoft Graph security incident with its alert and
#                        the alert's evidence
#   portal-joined.csv    a Log Analytics portal CSV export of the C.7 query
#                        (one row per incident and alert, "[UTC]" headers,
#                        portal times)
# Run it from this directory after make-demo.sh.
set -eu
ws=/subscriptions/5f1c9a3e-2b7d-4e8a-9c61-0d3f7b2a8e14/resourceGroups/rg-cyber-range/providers/Microsoft.OperationalInsights/workspaces/law-cyber-range
guid=3f2a0c4e-6a1b-4c55-9b1e-2d1f0e7c9a11
alert=9c8f1e2d-3b4a-4c5d-8e6f-7a8b9c0d1e2f
cmd=$(jq -r '.tables[0].rows[0][21] | fromjson | .[2].CommandLine' demo-357335-alerts.json)
sid=$(jq -r '.tables[0].rows[0][21] | fromjson | .[1].Sid' demo-357335-alerts.json)

jq -n --arg ws "$ws" --arg guid "$guid" --arg alert "$alert" --arg cmd "$cmd" --arg sid "$sid" '
def ent($n; $kind; $props): {
  id: ($ws + "/providers/Microsoft.SecurityInsights/Entities/" + $n),
  name: $n, type: "Microsoft.SecurityInsights/Entities", kind: $kind,
  properties: $props };
def eid($n): $ws + "/providers/Microsoft.SecurityInsights/Entities/" + $n;
{
  id: ($ws + "/providers/Microsoft.SecurityInsights/Incidents/" + $guid),
  name: $guid,
  etag: "\"2a00b3c4-0000-0100-0000-6748a1b20000\"",
  type: "Microsoft.SecurityInsights/Incidents",
  properties: {
    title: "Malicious PowerShell Execution",
    description: "PowerShell was run with the execution policy bypassed to download and run an executable from the internet.",
    severity: "High", status: "New",
    owner: {objectId: null, email: null, assignedTo: null, userPrincipalName: null},
    labels: [{labelName: "cyber-range", labelType: "User"}],
    firstActivityTimeUtc: "2026-11-28T07:58:40Z",
    lastActivityTimeUtc: "2026-11-28T07:59:02Z",
    lastModifiedTimeUtc: "2026-11-28T08:05:38Z",
    createdTimeUtc: "2026-11-28T08:02:11Z",
    incidentNumber: 357335,
    additionalData: {alertsCount: 1, bookmarksCount: 0, commentsCount: 0,
      alertProductNames: ["Azure Sentinel"], tactics: ["Execution"], techniques: ["T1059"]},
    relatedAnalyticRuleIds: [($ws + "/providers/Microsoft.SecurityInsights/alertRules/0b5e2c1d-7a4f-4e3b-9d8c-6f1a2b3c4d5e")],
    incidentUrl: ("https://portal.azure.com/#asset/Microsoft_Azure_Security_Insights/Incident" + $ws + "/providers/Microsoft.SecurityInsights/Incidents/" + $guid),
    providerName: "Azure Sentinel", providerIncidentId: "357335"
  },
  alerts: [{
    id: ($ws + "/providers/Microsoft.SecurityInsights/Entities/" + $alert),
    name: $alert, type: "Microsoft.SecurityInsights/Entities", kind: "SecurityAlert",
    properties: {
      systemAlertId: $alert, alertDisplayName: "Malicious PowerShell Execution",
      friendlyName: "Malicious PowerShell Execution",
      description: "PowerShell ran with -ExecutionPolicy Bypass and downloaded an executable with Invoke-WebRequest.",
      severity: "High", status: "New", tactics: ["Execution"],
      productName: "Azure Sentinel", productComponentName: "Scheduled Alerts",
      vendorName: "Microsoft", providerAlertId: $alert,
      alertType: ("0b5e2c1d-7a4f-4e3b-9d8c-6f1a2b3c4d5e_" + $alert),
      confidenceLevel: "Unknown", compromisedEntity: "akshita-vm",
      startTimeUtc: "2026-11-28T07:58:40Z", endTimeUtc: "2026-11-28T07:59:02Z",
      timeGenerated: "2026-11-28T08:02:10Z", processingEndTime: "2026-11-28T08:02:09Z",
      remediationSteps: ["Review the PowerShell command line and what it downloaded."],
      additionalData: {"Analytic Rule Name": "Malicious PowerShell Execution"},
      resourceIdentifiers: [{type: "LogAnalytics", workspaceId: "8f3c2b1a-4d5e-4f60-9a7b-1c2d3e4f5a6b"}]
    }}],
  entities: [
    ent("e0a1"; "Host"; {hostName: "akshita-vm", osFamily: "Windows", osVersion: "10.0.19045",
      additionalData: {MdatpDeviceId: "b6f1e6a1c0a34b8f9e2d7c4a5b3e1f09a8c7d6e5"}, friendlyName: "akshita-vm"}),
    ent("e0a2"; "Account"; {accountName: "akshita", ntDomain: "akshita-vm", sid: $sid,
      isDomainJoined: false, hostEntityId: eid("e0a1"), friendlyName: "akshita"}),
    ent("e0a3"; "FileHash"; {algorithm: "SHA256", hashValue: "152077555e710f3c2706e2a59e4e201b48afdff3d850ac4051ca0a26ebcb2c28", friendlyName: "152077555e710f3c2706e2a59e4e201b48afdff3d850ac4051ca0a26ebcb2c28"}),
    ent("e0a4"; "File"; {fileName: "powershell.exe", directory: "C:\\Windows\\System32\\WindowsPowerShell\\v1.0",
      fileHashEntityIds: [eid("e0a3")], friendlyName: "powershell.exe"}),
    ent("e0a5"; "File"; {fileName: "cmd.exe", directory: "C:\\Windows\\System32", friendlyName: "cmd.exe"}),
    ent("e0a6"; "Process"; {processId: "5128", commandLine: "\"cmd.exe\" ",
      creationTimeUtc: "2026-11-28T07:58:31.004521Z", imageFileEntityId: eid("e0a5"),
      accountEntityId: eid("e0a2"), hostEntityId: eid("e0a1"), friendlyName: "cmd.exe"}),
    ent("e0a7"; "Process"; {processId: "6412", commandLine: $cmd, elevationToken: "Full",
      creationTimeUtc: "2026-11-28T07:58:40.1234567Z", imageFileEntityId: eid("e0a4"),
      parentProcessEntityId: eid("e0a6"), accountEntityId: eid("e0a2"),
      hostEntityId: eid("e0a1"), friendlyName: "powershell.exe"}),
    ent("e0a8"; "FileHash"; {algorithm: "SHA256", hashValue: "db4dd21af4681e5cd4511527fe855f0cbb49800ae867b6c1931857aec2b322f6"}),
    ent("e0a9"; "FileHash"; {algorithm: "SHA1", hashValue: "71603cadee59ab813bb9bc4fb0c1e80441ce1f82"}),
    ent("e0aa"; "FileHash"; {algorithm: "MD5", hashValue: "d9e013f37fb91ffd86504b497597f878"}),
    ent("e0ab"; "File"; {fileName: "7z2408-x64.exe", directory: "C:\\ProgramData",
      fileHashEntityIds: [eid("e0a8"), eid("e0a9"), eid("e0aa")], hostEntityId: eid("e0a1"),
      friendlyName: "7z2408-x64.exe"}),
    ent("e0ac"; "Url"; {url: "https://sacyberrange00.blob.core.windows.net/vm-applications/7z2408-x64.exe",
      friendlyName: "https://sacyberrange00.blob.core.windows.net/vm-applications/7z2408-x64.exe"}),
    ent("e0ad"; "Ip"; {address: "20.60.181.193", location: {countryCode: "US", city: "Boydton",
      asn: 8075, organization: "Microsoft Corporation"}, friendlyName: "20.60.181.193"})
  ]
}' > rest-incident.json

jq -n --arg alert "$alert" --arg cmd "$cmd" --arg sid "$sid" '{
  "@odata.context": "https://graph.microsoft.com/v1.0/$metadata#security/incidents(alerts())/$entity",
  "@odata.type": "#microsoft.graph.security.incident",
  id: "357335", tenantId: "0e2a6c1b-5d4f-4a3e-8b7c-9d0e1f2a3b4c",
  displayName: "Malicious PowerShell Execution",
  severity: "high", status: "active", classification: "unknown", determination: "unknown",
  assignedTo: null,
  createdDateTime: "2026-11-28T08:02:11Z", lastUpdateDateTime: "2026-11-28T08:05:38Z",
  incidentWebUrl: "https://security.microsoft.com/incidents/357335?tid=0e2a6c1b-5d4f-4a3e-8b7c-9d0e1f2a3b4c",
  redirectIncidentId: null, customTags: ["cyber-range"], systemTags: [],
  description: "PowerShell was run with the execution policy bypassed to download and run an executable from the internet.",
  comments: [],
  alerts: [{
    "@odata.type": "#microsoft.graph.security.alert",
    id: ("sn" + $alert), providerAlertId: $alert, incidentId: "357335",
    title: "Malicious PowerShell Execution",
    description: "PowerShell ran with -ExecutionPolicy Bypass and downloaded an executable with Invoke-WebRequest.",
    recommendedActions: "Review the PowerShell command line and what it downloaded.",
    category: "Execution", severity: "high", status: "new",
    classification: null, determination: null,
    serviceSource: "microsoftSentinel", detectionSource: "scheduledAlerts",
    mitreTechniques: ["T1059"],
    createdDateTime: "2026-11-28T08:02:10Z", lastUpdateDateTime: "2026-11-28T08:02:12Z",
    firstActivityDateTime: "2026-11-28T07:58:40Z", lastActivityDateTime: "2026-11-28T07:59:02Z",
    alertWebUrl: ("https://security.microsoft.com/alerts/sn" + $alert),
    evidence: [
      {"@odata.type": "#microsoft.graph.security.deviceEvidence", createdDateTime: "2026-11-28T08:02:10Z",
       verdict: "unknown", remediationStatus: "none", roles: ["compromised"],
       deviceDnsName: "akshita-vm", mdeDeviceId: "b6f1e6a1c0a34b8f9e2d7c4a5b3e1f09a8c7d6e5",
       osPlatform: "Windows10", osBuild: 19045, ipInterfaces: ["10.0.0.4"],
       loggedOnUsers: [{accountName: "akshita", domainName: "akshita-vm"}]},
      {"@odata.type": "#microsoft.graph.security.userEvidence", verdict: "unknown", roles: [],
       userAccount: {accountName: "akshita", domainName: "akshita-vm", userSid: $sid,
         azureAdUserId: null, userPrincipalName: null, displayName: null}},
      {"@odata.type": "#microsoft.graph.security.processEvidence", verdict: "suspicious", roles: [],
       processId: 6412, processCommandLine: $cmd,
       processCreationDateTime: "2026-11-28T07:58:40.1234567Z",
       parentProcessId: 5128, parentProcessCreationDateTime: "2026-11-28T07:58:31.004521Z",
       parentProcessImageFile: {fileName: "cmd.exe", filePath: "C:\\Windows\\System32", sha1: null, sha256: null},
       imageFile: {fileName: "powershell.exe", filePath: "C:\\Windows\\System32\\WindowsPowerShell\\v1.0",
         sha1: "9a1af1e74e76eb14966ef2fdcebf7c46b94f4d81",
         sha256: "152077555e710f3c2706e2a59e4e201b48afdff3d850ac4051ca0a26ebcb2c28"},
       userAccount: {accountName: "akshita", domainName: "akshita-vm", userSid: $sid},
       mdeDeviceId: "b6f1e6a1c0a34b8f9e2d7c4a5b3e1f09a8c7d6e5"},
      {"@odata.type": "#microsoft.graph.security.fileEvidence", verdict: "suspicious", roles: [],
       fileDetails: {fileName: "7z2408-x64.exe", filePath: "C:\\ProgramData",
         md5: "d9e013f37fb91ffd86504b497597f878",
         sha1: "71603cadee59ab813bb9bc4fb0c1e80441ce1f82",
         sha256: "db4dd21af4681e5cd4511527fe855f0cbb49800ae867b6c1931857aec2b322f6",
         fileSize: 1638484},
       mdeDeviceId: "b6f1e6a1c0a34b8f9e2d7c4a5b3e1f09a8c7d6e5"},
      {"@odata.type": "#microsoft.graph.security.urlEvidence", verdict: "unknown", roles: [],
       url: "https://sacyberrange00.blob.core.windows.net/vm-applications/7z2408-x64.exe"},
      {"@odata.type": "#microsoft.graph.security.ipEvidence", verdict: "unknown", roles: [],
       ipAddress: "20.60.181.193", countryLetterCode: "US"}
    ]}]
}' > graph-incident.json

# The portal writes times as "11/28/2026, 7:58:40.000 AM" and decorates
# the headers of datetime columns with " [UTC]".
ent=$(jq -r '.tables[0].rows[1][21]' demo-357335-alerts.json)
jq -rn --arg guid "$guid" --arg alert "$alert" --arg ent "$ent" '
["IncidentNumber","IncidentName","Title","Severity","Status","OwnerUpn",
 "IncidentUrl","AlertId","AlertName","AlertSeverity","AlertProvider",
 "ProductName","Tactics","Techniques","CompromisedEntity","Entities",
 "AlertStart [UTC]","AlertEnd [UTC]","CreatedTime [UTC]","TimeGenerated [UTC]"],
["357335",$guid,"Malicious PowerShell Execution","High","New","",
 "https://portal.azure.com/#asset/Microsoft_Azure_Security_Insights/Incident/x",
 $alert,"Malicious PowerShell Execution","High","ASI Scheduled Alerts",
 "Azure Sentinel","Execution","T1059","akshita-vm",$ent,
 "11/28/2026, 7:58:40.000 AM","11/28/2026, 7:59:02.000 AM",
 "11/28/2026, 8:02:11.000 AM","11/28/2026, 8:05:40.120 AM"] | @csv' |
    sed 's/$/\r/' > portal-joined.csv

# The Sentinel REST answers, one file per call, for the mock: the incident
# (GET .../incidents/{id}), its alerts (POST .../alerts) and its entities
# (POST .../entities).
jq '{id, name, etag, type, properties}' rest-incident.json > sentinel-incident.json
jq '{value: .alerts}' rest-incident.json > sentinel-alerts.json
jq '{entities: .entities, metaData: (.entities | group_by(.kind) |
    map({entityKind: .[0].kind, count: length}))}' rest-incident.json > sentinel-entities.json
