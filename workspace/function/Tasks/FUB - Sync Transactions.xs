// Hourly: mirrors the Follow Up Boss deals an agent changed in the last hours.
function "Tasks/FUB - Sync Transactions" {
  input {
    int ad_user_id
    int lookback_hours?=2
  }

  stack {
    function.run "Utils/Dates - Window Start" {
      input = {hours: $input.lookback_hours}
    } as $since
  
    function.run "Workers/FUB - Update Transactions" {
      input = {ad_user_id: $input.ad_user_id, since: $since}
    } as $r
  
    conditional {
      if ($r.success == false) {
        return {
          value = {success: false, data: null, error: $r.error, step: "Tasks/FUB - Sync Transactions"}
        }
      }
    
      elseif ($r.transactions_updated > 0) {
        debug.log {
          value = "FUB transactions updated for agent " ~ $input.ad_user_id
        }
      }
    }
  }

  response = {success: true, data: {updated: $r.data.transactions_updated}, error: null, step: "Tasks/FUB - Sync Transactions"}
}