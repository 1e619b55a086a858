// Runs Tasks/FUB - Weekly Agent Report with the request's inputs.
query "tasks/fub-weekly-agent-report" verb=POST {
  api_group = "Tests"

  input {
    int ad_user_id
    text spreadsheet_id
  }

  stack {
    function.run "Tasks/FUB - Weekly Agent Report" {
      input = {ad_user_id: $input.ad_user_id, spreadsheet_id: $input.spreadsheet_id}
    } as $result
  }

  response = $result
}