// Runs Tasks/Sheets - Export Deals with the request's inputs.
query "tasks/sheets-export-deals" verb=POST {
  api_group = "Tests"

  input {
    text spreadsheet_id
    text pipeline?=default
  }

  stack {
    function.run "Tasks/Sheets - Export Deals" {
      input = {spreadsheet_id: $input.spreadsheet_id, pipeline: $input.pipeline}
    } as $result
  }

  response = $result
}