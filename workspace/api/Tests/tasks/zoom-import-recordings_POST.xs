// Runs Tasks/Zoom - Import Recordings with the request's inputs.
query "tasks/zoom-import-recordings" verb=POST {
  api_group = "Tests"

  input {
    text zoom_user_id
  }

  stack {
    function.run "Tasks/Zoom - Import Recordings" {
      input = {zoom_user_id: $input.zoom_user_id}
    } as $result
  }

  response = $result
}