// Sends each active agent's Follow Up Boss people count to the Slack digest channel.
function "Tasks/FUB - Daily People Digest" {
  input {
  }

  stack {
    db.query user {
      where = $db.user.active == true && $db.user.ad_user_id != null
      sort = {user.name: "asc"}
      return = {type: "list"}
    } as $agents
  
    var $sent {
      value = 0
    }
  
    foreach ($agents) {
      each as $agent {
        function.run "Workers/FUB - Sync People" {
          input = {ad_user_id: $agent.ad_user_id, endpoint_type: "people"}
        } as $result
      
        var $people {
          value = $result.people|first_notnull:[]
        }
      
        conditional {
          if (($people|count) == 0) {
            continue
          }
        }
      
        function.run "Workers/Slack - Post Message" {
          input = {
            channel: $env.SLACK_DIGEST_CHANNEL
            text   : $agent.name ~ ": " ~ ($people|count) ~ " people synced today"
          }
        } as $post
      
        math.add $sent {
          value = 1
        }
      }
    }
  }

  response = {success: true, data: {digests_sent: $sent}, error: null, step: "Tasks/FUB - Daily People Digest"}
}