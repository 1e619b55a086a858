// Reconciles Stripe invoices four times a day.
task "Stripe - Reconcile Payments" {
  active = true

  stack {
    function.run "Tasks/Stripe - Reconcile Payments" {
      input = {days: 1}
    } as $result
  
    conditional {
      if ($result.success == false) {
        debug.log {
          value = $result.error
        }
      }
    }
  }

  schedule = [{starts_on: 2025-11-28 00:15:00+0000, freq: 21600}]
}