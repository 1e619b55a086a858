// Counts today's booked Calendly events and logs the run.
function "Tasks/Calendly - Sync Events" {
  input {
  }

  stack {
    function.run "Workers/Calendly - Fetch Events" {
      input = {organization_uri: $env.CALENDLY_ORG_URI, days: 1}
    } as $events
  
    var $booked {
      value = 0
    }
  
    conditional {
      if ($events.success ?? true) {
        foreach ($events.data.events) {
          each as $event {
            conditional {
              if ($event.status == "active") {
                math.add $booked {
                  value = 1
                }
              }
            }
          }
        }
      }
    }
  
    function.run "Utils/Log - Sync Run" {
      input = {source: "calendly_events", status: "ok", count: $booked}
    } as $log
  }

  response = {success: true, data: {booked: $booked}, error: null, step: "Tasks/Calendly - Sync Events"}
}