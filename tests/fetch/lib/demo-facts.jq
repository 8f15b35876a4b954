# demo-facts.jq: what an analyst must see in the demo incident 357335, one
# fact per line, from its incident record.  Shared by the KQL, export and
# end-to-end cases so they all hold the record to the same facts.
select(.type == "incident") | . as $inc |
def ent($id): first($inc.entities[] | select(.id == $id));
"incident \(.number) \(.title | tojson) \(.severity) \(.status) owner-assigned=\(.owner.assigned) workspace=\(.workspace) techniques=\(.techniques | join(","))",
(.entities[] | select(.kind == "host") |
 "host \(.hostname)"),
(.entities[] | select(.kind == "account") |
 "account \(.name) sid=\(.sid) flags=\(.flags | join(","))"),
(.entities[] | select(.kind == "process" and ((.command_line // "") | test("powershell"; "i"))) |
 "process \(.process_id) flags=\(.flags | join(",")) image=\(.image.name) parent=\(.parent.image.name // "-") account=\(ent(.account_id).name) host=\(ent(.host_id).hostname)",
 "command_line \(.command_line)"),
(.entities[] | select(.kind == "file" and .name == "7z2408-x64.exe") |
 "file \(.path) md5=\(.md5) sha1=\(.sha1) sha256=\(.sha256) host=\(ent(.host_id).hostname)"),
(.entities[] | select(.kind == "url") | "url \(.url)"),
(.entities[] | select(.kind == "ip") |
 "ip \(.address) public=\(.public) flags=\(.flags | join(","))\(if .host_id then " host=\(ent(.host_id).hostname)" else "" end)")
