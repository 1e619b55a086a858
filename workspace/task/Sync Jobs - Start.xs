// Every five minutes: runs the queued Follow Up Boss imports.
task "Sync Jobs - Start" {
  active = true

  stack {
    function.run "Tasks/Sync Jobs - Start" as $result
  }

  schedule = [{starts_on: 2025-11-28 06:00:00+0000, freq: 300}]
}