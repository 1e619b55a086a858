// Hourly Follow Up Boss transaction sync for the team account.
task "FUB - Sync Transactions" {
  active = true

  stack {
    function.run "Tasks/FUB - Sync Transactions" {
      input = {ad_user_id: $env.FUB_TEAM_AD_USER_ID|to_int, lookback_hours: 2}
    } as $result
  }

  schedule = [{starts_on: 2025-11-28 06:05:00+0000, freq: 3600}]
}