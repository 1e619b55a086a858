// Appends rows to a Google Sheet, 200 rows per request.
function "Workers/Sheets - Append Rows" {
  input {
    text spreadsheet_id
    text range?="Sheet1!A1"
    json rows
  }

  stack {
    function.run "Utils/Arrays - Chunk" {
      input = {items: $input.rows, size: 200}
    } as $chunks
  
    function.run "Utils/HTTP - Auth Headers" {
      input = {provider: "google"}
    } as $headers
  
    var $appended {
      value = 0
    }
  
    foreach ($chunks) {
      each as $chunk {
        api.request {
          url = "https://sheets.googleapis.com/v4/spreadsheets/" ~ $input.spreadsheet_id ~ "/values/" ~ ($input.range|url_encode) ~ ":append?valueInputOption=USER_ENTERED"
          method = "POST"
          params = {values: $chunk}
          headers = $headers
          timeout = 30
        } as $api
      
        var.update $appended {
          value = $appended + ($api.response.result.updates.updatedRows|to_int)
        }
      }
    }
  }

  response = {success: true, data: {appended: $appended, spreadsheet_id: $input.spreadsheet_id}, error: null, step: "Workers/Sheets - Append Rows"}
}