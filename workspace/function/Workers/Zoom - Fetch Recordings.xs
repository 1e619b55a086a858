// Lists the MP4 cloud recordings of a Zoom user.
function "Workers/Zoom - Fetch Recordings" {
  input {
    text zoom_user_id
    enum meeting_type {
      values = ["scheduled", "live", "previous_meetings"]
    }
  
    int page_size?=30
  }

  stack {
    api.request {
      url = "https://api.zoom.us/v2/users/" ~ $input.zoom_user_id ~ "/recordings"
      method = "GET"
      params = {type: $input.meeting_type, page_size: $input.page_size}
      headers = ["Authorization: Bearer " ~ $env.ZOOM_TOKEN]
      timeout = 20
    } as $api
  
    var $recordings {
      value = []
    }
  
    foreach ($api.response.result.meetings) {
      each as $meeting {
        foreach ($meeting.recording_files) {
          each as $file {
            conditional {
              if ($file.file_type == "MP4") {
                array.push $recordings {
                  value = {topic: $meeting.topic, start_time: $meeting.start_time, url: $file.download_url, size: $file.file_size}
                }
              }
            }
          }
        }
      }
    }
  }

  response = {success: true, data: {recordings: $recordings}, error: null, step: "Workers/Zoom - Fetch Recordings"}
}