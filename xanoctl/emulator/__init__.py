"""A local Xano Metadata API for tests, demos and benchmarks.

- :mod:`~xanoctl.emulator.store`: workspaces, branches and objects in memory;
- :mod:`~xanoctl.emulator.documents`: validating written XanoScript with the project's parser;
- :mod:`~xanoctl.emulator.faults`: fault specs and injection;
- :mod:`~xanoctl.emulator.state`: one emulator's state (store, tokens, faults, state file, seeds);
- :mod:`~xanoctl.emulator.app`: the ASGI application (the HTTP API);
- :mod:`~xanoctl.emulator.server`: serving it with uvicorn (``run_in_thread``, ``serve``).
"""
