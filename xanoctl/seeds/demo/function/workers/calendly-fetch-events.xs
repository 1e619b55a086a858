// Lists the active Calendly events of an organisation that start after the look-back window.
function "Workers/Calendly - Fetch Events" {
  input {
    text organization_uri filters=trim
    int days?=1
  }

  stack {
    function.run "Utils/Dates - Window Start" {
      input = {days: $input.days}
    } as $min_start
  
    api.request {
      url = "https://api.calendly.com/scheduled_events"
      method = "GET"
      params = {
        organization  : $input.organization_uri
        min_start_time: $min_start|format_timestamp:"c":"UTC"
        count         : 100
        status        : "active"
      }
      headers = ["Authorization: Bearer " ~ $env.CALENDLY_TOKEN]
      timeout = 20
      verify_peer = false
    } as $api
  
    var $events {
      value = $api.response.result.collection|first_notempty:[]
    }
  }

  response = {success: true, data: {events: $events, count: $events|count}, error: null, step: "Workers/Calendly - Fetch Events"}
}