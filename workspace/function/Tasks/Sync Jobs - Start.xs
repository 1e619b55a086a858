// Runs the queued Follow Up Boss imports: marks each job In Process, syncs the agent's people, records the outcome.
function "Tasks/Sync Jobs - Start" {
  input {
  }

  stack {
    db.query sync_job {
      where = $db.sync_job.status == "New"
      return = {type: "list"}
    } as $jobs
  
    foreach ($jobs) {
      each as $job {
        db.edit sync_job {
          field_name = "id"
          field_value = $job.id
          data = {status: "In Process"}
        }
      
        try_catch {
          try {
            function.run "Workers/FUB - Sync People" {
              input = {ad_user_id: $job.ad_user_id, endpoint_type: "people"}
            } as $result
          
            conditional {
              if ($result.success) {
                db.edit sync_job {
                  field_name = "id"
                  field_value = $job.id
                  data = {status: "Complete", people: $result.data.count}
                }
              }
            
              else {
                db.edit sync_job {
                  field_name = "id"
                  field_value = $job.id
                  data = {status: "Partial", error: $result.error}
                }
              }
            }
          }
        
          catch {
            db.edit sync_job {
              field_name = "id"
              field_value = $job.id
              data = {status: "Error", error: $error.message}
            }
          }
        }
      }
    }
  }

  response = {success: true, data: {jobs: $jobs|count}, error: null, step: "Tasks/Sync Jobs - Start"}
}