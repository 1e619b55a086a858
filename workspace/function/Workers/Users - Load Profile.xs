// Loads a back-office user and how many Follow Up Boss people they own.
function "Workers/Users - Load Profile" {
  input {
    text user_id filters=trim
  }

  stack {
    db.get user {
      field_name = "id"
      field_value = $input.user_id
      output = ["id", "name", "email", "role", "ad_user_id"]
    } as $user
  
    conditional {
      if ($user == null) {
        return {
          value = {success: false, data: null, error: "User not found", step: "Workers/Users - Load Profile"}
        }
      }
    }
  
    db.query fub_person {
      where = $db.fub_person.ad_user_id == $user.ad_user_id
      return = {type: "count"}
    } as $people_count
  }

  response = {success: true, data: {user: $user, people: $people_count}, error: null, step: "Workers/Users - Load Profile"}
}