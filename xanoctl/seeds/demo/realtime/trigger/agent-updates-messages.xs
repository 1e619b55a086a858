// Keeps the last message of each agent's channel in the sync log.
realtime_trigger "agent updates messages" {
  channel = "agent_updates"
  input {
    enum action {
      values = ["message", "join"]
    }

    text channel
    json payload
  }

  stack {
    db.add sync_log {
      data = {source: "realtime", status: "ok", details: {channel: $input.channel, payload: $input.payload}}
    } as $logged
  }

  response = $logged
  actions = {message: true}
}
