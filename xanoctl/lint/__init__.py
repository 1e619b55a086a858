"""The XanoScript linter: rules over the document model and a workspace index.

Layout: :mod:`.finding` (what is reported), :mod:`.rules` (one module per rule),
:mod:`.analyze` (one file: parse, document rules, facts), :mod:`.index` (the workspace
index), :mod:`.engine` (a run: cache, parallel parsing, workspace rules, suppression,
baseline), :mod:`.formats` (text, json, sarif, github), :mod:`.api` (``lint_paths``),
:mod:`.fixes` (what a fix is), :mod:`.apply_fixes` (applying edits to a text) and
:mod:`.fixing` (``--fix``).
"""
