// Creates a HubSpot contact for each Follow Up Boss person; failures are collected, not thrown.
function "Workers/HubSpot - Upsert Contacts" {
  input {
    json people
    email owner_email?
  }

  stack {
    var $contacts {
      value = []
    }
  
    var $failed {
      value = []
    }
  
    foreach ($input.people) {
      each as $person {
        try_catch {
          try {
            api.request {
              url = "https://api.hubapi.com/crm/v3/objects/contacts"
              method = "POST"
              params = {
                properties: {
                email              : $person.emails|first|get:"value"
                firstname          : $person.firstName
                lastname           : $person.lastName
                hubspot_owner_email: $input.owner_email
              }
              }
              headers = [
                "Authorization: Bearer " ~ $env.HUBSPOT_TOKEN
                "Content-Type: application/json"
              ]
              timeout = 15
            } as $created
          
            array.push $contacts {
              value = $created.response.result.id
            }
          }
        
          catch {
            array.push $failed {
              value = {fub_id: $person.id, reason: $error.message}
            }
          }
        }
      }
    }
  }

  response = {success: true, data: {contacts: $contacts, failed: $failed}, error: null, step: "Workers/HubSpot - Upsert Contacts"}
}