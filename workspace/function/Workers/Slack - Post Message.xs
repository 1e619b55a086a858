// Posts a message to a Slack channel as the workspace bot.
function "Workers/Slack - Post Message" {
  input {
    text channel
    text text
    json blocks?
  }

  stack {
    api.request {
      url = "https://slack.com/api/chat.postMessage"
      method = "POST"
      params = {channel: $input.channel, text: $input.text, blocks: $input.blocks}
      headers = [
        "Authorization: Bearer " ~ $env.SLACK_BOT_TOKEN
        "Content-Type: application/json; charset=utf-8"
      ]
    } as $api
  
    conditional {
      if ($api.response.result.ok != true) {
        return {
          value = {success: false, data: null, error: "Slack: " ~ $api.response.result.error, step: "Workers/Slack - Post Message"}
        }
      }
    }
  }

  response = {success: true, data: {ts: $api.response.result.ts, channel: $api.response.result.channel}, error: null, step: "Workers/Slack - Post Message"}
}