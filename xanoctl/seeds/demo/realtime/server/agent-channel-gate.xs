// Only signed-in back-office users follow an agent's channel.
channel_trigger "agent channel gate" {
  realtime_server = "back_office_live"
  channel = "agents/{agent_id}"
  input {
    enum action {
      values = ["join", "leave", "deliver"]
    }

    text channel
    json payload
  }

  stack {
    realtime.get_session as $session
  }

  response = {allowed: $session.authenticated, reason: "Sign in to follow an agent"}
  actions = {join: true}
}
