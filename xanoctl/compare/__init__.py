"""``xanoctl compare``: two versions of a workspace, object by object.

:mod:`sides` reads a side (a folder, a git revision, a live workspace) into files without
writing any; :mod:`objects` turns the files into objects with the facts the linter keeps;
:mod:`match` pairs the objects of both sides and tells what changed, aspect by aspect;
:mod:`report` renders the result as text, Markdown or JSON.
"""
