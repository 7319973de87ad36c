"""Tools that drive the running app from outside (the load test, first-steps timing): never part of the installed packages.

They start the app as ``make run`` does (``frontdoor.py`` beside ``app.py``) and speak to it over
HTTP, Streamlit's websocket protocol or a headless Chromium; run them from the repository root
(``python -m tools.loadtest``, ``python -m tools.first_steps``). What they need beyond the app's own
requirements is in ``tools/requirements.txt``.
"""
