#!/bin/sh
# hostile.sh: prints a record stream whose every string attacks the
# renderer: markdown and HTML injection, "](javascript:...)", terminal
# escapes, a 1 MB command line full of backticks and pipes, right-to-left
# overrides and zero-width characters, U+FFFD, and (patched in as raw
# text, since jq cannot write them) lone-surrogate and \u0000 escapes.
# Usage: sh hostile.sh [SIZE] (SIZE: bytes of command-line padding,
# default 1048576).
set -eu
size=${1:-1048576}

inj='<script>alert(1)</script> [click](javascript:alert(1)) ![img](https://evil.example/x.png) | pipe | **bold** `code` ~~strike~~ $x$ &#60;b&#62;'

jq -nc --arg inj "$inj" --argjson size "$size" '
{type:"incident", number:666, id:"../../etc/passwd\u0000x",
 title:("Hostile \u001b[31mred\u001b[0m \u202egnp.exe " + $inj + " #"),
 description:"\u001b]0;pwned\u0007\u001b[2J cleared",
 severity:"High", status:"New\u001b[5m",
 owner:{name:"<img src=x onerror=alert(1)>"},
 created:"2026-11-28T08:00:00Z", first_activity:"2026-11-28T07:00:00Z",
 last_activity:"not a time <b>", provider:"Azure Sentinel",
 workspace:"ws|pipe`tick", tactics:["Execution</td>"],
 techniques:["T1059](javascript:alert(1))"],
 url:"javascript:alert(document.cookie)",
 alerts:[{name:("Alert " + $inj), severity:"High",
   time_generated:"2026-11-28T07:30:00Z", techniques:["T1059"]}],
 entities:[
  {id:"e1", kind:"account", name:"admin\u202egnp.exe", nt_domain:"CORP",
   sid:"S-1-5-21-1-2-3-500", flags:["rid500","<b>flag</b>"]},
  {id:"e2", kind:"domain", domain:"ev\u200bil.example", flags:[]},
  {id:"e3", kind:"process", process_id:7,
   command_line:("powershell -enc ```` | x | " + ("A`|" * ($size / 3)) +
     " https://evil.example/payload END"),
   image:{name:"powershell.exe"}, parent:{process_id:7,
   image:{name:"powershell.exe"}}, flags:["encoded_command"]},
  {id:"e4", kind:"url", url:"https://evil.example/](javascript:alert(1))",
   flags:[]},
  {id:"e5", kind:"host", hostname:"host\u001b[2Jname", flags:[]},
  {id:"e6", kind:"ip", address:"198.51.100.7", flags:["public_ip"]},
  {id:"e7", kind:"mailmessage", subject:"Invoice\r\n# not a heading\n| a | b |", sender:"a@evil.example", flags:[]}]}
' | sed 's/ cleared/ cleared SURR_HI SURR_LO NUL_ESC/' |
sed 's/SURR_HI/\\ud800/; s/SURR_LO/\\udc00x/; s/NUL_ESC/\\u0000/'

jq -nc --arg inj "$inj" '
{type:"enrichment", indicator:{kind:"ip", value:"198.51.100.7"},
 provider:"<b>prov</b>", verdict:"malicious", reason:null, score:100,
 facts:{note:("\u001b[31m" + $inj), "is_<tor>":true, list:["a|b","c`d"]}}'

jq -nc '
{type:"technique", id:"T1059", found:true,
 name:"Command [and] Scripting", full_name:"Command [and] Scripting <i>",
 url:"javascript:alert(1)", tactics:[{name:"Execution|x"}],
 dataset:{name:"enterprise-attack", version:"18.1`"}}'

jq -nc '{type:"error", stage:"enrich\u001b[1m", code:"quota",
 message:"quota <b>spent</b> \u001b]8;;https://evil.example\u0007link\u001b]8;;\u0007",
 concerns:{indicator:"evil.example|x"}}'

jq -nc '{type:"tool_call", tool:"run|kql", is_error:true, exit_status:3,
 summary:"failed: `rm -rf /` [x](javascript:1)"}'

jq -nc --arg inj "$inj" '
{type:"brief", incident:{number:666},
 made_by:{path:"model", provider:"evil<provider>", model:"m*o*d*e*l"},
 summary:("# Injected heading\n> quote\n- list\n    indented code\n<details><summary>x</summary></details>\n" + $inj + "\n<https://evil.example> www.evil.example http://evil.example/x @channel <!channel> <@U123> {{DATE(2017-02-14T06:08:39Z, SHORT)}} \ufffd end"),
 classification:"true_positive", classification_confidence:"high",
 entities:[{kind:"account", value:"admin\u202egnp.exe", notes:$inj}],
 attack:[{technique_id:"T1059.001", name:$inj, tactic:"Execution",
   evidence:("line1\nline2\r\nline3 " + $inj), source:"observed"}],
 process_chain:[{depth:0, process:"explorer.exe```", pid:1},
   {depth:5, process:"evil\u202eexe.txt", pid:2,
    command_line:"```\nfenced?\n```", note:$inj}],
 timeline:[{time:"2026-11-28T07:00:00Z", event:("e1\ne2 " + $inj),
   assessment:"\u001b[31mbad"}],
 anomalies:[$inj, "\u200b\u200c\u200d\u2060\ufeff hidden"],
 actions:[{priority:1, action:$inj, rationale:"* not a list", urgency:"immediate"},
   {priority:1, action:"second at the same priority", urgency:"soon<b>"}],
 verdict:{severity:"High\u001b[0m", classification:"true_positive",
   rationale:("r1\n\nr2 " + $inj)},
 visibility_gaps:[$inj],
 duration_ms:1000}'
