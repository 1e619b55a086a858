// Runs Workers/Stripe - Summarize Payouts with the request's inputs.
query "workers/stripe-summarize-payouts" verb=POST {
  api_group = "Worker Tests"

  input {
    int days?=30
  }

  stack {
    function.run "Workers/Stripe - Summarize Payouts" {
      input = {days: $input.days}
    } as $result
  }

  response = $result
}