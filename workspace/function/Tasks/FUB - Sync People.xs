// Orchestrates the Follow Up Boss people sync for one agent and logs the run.
function "Tasks/FUB - Sync People" {
  input {
    int ad_user_id
  }

  stack {
    function.run "Workers/FUB - Sync People" {
      input = {user_id: $input.ad_user_id, endpoint_type: "people"}
    } as $result
  
    conditional {
      if ($result.success == false) {
        function.run "Utils/Log - Sync Run" {
          input = {source: "fub_people", status: "failed", details: {error: $result.error, ad_user_id: $input.ad_user_id}}
        } as $failure
      
        return {
          value = {success: false, data: null, error: $result.error, step: "Tasks/FUB - Sync People"}
        }
      }
    }
  
    function.run "Utils/Log - Sync Run" {
      input = {
        source : "fub_people"
        status : "ok"
        count  : $result.data.count
        details: {ad_user_id: $input.ad_user_id}
      }
    } as $log
  }

  response = {success: true, data: {synced: $result.data.count, log_id: $log.id}, error: null, step: "Tasks/FUB - Sync People"}
}