realtime_channel agent_updates {
  public_messaging = {active: false}
  private_messaging = {active: true}
  settings = {
    anonymous_clients: false
    nested_channels  : false
    message_history  : 20
    auth_channel     : true
    presence         : true
  }
}