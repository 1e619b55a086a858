// Runs Tasks/Slack - Daily Digest with the request's inputs.
query "tasks/slack-daily-digest" verb=POST {
  api_group = "Tests"

  input {
    text channel?
  }

  stack {
    function.run "Tasks/Slack - Daily Digest" {
      input = {channel: $input.channel}
    } as $result
  }

  response = $result
}