// Rejects webhook calls whose shared-secret header does not match WEBHOOK_SECRET.
middleware "Verify Webhook Signature" {
  exception_policy = "rethrow"
  response_strategy = "merge"

  input {
    json vars
    enum type {
      values = ["pre", "post"]
    }
  }

  stack {
    var $signature {
      value = $env.$http_headers|get:"x-webhook-secret"|first_notnull:""
    }
  
    precondition ($signature == $env.WEBHOOK_SECRET) {
      error_type = "accessdenied"
      error = "Invalid webhook signature"
    }
  }

  response = $input.vars
}