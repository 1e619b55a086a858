// Copies Follow Up Boss people to HubSpot twice a day.
task "HubSpot - Sync Contacts" {
  active = true

  stack {
    function.run "Tasks/HubSpot - Sync Contacts" {
      input = {ad_user_id: $env.FUB_TEAM_AD_USER_ID|to_int, owner_email: $env.HUBSPOT_OWNER_EMAIL}
    } as $result
  }

  schedule = [
    {starts_on: 2025-11-28 06:30:00+0000, freq: 86400}
    {starts_on: 2025-11-28 18:30:00+0000, freq: 86400}
  ]
}