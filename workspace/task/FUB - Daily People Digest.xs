// Morning Slack digest of the people each agent has in Follow Up Boss.
task "FUB - Daily People Digest" {
  active = true

  stack {
    function.run "Tasks/FUB - Daily People Digest" as $result
  }

  schedule = [{starts_on: 2025-11-28 13:00:00+0000, freq: 86400}]
}