// Runs Tasks/Stripe - Reconcile Payments with the request's inputs.
query "tasks/stripe-reconcile-payments" verb=POST {
  api_group = "Tests"

  input {
    int days?=1
  }

  stack {
    function.run "Tasks/Stripe - Reconcile Payments" {
      input = {days: $input.days}
    } as $result
  }

  response = $result
}