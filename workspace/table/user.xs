// Agents and admins who sign in to the back office.
table user {
  auth = true

  schema {
    int id
    timestamp created_at?=now
    text name filters=trim
    email email filters=trim|lower
    password password filters=min:8
    enum role?=agent {
      values = ["agent", "admin", "owner"]
    }
  
    // Follow Up Boss user id of the agent
    int ad_user_id?
  
    text fub_api_key? {
      sensitive = true
    }
  
    bool active?=true
  }

  index = [
    {type: "primary", field: [{name: "id"}]}
    {type: "btree|unique", field: [{name: "email", op: "asc"}]}
    {type: "btree", field: [{name: "ad_user_id", op: "asc"}]}
  ]
}