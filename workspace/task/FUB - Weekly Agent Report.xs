// Monday report of the team's Follow Up Boss people.
task "FUB - Weekly Agent Report" {
  active = true

  stack {
    function.run "Tasks/FUB - Weekly Agent Report" {
      input = {ad_user_id: $env.FUB_TEAM_AD_USER_ID|to_int, spreadsheet_id: $env.REPORT_SPREADSHEET_ID}
    } as $result
  }

  schedule {
    events = [{starts_on: 2025-06-02 07:00:00+0000, freq: 604800}]
  }
}