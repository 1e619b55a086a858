// Nightly export of the default HubSpot pipeline to the finance sheet (paused).
task "Sheets - Export Deals" {
  active = false

  stack {
    function.run "Tasks/Sheets - Export Deals" {
      input = {spreadsheet_id: $env.FINANCE_SPREADSHEET_ID, pipeline: "default"}
    } as $result
  }

  schedule = [{starts_on: 2025-11-29 02:00:00+0000, freq: 86400}]
}