// Runs Workers/Zoom - Fetch Recordings with the request's inputs.
query "workers/zoom-fetch-recordings" verb=GET {
  api_group = "Worker Tests"

  input {
    text zoom_user_id
    enum meeting_type {
      values = ["scheduled", "live", "previous_meetings"]
    }
  
    int page_size?=30
  }

  stack {
    function.run "Workers/Zoom - Fetch Recordings" {
      input = {
        zoom_user_id: $input.zoom_user_id
        meeting_type: $input.meeting_type
        page_size   : $input.page_size
      }
    } as $result
  }

  response = $result
}