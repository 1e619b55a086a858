// Records which tools the assistant was given when a conversation starts.
agent_trigger "assistant connected" {
  agent = "Back office asistant"
  input {
    json toolset
    json tools
  }

  stack {
    db.add sync_log {
      data = {source: "assistant", status: "ok", details: {tools: $input.tools}}
    } as $logged
  }

  response = $logged
  actions = {connection: true}
}