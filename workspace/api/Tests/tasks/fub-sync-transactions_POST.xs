// Runs Tasks/FUB - Sync Transactions with the request's inputs.
query "tasks/fub-sync-transactions" verb=POST {
  api_group = "Tests"

  input {
    int ad_user_id
    int lookback_hours?=2
  }

  stack {
    function.run "Tasks/FUB - Sync Transactions" {
      input = {ad_user_id: $input.ad_user_id, lookback_hours: $input.lookback_hours}
    } as $result
  }

  response = $result
}