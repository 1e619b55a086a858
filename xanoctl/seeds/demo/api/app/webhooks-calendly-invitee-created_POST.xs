// Calendly invitee.created: moves the matching Follow Up Boss person to "Appointment Set".
query "webhooks/calendly/invitee-created" verb=POST {
  api_group = "App"
  middleware = {pre: [{name: "Verify Webhook Signatures"}]}

  input {
    text event filters=trim
    json payload
  }

  stack {
    function.run "Utils/Text - Normalize Phone" {
      input = {phone: $input.payload.text_reminder_number}
    } as $phone
  
    db.query fub_person {
      where = $db.fub_person.email == ($input.payload.email|to_lower)
      return = {type: "single"}
    } as $person
  
    conditional {
      if ($person != null) {
        db.edit fub_people {
          field_name = "id"
          field_value = $person.id
          data = {stage: "Appointment Set", phone: $phone|first_notnull:$person.phone}
        } as $updated
      }
    }
  }

  response = {matched: $person != null}
}