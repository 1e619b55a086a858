// Logs each client that connects to the back office tools.
mcp_server_trigger "tools connected" {
  mcp_server = "Back office tools"
  input {
    json toolset
  }

  stack {
    db.add sync_log {
      data = {source: "mcp", status: "ok", details: $input.toolset}
    } as $logged
  }

  response = $logged
  actions = {connection: true}
}
