// Runs Workers/Stripe - Reconcile Payments with the request's inputs.
query "workers/stripe-reconcile-payments" verb=POST {
  api_group = "Worker Tests"

  input {
    json invoices
  }

  stack {
    function.run "Workers/Stripe - Reconcile Payments" {
      input = {invoices: $input.invoices}
    } as $result
  }

  response = $result
}