// Syncs the people of one Follow Up Boss account end to end, through the task and its test endpoint.
workflow_test "FUB people sync" {
  stack {
    function.call "Tasks/FUB - Sync People" {
      input = {ad_user_id: 1}
    } as $sync
  
    expect.to_be_true ($sync.success)
    api.call "tasks/fub-sync-people" verb=POST {
      api_group = "Tests"
    } as $endpoint
  
    expect.to_be_defined ($endpoint)
  }

  tags = ["fub", "e2e"]
}