// The back office's live connections: each agent's channel, and the sync requests sent on it.
realtime_server back_office_live {
  canonical = "bolive01"
  active = true
}