// Runs Tasks/HubSpot - Sync Contacts with the request's inputs.
query "tasks/hubspot-sync-contacts" verb=POST {
  api_group = "Tests"

  input {
    int ad_user_id
    text owner_email?
  }

  stack {
    function.run "Tasks/HubSpot - Sync Contacts" {
      input = {ad_user_id: $input.ad_user_id, owner_email: $input.owner_email}
    } as $result
  }

  response = $result
}