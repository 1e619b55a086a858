// Refreshes one agent's people from Follow Up Boss, now.
tool "Sync agent people" {
  instructions = "Pull one agent's people from Follow Up Boss now, when the back office says they are out of date."
  input {
    int ad_user_id
  }

  stack {
    function.run "Workers/FUB - Sync People" {
      input = {ad_user_id: $input.ad_user_id}
    } as $synced
  }

  response = $synced.data
}