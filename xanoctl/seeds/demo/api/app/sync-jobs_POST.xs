// Queues a Follow Up Boss import for one agent.
query "sync-jobs" verb=POST {
  api_group = "App"

  input {
    int ad_user_id
  }

  stack {
    function.run "Workers/Sync Jobs - Create" {
      input = {ad_user_id: $input.ad_user_id}
    } as $queued
  }

  response = $queued
}