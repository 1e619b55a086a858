// Runs Workers/Sheets - Append Rows with the request's inputs.
query "workers/sheets-append-rows" verb=POST {
  api_group = "Worker Tests"

  input {
    text spreadsheet_id
    text range?="Sheet1!A1"
    json rows
  }

  stack {
    function.run "Workers/Sheets - Append Rows" {
      input = {spreadsheet_id: $input.spreadsheet_id, range: $input.range, rows: $input.rows}
    } as $result
  }

  response = $result
}