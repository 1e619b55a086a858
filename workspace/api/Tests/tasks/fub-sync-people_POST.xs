// Runs Tasks/FUB - Sync People with the request's inputs.
query "tasks/fub-sync-people" verb=POST {
  api_group = "Tests"

  input {
    int ad_user_id
  }

  stack {
    function.run "Tasks/FUB - Sync People" {
      input = {ad_user_id: $input.ad_user_id}
    } as $result
  }

  response = $result
}