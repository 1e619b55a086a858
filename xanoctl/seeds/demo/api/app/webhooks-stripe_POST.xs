// Stripe webhook: keeps stripe_invoice in step with invoice events.
query "webhooks/stripe" verb=POST {
  api_group = "App"
  middleware = {pre: [{name: "Verify Webhook Signature"}]}

  input {
    text type filters=trim
    json data
  }

  stack {
    precondition ($input.type|starts_with:"invoice.") {
      error_type = "inputerror"
      error = "Unsupported event type"
    }
  
    var $invoice {
      value = $input.data.object
    }
  
    conditional {
      if ($input.type == "invoice.deleted") {
        db.del stripe_invoice {
          field_name = "stripe_id"
          field_value = $invoice.id
        }
      }
    
      else {
        db.add_or_edit stripe_invoice {
          field_name = "stripe_id"
          field_value = $invoice.id
          data = {
            stripe_id  : $invoice.id
            customer   : $invoice.customer
            status     : $invoice.status
            amount_paid: $invoice.amount_paid
            paid       : $invoice.paid
          }
        } as $row
      }
    }
  }

  response = {received: true}
}