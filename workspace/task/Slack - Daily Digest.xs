// Morning digest of open deals in the sales channel.
task "Slack - Daily Digest" {
  active = true

  stack {
    function.run "Tasks/Slack - Daily Digest" {
      input = {channel: "#sales"}
    } as $result
  }

  schedule = [{starts_on: 2025-12-01 07:30:00+0000, freq: 86400, ends_on: 2025-01-31 23:59:59+0000}]
}