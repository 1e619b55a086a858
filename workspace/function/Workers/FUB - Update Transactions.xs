// Pulls the deals Follow Up Boss changed since `since` for one agent and mirrors them in fub_transaction.
function "Workers/FUB - Update Transactions" {
  input {
    int ad_user_id
    timestamp since?
  }

  stack {
    db.query user {
      where = $db.user.ad_user_id == $input.ad_user_id
      return = {type: "single"}
    } as $agent
  
    conditional {
      if ($agent == null) {
        return {
          value = {success: false, data: null, error: "Unknown agent " ~ $input.ad_user_id, step: "Workers/FUB - Update Transactions"}
        }
      }
    }
  
    function.run "Utils/HTTP - Auth Headers" {
      input = {provider: "fub", token: $agent.fub_api_key}
    } as $headers
  
    api.request {
      url = "https://api.followupboss.com/v1/deals"
      method = "GET"
      params = {
        assignedUserId: $input.ad_user_id
        updatedAfter  : $input.since|format_timestamp:"c":"UTC"
        limit         : 100
      }
      headers = $headers
      timeout = 30
    } as $api
  
    var $updated {
      value = 0
    }
  
    foreach ($api.response.result.deals) {
      each as $deal {
        db.query fub_transaction {
          where = $db.fub_transaction.fub_deal_id == $deal.id
          return = {type: "exists"}
        } as $known
      
        conditional {
          if ($known) {
            db.edit fub_transaction {
              field_name = "fub_deal_id"
              field_value = $deal.id
              data = {stage: $deal.stageName, price: $deal.price, updated_at: now}
            } as $edited
          }
        
          else {
            db.add fub_transaction {
              data = {
                fub_deal_id: $deal.id
                ad_user_id : $input.ad_user_id
                stage      : $deal.stageName
                price      : $deal.price
              }
            } as $added
          }
        }
      
        math.add $updated {
          value = 1
        }
      }
    }
  }

  response = {success: true, data: {transactions_updated: $updated}, error: null, step: "Workers/FUB - Update Transactions"}
}