// Runs Workers/HubSpot - Fetch Deals with the request's inputs.
query "workers/hubspot-fetch-deals" verb=GET {
  api_group = "Worker Tests"

  input {
    text pipeline?=default
    int limit?=100 filters=min:1|max:500
  }

  stack {
    function.run "Workers/HubSpot - Fetch Deals" {
      input = {pipeline: $input.pipeline, limit: $input.limit}
    } as $result
  }

  response = $result
}