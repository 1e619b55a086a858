// Logs the Zoom cloud recordings of a user so that the team can review them.
function "Tasks/Zoom - Import Recordings" {
  input {
    text zoom_user_id
  }

  stack {
    function.run "Workers/Zoom - Fetch Recordings" {
      input = {zoom_user_id: $input.zoom_user_id}
    } as $recordings
  
    conditional {
      if ($recordings.success == false) {
        return {
          value = {success: false, data: null, error: $recordings.error, step: "Tasks/Zoom - Import Recordings"}
        }
      }
    }
  
    var $total_mb {
      value = 0
    }
  
    foreach ($recordings.data.recordings) {
      each as $recording {
        math.add $total_mb {
          value = $recording.size / 1048576
        }
      }
    }
  
    function.run "Utils/Log - Sync Run" {
      input = {source: "zoom_recordings", status: "ok", count: $recordings.data.recordings|count, details: {megabytes: $total_mb|round:1}}
    } as $log
  }

  response = {success: true, data: {recordings: $recordings.data.recordings|count}, error: null, step: "Tasks/Zoom - Import Recordings"}
}