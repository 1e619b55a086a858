// Runs Workers/FUB - Update Transactions with the request's inputs.
query "workers/fub-update-transactions" verb=POST {
  api_group = "Worker Tests"

  input {
    int ad_user_id
    timestamp since?
  }

  stack {
    function.run "Workers/FUB - Update Transactions" {
      input = {ad_user_id: $input.ad_user_id, since: $input.since}
    } as $result
  }

  response = $result
}