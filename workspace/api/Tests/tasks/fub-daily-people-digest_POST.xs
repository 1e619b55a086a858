// Runs Tasks/FUB - Daily People Digest with the request's inputs.
query "tasks/fub-daily-people-digest" verb=POST {
  api_group = "Tests"

  input {
  }

  stack {
    function.run "Tasks/FUB - Daily People Digest" as $result
  }

  response = $result
}