// Runs Workers/HubSpot - Score Leads with the request's inputs.
query "workers/hubspot-score-leads" verb=POST {
  api_group = "Worker Tests"

  input {
    json contacts
    int hot_threshold?=70
  }

  stack {
    function.run "Workers/HubSpot - Score Leads" {
      input = {contacts: $input.contacts, hot_threshold: $input.hot_threshold}
    } as $result
  }

  response = $result
}