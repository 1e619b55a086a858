// Runs Workers/Slack - Post Message with the request's inputs.
query "workers/slack-post-message" verb=POST {
  api_group = "Worker Tests"

  input {
    text channel
    text text
    json blocks?
  }

  stack {
    function.run "Workers/Slack - Post Message" {
      input = {channel: $input.channel, text: $input.text, blocks: $input.blocks}
    } as $result
  }

  response = $result
}