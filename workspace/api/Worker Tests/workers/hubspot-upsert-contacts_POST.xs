// Runs Workers/HubSpot - Upsert Contacts with the request's inputs.
query "workers/hubspot-upsert-contacts" verb=POST {
  api_group = "Worker Tests"

  input {
    json people
    email owner_email?
  }

  stack {
    function.run "Workers/HubSpot - Upsert Contacts" {
      input = {people: $input.people, owner_email: $input.owner_email}
    } as $result
  }

  response = $result
}