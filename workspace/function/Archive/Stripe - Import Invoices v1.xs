// First Stripe import (three pages at most); superseded by Tasks/Stripe - Reconcile Payments.
function "Archive/Stripe - Import Invoices v1" {
  input {
    int limit?=50
  }

  stack {
    var $imported {
      value = 0
    }
  
    var $starting_after {
      value = null
    }
  
    for (3) {
      each as $page_number {
        api.request {
          url = "https://api.stripe.com/v1/invoices"
          method = "GET"
          params = {limit: $input.limit, starting_after: $starting_after}
          headers = ["Authorization: Bearer " ~ $env.STRIPE_SECRET_KEY]
        } as $api
      
        foreach ($api.response.result.data) {
          each as $invoice {
            db.add_or_edit stripe_invoice {
              field_name = "stripe_id"
              field_value = $invoice.id
              data = {
                stripe_id  : $invoice.id
                customer_id: $invoice.customer
                status     : $invoice.status
                amount_paid: $invoice.amount_paid
                paid       : $invoice.paid
              }
            } as $row
          
            math.add $imported {
              value = 1
            }
          }
        }
      
        conditional {
          if ($api.response.result.has_more == false) {
            break
          }
        }
      
        var.update $starting_after {
          value = $api.response.result.data|last|get:"id"
        }
      
        !debug.log {
          value = "imported page " ~ $page_number
        }
      }
    }
  }

  response = $imported

  tags = ["archive", "stripe"]
}