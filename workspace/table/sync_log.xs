// One row per run of a sync, written by Utils/Log - Sync Run.
table sync_log {
  auth = false

  schema {
    int id
    timestamp created_at?=now
    text source
    enum status {
      values = ["ok", "failed", "skipped"]
    }
  
    int count?=0
    json details?
  }

  index = [
    {type: "primary", field: [{name: "id"}]}
    {type: "btree", field: [{name: "source", op: "asc"}, {name: "created_at", op: "desc"}]}
  ]
}