// Runs Tasks/Calendly - Sync Events with the request's inputs.
query "tasks/calendly-sync-events" verb=POST {
  api_group = "Tests"

  input {
  }

  stack {
    function.run "Tasks/Calendly - Sync Events" as $result
  }

  response = $result
}