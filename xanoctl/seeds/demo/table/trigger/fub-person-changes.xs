// Logs every change of a person, for the sync audit.
table_trigger "fub_person changes" {
  table = "fub_person"
  input {
    json new
    json old
    enum action {
      values = ["insert", "update", "delete", "truncate"]
    }

    text datasource
  }

  stack {
    db.add sync_log {
      data = {source: "fub_person", status: "ok", details: {action: $input.action, new: $input.new}}
    } as $logged
  }

  response = $logged
  actions = {insert: true, update: true, delete: true}
}
