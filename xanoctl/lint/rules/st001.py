r"""A state that a run enters and always leaves, which nothing ever selects rows in.

A job's "Started" written before its "Complete" in the same run: when the run dies between the
two writes (a timeout, a deploy, an error that no `catch` handles), the row stays in "Started"
for good, and when no task, trigger or endpoint selects rows in that state, nothing ever picks
it up. Reported on the write that enters the state; add a task that resets or retries rows
stuck in it. The state machines are those of `xanoctl docs` (an `enum` column, or a `text`
column written only with literals). Silent when anything selects or tests rows in that state
(`where`, `field_value`, an `if` on the row; `!=` and comparisons with a computed value
count), when both writes are in one `db.transaction`, when a run may end in that state, and
when the column is also written with a computed value or on a row whose state the code does not
tell (a row found by an id from the input): a row could leave the state that way.

Bad::

    table job {
      schema {
        int id
        enum status?=New {
          values = ["New", "Started", "Complete"]
        }
      }
    }
    ---
    task "Jobs - Start" {
      stack {
        db.query job {
          where = $db.job.status == "New"
        } as $jobs
        foreach ($jobs) {
          each as $job {
            db.edit job {
              field_name = "id"
              field_value = $job.id
              data = {status: "Started"}
            }
            db.edit job {
              field_name = "id"
              field_value = $job.id
              data = {status: "Complete"}
            }
          }
        }
      }
      schedule = [{starts_on: 2025-01-01 00:00:00+0000, freq: 300}]
    }

Good::

    table job {
      schema {
        int id
        enum status?=New {
          values = ["New", "Started", "Complete"]
        }
      }
    }
    ---
    task "Jobs - Start" {
      stack {
        db.query job {
          where = $db.job.status == "New"
        } as $jobs
        foreach ($jobs) {
          each as $job {
            db.edit job {
              field_name = "id"
              field_value = $job.id
              data = {status: "Started"}
            }
            db.edit job {
              field_name = "id"
              field_value = $job.id
              data = {status: "Complete"}
            }
          }
        }
      }
      schedule = [{starts_on: 2025-01-01 00:00:00+0000, freq: 300}]
    }
    ---
    task "Jobs - Reset stuck" {
      stack {
        db.query job {
          where = $db.job.status == "Started"
        } as $stuck
        foreach ($stuck) {
          each as $job {
            db.edit job {
              field_name = "id"
              field_value = $job.id
              data = {status: "New"}
            }
          }
        }
      }
      schedule = [{starts_on: 2025-01-01 00:00:00+0000, freq: 3600}]
    }
"""

from __future__ import annotations

from typing import Iterator

from xanoctl.lint.finding import Problem

CODE = "ST001"
NAME = "stuck-state"
SEVERITY = "warning"
OPTIONS: dict = {}
SCOPE = "workspace"


def check(index, ctx) -> Iterator[Problem]:
    for machine in index.machines:
        for doc, write in machine.stuck():
            if not index.in_focus(doc.path):
                continue
            state = write.value
            then = ", ".join(f'"{value}"' if value else "a computed value" for value in write.then)
            message = (f'`{machine.name}` enters "{state}" here and the same run leaves it ({then}), but no '
                       f'task, trigger or endpoint selects rows in "{state}": a run dying between the two '
                       f'writes leaves the row there for good; add a task that resets or retries rows stuck '
                       f'in "{state}"')
            yield Problem(write.pos, message, None, doc.path, doc.obj)
