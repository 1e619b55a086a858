// Builds the request headers for a provider: basic auth for Follow Up Boss, bearer tokens from the environment for the others.
function "Utils/HTTP - Auth Headers" {
  input {
    text provider filters=trim|lower
    text token?
  }

  stack {
    var $headers {
      value = ["Content-Type: application/json", "Accept: application/json"]
    }
  
    conditional {
      if ($input.provider == "fub") {
        array.push $headers {
          value = "Authorization: Basic " ~ ($input.token|concat:":"|base64_encode)
        }
      }
    
      elseif ($input.provider == "stripe") {
        array.push $headers {
          value = "Authorization: Bearer " ~ $env.STRIPE_SECRET_KEY
        }
      }
    
      elseif ($input.provider == "google") {
        array.push $headers {
          value = "Authorization: Bearer " ~ ($input.token|first_notnull:$env.GOOGLE_SHEETS_TOKEN)
        }
      }
    
      else {
        throw {
          name = "UnknownProvider"
          value = "No auth headers for provider " ~ $input.provider
        }
      }
    }
  }

  response = $headers
}