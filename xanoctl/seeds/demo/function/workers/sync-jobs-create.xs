// Queues a Follow Up Boss import for one agent: the Sync Jobs - Start task runs it.
function "Workers/Sync Jobs - Create" {
  input {
    int ad_user_id
  }

  stack {
    db.add sync_job {
      data = {ad_user_id: $input.ad_user_id, status: "New"}
    } as $job
  }

  response = {success: true, data: {job_id: $job.id}, error: null, step: "Workers/Sync Jobs - Create"}
}