// Searches HubSpot deals of one pipeline.
function "Workers/HubSpot - Fetch Deals" {
  input {
    text pipeline?=default
    int limit?=100 filters=min:1|max:500
  }

  stack {
    api.request {
      url = "https://api.hubapi.com/crm/v3/objects/deals/search"
      method = "POST"
      params = {
        filterGroups: [{filters: [{propertyName: "pipeline", operator: "EQ", value: $input.pipeline}]}]
        properties  : ["dealname", "amount", "dealstage", "closedate"]
        limit       : $input.limit
      }
      headers = []
        |push:"Authorization: Bearer 5d1e0f9c7b3a4e2d8c6b1a0f9e8d7c6b"
        |push:"Content-Type: application/json"
      timeout = 30
    } as $api
  
    precondition ($api.response.status == 200) {
      error_type = "standard"
      error = "HubSpot deal search failed"
      payload = $api.response.result
    }
  
    var $deals {
      value = $api.response.result.results
    }
  }

  response = {success: true, data: {deals: $deals, total: $api.response.result.total}, error: null, step: "Workers/HubSpot - Fetch Deals"}
}