// Marks known invoices paid or unpaid from Stripe's view; lists the ones we have never seen.
function "Workers/Stripe - Reconcile Payments" {
  input {
    json invoices
  }

  stack {
    var $matched {
      value = 0
    }
  
    var $missing {
      value = []
    }
  
    db.transaction {
      stack {
        foreach ($input.invoices) {
          each as $invoice {
            db.get stripe_invoice {
              field_name = "stripe_id"
              field_value = $invoice.id
            } as $existing
          
            conditional {
              if ($existing == null) {
                array.push $missing {
                  value = $invoice.id
                }
              }
            
              else {
                db.patch stripe_invoice {
                  field_name = "stripe_id"
                  field_value = $invoice.id
                  data = {status: $invoice.status, amount_paid: $invoice.amount_paid, paid: $invoice.paid}
                } as $patched
              
                math.add $matched {
                  value = 1
                }
              }
            }
          }
        }
      }
    }
  }

  response = {success: true, data: {matched: $matched, missing: $missing}, error: null, step: "Workers/Stripe - Reconcile Payments"}
}