// How many Follow Up Boss people an agent owns, for lists of users.
addon fub_person_count {
  input {
    int ad_user_id?
  }

  stack {
    db.query fub_person {
      where = $db.fub_person.ad_user_id == $input.ad_user_id
      return = {type: "count"}
    }
  }
}