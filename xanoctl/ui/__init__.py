"""How every command speaks: one small module per convention, shared by the commands and by
the library code that talks to a person (the Xano client's progress line).

- :mod:`session`: the settings of one run (``--color``, ``-q``, ``-v``, machine output), set by
  the CLI and read anywhere through :func:`xanoctl.ui.session.current`;
- :mod:`errors`: the one error style, ``xanoctl: error: <what happened>; <what to do>``;
- :mod:`colour`: whether to colour (``--color``, ``NO_COLOR``, ``FORCE_COLOR``, ``TERM=dumb``, a terminal);
- :mod:`progress`: the progress line on a terminal (stderr), for all remote work;
- :mod:`output`: ``--format`` (with the ``--json`` alias), JSON and report printing, terminal width;
- :mod:`words`: plurals and short lists.

This package is a bottom layer: it imports nothing else of xanoctl but :mod:`xanoctl.errors`,
and nothing heavy (``xanoctl --help`` loads it).
"""
