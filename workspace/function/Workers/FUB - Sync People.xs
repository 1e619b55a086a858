// Pulls one agent's people from Follow Up Boss (all pages) and upserts them into fub_person.
function "Workers/FUB - Sync People" {
  input {
    int ad_user_id?
    text endpoint_type?=people
  }

  stack {
    conditional {
      if ($input.ad_user_id == null) {
        return {
          value = {success: false, data: null, error: "No ad_user_id provided", step: "Workers/FUB - Sync People"}
        }
      }
    }
  
    db.query user {
      where = $db.user.ad_user_id == $input.ad_user_id
      return = {type: "single"}
    } as $agent
  
    conditional {
      if ($agent == null || $agent.fub_api_key == null) {
        return {
          value = {success: false, data: null, error: "No FUB key for agent " ~ $input.ad_user_id, step: "Workers/FUB - Sync People"}
        }
      }
    }
  
    function.run "Utils/HTTP - Auth Headers" {
      input = {provider: "fub", token: $agent.fub_api_key}
    } as $headers
  
    var $people {
      value = []
    }
  
    var $next_url {
      value = "https://api.followupboss.com/v1/" ~ $input.endpoint_type ~ "?limit=100&assignedUserId=" ~ $input.ad_user_id
    }
  
    while ($next_url != null) {
      each {
        api.request {
          url = $next_url
          method = "GET"
          headers = $headers
          timeout = 30
        } as $page
      
        var.update $people {
          value = $people|merge:$page.response.result.people
        }
      
        var.update $next_url {
          value = $page.response.result._metadata.nextLink
        }
      }
    }
  
    foreach ($people) {
      each as $person {
        function.run "Utils/Text - Normalize Phone" {
          input = {phone: $person.phones|first|get:"value"}
        } as $phone
      
        db.add_or_edit fub_person {
          field_name = "fub_id"
          field_value = $person.id
          data = {
            fub_id    : $person.id
            ad_user_id: $input.ad_user_id
            name      : $person.name
            email     : $person.emails|first|get:"value"
            phone     : $phone
            stage     : $person.stage
            updated_at: now
          }
        } as $row
      }
    }
  }

  response = {success: true, data: {people: $people, count: $people|count}, error: null, step: "Workers/FUB - Sync People"}
}