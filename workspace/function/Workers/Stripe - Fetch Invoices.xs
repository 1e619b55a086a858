// Lists the Stripe invoices created in the last `days` days, optionally for one customer.
function "Workers/Stripe - Fetch Invoices" {
  input {
    text customer_id?
    int days?=7
  }

  stack {
    function.run "Utils/Dates - Window Start" {
      input = {days: $input.days}
    } as $window_start
  
    function.run "Utils/HTTP - Auth Headers" {
      input = {provider: "stripe"}
    } as $headers
  
    api.request {
      url = "https://api.stripe.com/v1/invoices"
      method = "GET"
      params = {}
        |set:"limit":100
        |set:"created[gte]":($window_start|format_timestamp:"U":"UTC")
        |set_ifnotnull:"customer":$input.customer_id
      headers = $headers
      timeout = 20
    } as $api
  
    conditional {
      if ($api.response.status != 200) {
        return {
          value = {success: false, data: null, error: $api.response.result.error.message, step: "Workers/Stripe - Fetch Invoices"}
        }
      }
    }
  
    var $invoices {
      value = $api.response.result.data
    }
  }

  response = {success: true, data: {invoices: $invoices, has_more: $api.response.result.has_more}, error: null, step: "Workers/Stripe - Fetch Invoices"}
}