// One row per queued Follow Up Boss import: queued by Workers/Sync Jobs - Create, run by the Sync Jobs - Start task.
table sync_job {
  auth = false

  schema {
    int id
    timestamp created_at?=now
    int ad_user_id
    enum status?=New {
      values = ["New", "In Process", "Complete", "Partial", "Error"]
    }
  
    int people?=0
    text? error
  }

  index = [
    {type: "primary", field: [{name: "id"}]}
    {type: "btree", field: [{name: "status", op: "asc"}]}
  ]
}