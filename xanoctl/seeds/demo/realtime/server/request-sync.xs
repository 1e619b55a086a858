// Queues a Follow Up Boss import for the agent, asked from the live back office.
message request_sync {
  realtime_server = "back_office_live"
  channel = "agents/{agent_id}"
  auth = "user"
  deliver_to = "sender"
  input {
    int ad_user_id
  }

  stack {
    function.run "Workers/Sync Jobs - Create" {
      input = {ad_user_id: $input.ad_user_id}
    } as $job
  }

  response = $job
}
