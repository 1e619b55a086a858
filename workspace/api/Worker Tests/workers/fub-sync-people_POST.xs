// Runs Workers/FUB - Sync People with the request's inputs.
query "workers/fub-sync-people" verb=POST {
  api_group = "Worker Tests"

  input {
    int ad_user_id?
    text endpoint_type?=people
  }

  stack {
    function.run "Workers/FUB - Sync People" {
      input = {ad_user_id: $input.ad_user_id, endpoint_type: $input.endpoint_type}
    } as $result
  }

  response = $result
}