r"""Two endpoints of one API group answer the same verb and path.

Xano routes a request to one of them; the other never answers. Paths that differ only in the
names of their parameters are the same route (`users/{id}` and `users/{user_id}`), and so are
paths that differ only by a leading or trailing `/`. Each endpoint of the pair is reported,
naming the other, so that the finding shows whichever file is changed. An endpoint's group is
its `api_group` setting or, in exports that leave it out, the group whose `api_group` document
sits in its folder or one above; an endpoint of no known group is left alone.

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
    for (group, verb, _), docs in routes_of(index).items():
        if len(docs) < 2:
            continue
        for doc in docs:
            if not index.in_focus(doc.path):
                continue
            others = [other for other in docs if other is not doc]
            named = ", ".join(f"`{verb} {other.name}` ({os.path.basename(other.path)})" for other in others[:3])
            more = f" and {len(others) - 3} more" if len(others) > 3 else ""
            message = (f"`{verb} {doc.name}` of API group `{group}` is the same route as {named}{more}: "
                       f"only one of them answers")
            yield Problem(doc.pos, message, None, doc.path, doc.obj)


def routes_of(index) -> dict[tuple[str, str, str], list]:
    """Every endpoint of the workspace by (API group, verb, route)."""
    groups = {os.path.dirname(doc.path): doc.name for doc in index.every_document if doc.kind == "api_group"}
    routes: dict[tuple[str, str, str], list] = defaultdict(list)
    for doc in index.every_document:
        if doc.kind == "query" and doc.verb:
            group = doc.group or _folder_group(doc.path, groups)
            if group:
                routes[(group, doc.verb.upper(), route(doc.name))].append(doc)
    return routes


def _folder_group(path: str, groups: dict[str, str]) -> str | None:
    """The API group of an endpoint without an ``api_group`` setting: the group whose
    ``api_group`` document sits in the endpoint's folder or a folder above it (exports that
    lay out ``apis/<group>/api_group.xs`` beside the group's endpoints)."""
    folder = os.path.dirname(path)
    for _ in range(4):
        if folder in groups:
            return groups[folder]
        parent = os.path.dirname(folder)
        if parent == folder:
            break
        folder = parent
    return None
