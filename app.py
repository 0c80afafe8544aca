"""Entry point for `flask --app app ...` and for gunicorn (`app:app`).

The cyclic garbage collector is off while the app is imported and built: start-up creates about
100,000 objects that live as long as the process and no garbage worth collecting, and the
collector would walk them over and over (about 150 collections, 15–25 ms of CPU on every command
and worker start). It is back on, as it was, before anything else runs.
"""

import gc

collecting = gc.isenabled()
gc.disable()
try:
    from snt import create_app

    app = create_app()
finally:
    if collecting:
        gc.enable()
