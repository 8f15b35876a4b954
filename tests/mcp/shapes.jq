# shapes.jq: prints every reply that is not shaped as JSON-RPC 2.0 and MCP
# say (nothing when all are).  Input: triage-mcp's output, one message or
# batch a line.
def is_id: (type == "string") or (type == "number" and . == floor);
def error_ok:
  (.error | type == "object")
  and (.error | keys - ["code", "message", "data"] == [])
  and (.error.code | type == "number" and . == floor)
  and (.error.message | type == "string" and length > 0)
  and ((.id == null) or (.id | is_id));
# A CallToolResult: text content only, and isError always said.
def call_ok:
  (.content | type == "array" and length == 1)
  and all(.content[]; keys == ["text", "type"] and .type == "text"
          and (.text | type == "string" and length > 0))
  and (.isError | type == "boolean");
def tool_ok:
  (.name | type == "string" and test("^[A-Za-z0-9_.-]{1,128}$"))
  and (.description | type == "string" and length > 0)
  and (.inputSchema | type == "object" and .type == "object")
  and (keys - ["name", "description", "inputSchema", "annotations"] == []);
def result_ok:
  (.result | type == "object") and (.id | is_id)
  and (if .result | has("content") then .result | call_ok
       elif .result | has("tools") then all(.result.tools[]; tool_ok)
       elif .result | has("protocolVersion") then
         (.result.serverInfo | (.name | type == "string")
                               and (.version | type == "string"))
         and (.result.capabilities.tools | type == "object")
       else .result == {} end);
def message_ok:
  type == "object" and .jsonrpc == "2.0"
  and (keys - ["jsonrpc", "id", "result", "error"] == [])
  and has("id")
  and (if has("error") then (has("result") | not) and error_ok
       else result_ok end);
if type == "array" then
  (if length > 0 and all(.[]; message_ok) then empty else . end)
else
  (if message_ok then empty else . end)
end
