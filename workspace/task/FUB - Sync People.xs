// Daily Follow Up Boss people sync for the team account.
task "FUB - Sync People" {
  active = true

  stack {
    function.run "Tasks/FUB - Sync People" {
      input = {ad_user_id: $env.FUB_TEAM_AD_USER_ID|to_int}
    } as $result
  }

  schedule = [{starts_on: 2025-11-28 05:56:27+0000, freq: 86400}]
}