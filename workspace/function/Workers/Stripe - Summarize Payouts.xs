// Totals the paid Stripe invoices of the last `days` days.
function "Workers/Stripe - Summarize Payouts" {
  input {
    int days?=30
  }

  stack {
    function.run "Utils/Dates - Window Start" {
      input = {days: $input.days}
    } as $since
  
    db.query stripe_invoice {
      where = $db.stripe_invoice.paid == true && $db.stripe_invoice.created_at >= $since
      return = {type: "list"}
    } as $paid
  
    var $cents {
      value = 0
    }
  
    foreach ($paid) {
      each as $invoice {
        math.add $cents {
          value = $invoice.amount_paid
        }
      }
    }
  
    var $totals {
      value = {count: $paid|count, cents: $cents, dollars: $cents / 100}
    }
  }

  response = $totals
}