// Logs the sales team's Zoom recordings every night.
task "Zoom - Import Recordings" {
  active = true

  stack {
    function.run "Tasks/Zoom - Import Recordings" {
      input = {zoom_user_id: $env.ZOOM_SALES_USER_ID}
    } as $result
  }

  schedule = [{starts_on: 2025-12-01 06:00:00+0000, freq: 0}]
}