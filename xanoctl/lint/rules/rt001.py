r"""Two endpoints of one API group answer the same verb and path.

Xano routes a request to one of them; the other never answers. Paths that differ only in the
names of their parameters are the same route (`users/{id}` and `users/{user_id}`), and so are
paths that differ only by a leading or trailing `/`. Each endpoint of the pair is reported,
naming the other, so that the finding shows whichever file is changed. Endpoints without an
`api_group` are left alone.

Bad::

    query "users/{id}" verb=GET {
      api_group = "App"
      input {
        int id
      }
      stack {
        db.get user {
          field_name = "id"
          field_value = $input.id
        } as $user
      }
      response = $user
    }
    ---
    query "users/{user_id}" verb=GET {
      api_group = "App"
      input {
        int user_id
      }
      stack {
        db.get user {
          field_name = "id"
          field_value = $input.user_id
        } as $user
      }
      response = $user
    }

Good::

    query "users/{id}" verb=GET {
      api_group = "App"
      input {
        int id
      }
      stack {
        db.get user {
          field_name = "id"
          field_value = $input.id
        } as $user
      }
      response = $user
    }
    ---
    query "users/{user_id}" verb=DELETE {
      api_group = "App"
      input {
        int user_id
      }
      stack {
        db.del user {
          field_name = "id"
          field_value = $input.user_id
        }
      }
      response = null
    }
"""

from __future__ import annotations

import os
import re
from collections import defaultdict
from typing import Iterator

from xanoctl.lint.finding import Problem

CODE = "RT001"
NAME = "duplicate-route"
SEVERITY = "error"
OPTIONS: dict = {}
SCOPE = "workspace"

_PARAM = re.compile(r"\{[^{}]*\}")


def route(path: str) -> str:
    """The route a path answers: parameters unnamed, outer slashes dropped
    (``/users/{user_id}/`` -> ``users/{}``)."""
    return _PARAM.sub("{}", path.strip().strip("/"))


def check(index, ctx) -> Iterator[Problem]:
    routes: dict[tuple[str, str, str], list] = defaultdict(list)
    for doc in index.documents:
        if doc.kind == "query" and doc.group and doc.verb:
            routes[(doc.group, doc.verb.upper(), route(doc.name))].append(doc)
    for (group, verb, _), docs in routes.items():
        if len(docs) < 2:
            continue
        for doc in docs:
            others = [other for other in docs if other is not doc]
            named = ", ".join(f"`{verb} {other.name}` ({os.path.basename(other.path)})" for other in others[:3])
            more = f" and {len(others) - 3} more" if len(others) > 3 else ""
            message = (f"`{verb} {doc.name}` of API group `{group}` is the same route as {named}{more}: "
                       f"only one of them answers")
            yield Problem(doc.pos, message, None, doc.path, doc.obj)
