// Retired June 2024, replaced by Workers/FUB - Sync People; kept for reference.
function "Archive/FUB - Sync People (old)" {
  input {
    int ad_user_id
  }

  stack {
    api.request {
      url = "https://api.followupboss.com/v1/people?assignedUserId=" ~ $input.ad_user_id
      method = "GET"
      headers = []
        |push:("Authorization: Basic " ~ ($env.FUB_API_KEY|concat:":"|base64_encode))
    } as $api
  
    var $people {
      value = $api.response.result.people
    }
  }

  response {
    value = $people
  }

  tags = ["archive"]
}