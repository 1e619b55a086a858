// Looks a back-office user up, with how many people they own.
tool "Load agent profile" {
  instructions = "Load a back-office user by id: name, email, role and how many Follow Up Boss people they own."
  input {
    text user_id filters=trim
  }

  stack {
    function.run "Workers/Users - Load Profile" {
      input = {user_id: $input.user_id}
    } as $profile
  }

  response = $profile.data
}
