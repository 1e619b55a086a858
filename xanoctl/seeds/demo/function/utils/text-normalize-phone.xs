// E.164 phone number from whatever a CRM stored, or null when it cannot be made sense of.
function "Utils/Text - Normalize Phone" {
  input {
    text phone?
    text country_code?="1"
  }

  stack {
    var $digits {
      value = $input.phone
        |first_notnull:""
        |regex_replace:"/[^0-9]/":""
    }
  
    conditional {
      if (($digits|strlen) == 10) {
        var.update $digits {
          value = "+" ~ $input.country_code ~ $digits
        }
      }
    
      elseif (($digits|strlen) > 10) {
        var.update $digits {
          value = "+" ~ $digits
        }
      }
    
      else {
        var.update $digits {
          value = null
        }
      }
    }
  }

  response = $digits

  test "a US number gets +1" {
    input = {phone: "(555) 010-0199"}
    expect.to_equal ($response) {
      value = "+15550100199"
    }
  }

  test "a number with its country code keeps it" {
    input = {phone: "+44 20 7946 0958"}
    expect.to_equal ($response) {
      value = "+442079460958"
    }
  }

  test "a UK number drops its trunk zero" {
    input = {phone: "020 7946 0958", country_code: "44"}
    expect.to_equal ($response) {
      value = "+442079460958"
    }
  }

  test "letters give null" {
    input = {phone: "call me"}
    expect.to_be_null ($response)
  }
}