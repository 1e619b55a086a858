// Older profile endpoint, left behind when users/{user_id} replaced it.
query "users/{id}" verb=GET {
  api_group = "App"
  auth = "user"

  input {
    int id
  }

  stack {
    function.run "Archive/FUB - Sync People (old)" {
      input = {ad_user_id: $input.id}
    } as $people
  }

  response = $people
}