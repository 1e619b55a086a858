// Exports the deals of a HubSpot pipeline to a Google Sheet.
function "Tasks/Sheets - Export Deals" {
  input {
    text spreadsheet_id
    text pipeline?=default
  }

  stack {
    function.run "Workers/HubSpot - Fetch Deals" {
      input = {pipeline: $input.pipeline, limit: 500}
    } as $deals
  
    api.lambda {
      code = """
        const deals = ($var.deals.data && $var.deals.data.deals) || [];
        return deals.map((d) => [d.id, d.properties.dealname, d.properties.amount, d.properties.closedate]);
        """
      timeout = 10
    } as $rows
  
    function.run "Workers/Sheets - Append Rows" {
      input = {spreadsheet_id: $input.spreadsheet_id, range: "Deals!A2", rows: $rows}
    } as $append
  
    conditional {
      if ($append.success == false) {
        return {
          value = {success: false, data: null, error: $append.error, step: "Tasks/Sheets - Export Deals"}
        }
      }
    }
  }

  response = {success: true, data: {rows: $append.data.appended}, error: null, step: "Tasks/Sheets - Export Deals"}
}