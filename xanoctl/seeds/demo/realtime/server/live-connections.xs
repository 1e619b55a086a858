// Logs each connection to the live back office in the sync log.
realtime_server_trigger "live connections" {
  realtime_server = "back_office_live"
  input {
    json client?
  }

  stack {
    function.run "Utils/Log - Sync Run" {
      input = {source: "realtime", status: "ok", details: $input.client}
    } as $logged
  }

  response = $logged
  actions = {connect: true}
}
