// Follow Up Boss deals ("transactions") per agent.
table fub_transaction {
  auth = false

  schema {
    int id
    timestamp created_at?=now
    int fub_deal_id
    int ad_user_id
    text stage?
    decimal price?
    timestamp updated_at?
  }

  index = [
    {type: "primary", field: [{name: "id"}]}
    {type: "btree|unique", field: [{name: "fub_deal_id", op: "asc"}]}
    {
      type : "btree"
      field: [{name: "ad_user_id", op: "asc"}, {name: "updated_at", op: "desc"}]
    }
  ]
}