// Runs Workers/Users - Load Profile with the request's inputs.
query "workers/users-load-profile" verb=GET {
  api_group = "Worker Tests"

  input {
    text user_id filters=trim
  }

  stack {
    function.run "Workers/Users - Load Profile" {
      input = {user_id: $input.user_id}
    } as $result
  }

  response = $result
}