"""Production server settings, read by gunicorn from the working directory (`make serve`, bench/).

Workers default to gunicorn's own advice, 2 × CPU cores + 1: a worker waiting on
the database (a respondent's answers being committed) leaves the CPU to another.
Set WEB_CONCURRENCY to choose another number, e.g. where memory is tight
(each worker holds its own copy of the app, about 80 MB).
"""

import multiprocessing
import os

wsgi_app = "samverkan.wsgi"
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count() * 2 + 1))
# Access logs go to the proxy in front; errors to stderr.
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
