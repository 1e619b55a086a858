// Copies an agent's Follow Up Boss people into HubSpot contacts.
function "Tasks/HubSpot - Sync Contacts" {
  input {
    int ad_user_id
    text owner_email?
  }

  stack {
    function.run "Workers/FUB - Sync People" {
      input = {ad_user_id: $input.ad_user_id, endpoint_type: "people"}
    } as $people
  
    conditional {
      if ($people.success == false) {
        return {
          value = {success: false, data: null, error: $people.error, step: "Tasks/HubSpot - Sync Contacts"}
        }
      }
    }
  
    function.run "Workers/HubSpot - Upsert Contacts" {
      input = {people: $people.data.people, owner_email: $input.owner_email}
    } as $upsert
  }

  response = {
    success: $upsert.success
    data   : {contacts: $upsert.data.contacts|count, failed: $upsert.data.failed}
    error  : $upsert.error
    step   : "Tasks/HubSpot - Sync Contacts"
  }
}