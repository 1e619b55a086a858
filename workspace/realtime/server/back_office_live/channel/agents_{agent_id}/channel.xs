// One channel per agent: the back office follows an agent's sync there.
channel "agents/{agent_id}" {
  realtime_server = "back_office_live"
  access = {anonymous: false, presence: true}
  publish = {who: "authenticated", direct: false}
  delivery = {guarantee: "at_most_once", per_recipient: false}
  input {
    int agent_id
  }
}