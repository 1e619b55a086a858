// Records one run of a sync in sync_log and returns the row.
function "Utils/Log - Sync Run" {
  input {
    text source
    enum status {
      values = ["ok", "failed", "skipped"]
    }
  
    int count?=0
    json details?
  }

  stack {
    db.add sync_log {
      data = {
        source    : $input.source
        status    : $input.status
        count     : $input.count
        details   : $input.details
        created_at: now
      }
    } as $log
  }

  response = $log
}