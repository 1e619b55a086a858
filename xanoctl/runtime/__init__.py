"""Running the workspace: ``xanoctl test`` (its unit and workflow tests, through the Metadata
API) and ``xanoctl smoke`` (its endpoints, on its public API).

- :mod:`results`: one result per test or endpoint, and the exit codes;
- :mod:`verdicts`: what passes (a run's ``status`` is ``ok``; an envelope's ``success`` is
  ``true``) and what each failure says;
- :mod:`locate`: the local file and line of each test, and the selection by name, path and
  ``--changed-since`` through the call graph;
- :mod:`tests`: listing and running the tests (``xanoctl test``);
- :mod:`fixtures`, :mod:`endpoints`, :mod:`smoke`: the smoke run's fixtures (``smoke.yaml``),
  the endpoints read from the pulled tree, and the run (``xanoctl smoke``);
- :mod:`ordered`: many calls at once, their results in a stable order;
- :mod:`reports`: text, JSON, JUnit XML and GitHub annotations.

It sits above :mod:`xanoctl.xano` (HTTP to Xano) and :mod:`xanoctl.views` (the workspace read
through the lint index and its graph); the commands in :mod:`xanoctl.commands` are thin.
"""
