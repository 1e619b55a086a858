// Scores HubSpot contacts from lifecycle stage and deal count; `hot` above the threshold.
function "Workers/HubSpot - Score Leads" {
  input {
    json contacts
    int hot_threshold?=70
  }

  stack {
    var $scored {
      value = []
    }
  
    foreach ($input.contacts) {
      each as $contact {
        var $score {
          value = 0
        }
      
        conditional {
          if ($contact.properties.lifecyclestage == "opportunity") {
            math.add $score {
              value = 50
            }
          }
        
          elseif ($contact.properties.lifecyclestage == "marketingqualifiedlead") {
            math.add $score {
              value = 30
            }
          }
        }
      
        conditional {
          if ($contact.properties.num_associated_deals > 0) {
            math.add $score {
              value = 20
            }
          }
        }
      
        array.push $scored {
          value = {id: $contact.id, score: $score, hot: $score >= $input.hot_threshold}
        }
      }
    }
  }

  response = {success: true, data: {contacts: $scored}, step: "Workers/HubSpot - Score Leads"}
}