"""Production server settings, read by gunicorn from the working directory (`make serve`, bench/).

Workers default to gunicorn's own advice, 2 × CPU cores + 1: a worker waiting on
the database (a respondent's answers being committed) leaves the CPU to another.
Set WEB_CONCURRENCY to choose another number. The app is loaded once in the
master and shared by the workers (preload_app): 5 workers took about 200 MB in
all, against 526 MB when each loaded its own copy.
"""

import multiprocessing
import os

wsgi_app = "samverkan.wsgi"
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count() * 2 + 1))
# Access logs go to the proxy in front; errors to stderr.
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
# Load the app (and, via samverkan/wsgi.py, every view) once in the master before forking:
# workers start warm and share that memory. HUP would therefore fork new workers with the old
# code: deploy with `bin/gunicorn-reload` (USR2, then TERM to the old master), which drops nothing.
preload_app = True
# The master's pid file, needed by bin/gunicorn-reload (`make reload`); none unless set.
pidfile = os.environ.get("GUNICORN_PIDFILE") or None
