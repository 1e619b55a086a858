// Tells the team in Slack about every error no handler of its own caught.
error_trigger "errors to slack" {
  input {
    json error
  }

  stack {
    function.run "Workers/Slack - Post Message" {
      input = {channel: "#alerts", text: "Xano error: " ~ $input.error.message}
    } as $posted
  }
}
