// The back office's lookups, for the team's own AI clients.
mcp_server "Back office tools" {
  canonical = "bo-tools"
  instructions = "Look back-office users up by id."
  tools = [{name: "Load agent profile"}]
}