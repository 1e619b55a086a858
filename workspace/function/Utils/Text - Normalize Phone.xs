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
}