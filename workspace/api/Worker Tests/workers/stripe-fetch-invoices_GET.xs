// Runs Workers/Stripe - Fetch Invoices with the request's inputs.
query "workers/stripe-fetch-invoices" verb=GET {
  api_group = "Worker Tests"

  input {
    text customer_id?
    int days?=7
  }

  stack {
    function.run "Workers/Stripe - Fetch Invoices" {
      input = {customer_id: $input.customer_id, days: $input.days}
    } as $result
  }

  response = $result
}