// Start of a look-back window: now minus the given days and hours (one day when both are zero).
function "Utils/Dates - Window Start" {
  input {
    int days?=0
    int hours?=0
  }

  stack {
    var $seconds {
      value = ($input.days * 86400) + ($input.hours * 3600)
    }
  
    conditional {
      if ($seconds <= 0) {
        var.update $seconds {
          value = 86400
        }
      }
    }
  
    var $start {
      value = now
        |transform_timestamp:("-" ~ $seconds ~ " seconds"):"UTC"
    }
  }

  response = $start
}