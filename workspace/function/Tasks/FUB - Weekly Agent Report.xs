// Weekly: writes an agent's Follow Up Boss people, with stage and e-mail, to the report sheet.
function "Tasks/FUB - Weekly Agent Report" {
  input {
    int ad_user_id
    text spreadsheet_id
  }

  stack {
    function.run "Workers/FUB - Sync People" {
      input = {ad_user_id: $input.ad_user_id, endpoint_type: "people"}
    } as $result
  
    var $sync {
      value = $result
    }
  
    var $rows {
      value = []
    }
  
    foreach ($sync.people) {
      each as $person {
        array.push $rows {
          value = [$person.name, $person.stage, $person.emails|first|get:"value"]
        }
      }
    }
  
    function.run "Workers/Sheets - Append Rows" {
      input = {spreadsheet_id: $input.spreadsheet_id, range: "Weekly!A2", rows: $rows}
    } as $append
  }

  response = {success: $append.success, data: {rows: $rows|count, sheet: $append.data}, error: $append.error, step: "Tasks/FUB - Weekly Agent Report"}
}