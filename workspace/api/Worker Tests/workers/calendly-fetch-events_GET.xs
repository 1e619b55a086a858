// Runs Workers/Calendly - Fetch Events with the request's inputs.
query "workers/calendly-fetch-events" verb=GET {
  api_group = "Worker Tests"

  input {
    text organization_uri filters=trim
    int days?=1
  }

  stack {
    function.run "Workers/Calendly - Fetch Events" {
      input = {organization_uri: $input.organization_uri, days: $input.days}
    } as $result
  }

  response = $result
}