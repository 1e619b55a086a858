// Fetches recent Stripe invoices and reconciles them with stripe_invoice.
function "Tasks/Stripe - Reconcile Payments" {
  input {
    int days?=1
  }

  stack {
    function.run "Workers/Stripe - Fetch Invoices" {
      input = {days: $input.days}
    } as $invoices
  
    conditional {
      if ($invoices.success == false) {
        return {
          value = {success: false, data: null, error: $invoices.error, step: "Tasks/Stripe - Reconcile Payments"}
        }
      }
    }
  
    try_catch {
      try {
        function.run "Workers/Stripe - Reconcile Payments" {
          input = {invoices: $invoices.data.invoices}
        } as $reconciled
      }
    
      catch {
        return {
          value = {success: false, data: null, error: $error.message, step: "Tasks/Stripe - Reconcile Payments"}
        }
      }
    }
  }

  response = {success: $reconciled.success, data: $reconciled.data, error: $reconciled.error, step: "Tasks/Stripe - Reconcile Payments"}
}