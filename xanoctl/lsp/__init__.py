"""``xanoctl lsp``: the linter, the workspace index and its views served to editors over the
Language Server Protocol (pygls, lsprotocol types).

A thin adapter, as the command line is: :mod:`xanoctl.lint.live` keeps the workspace's facts
and index current one document at a time and gives each file the findings of a whole lint run;
this package turns them into the protocol's terms.

- ``positions``: 1-based character positions <-> the protocol's (0-based lines, UTF-16 columns);
- ``diagnostics``: a finding as a diagnostic (code, link to the rule, severity, related places, tags);
- ``documents``: what the server knows of one open text (version, lines, parsed model);
- ``session``: the workspace the editor opened (found as ``xanoctl lint`` finds it), the open
  documents, what to re-check after an edit and what to publish;
- ``cursor``: what stands at a position of a text (a name, ``$input.x``, a filter, a rule code);
- ``navigation``: definition, references, document and workspace symbols, hover;
- ``completion``; ``actions``: code actions and rename;
- ``server``: the pygls server wiring the protocol's messages to the session.
"""
