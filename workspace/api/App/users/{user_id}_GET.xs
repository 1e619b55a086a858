// The signed-in back office's view of one user.
query "users/{user_id}" verb=GET {
  api_group = "App"
  auth = "user"

  input {
    text user_id
  }

  stack {
    function.run "Workers/Users - Load Profile" {
      input = {user_id: $input.user_id}
    } as $profile
  
    precondition ($profile.success) {
      error_type = "notfound"
      error = $profile.error
    }
  }

  response = $profile.data.user
}