// Tells the team in Slack when a branch goes live.
workspace_trigger "branch changes" {
  input {
    object to_branch? {
      schema {
        int id?
        text label?
      }
    }

    enum action {
      values = ["branch_live", "branch_merge", "branch_new"]
    }
  }

  stack {
    function.run "Workers/Slack - Post Message" {
      input = {channel: "#releases", text: "Branch " ~ $input.to_branch.label ~ ": " ~ $input.action}
    } as $posted
  }

  response = $posted
  actions = {branch_live: true}
}
