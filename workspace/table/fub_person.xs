// People (leads and clients) synced from Follow Up Boss.
table fub_person {
  auth = false

  schema {
    int id
    timestamp created_at?=now
    int fub_id
    int ad_user_id?
    text name? filters=trim
    email email? filters=trim|lower
    text phone?
    text stage?
    timestamp updated_at?
  }

  index = [
    {type: "primary", field: [{name: "id"}]}
    {type: "btree|unique", field: [{name: "fub_id", op: "asc"}]}
    {type: "btree", field: [{name: "ad_user_id", op: "asc"}]}
    {type: "btree", field: [{name: "email", op: "asc"}]}
  ]
}