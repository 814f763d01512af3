"""WSGI entry point for production servers (gunicorn, see gunicorn.conf.py)."""

import os

from django.core.wsgi import get_wsgi_application
from django.urls import get_resolver

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "samverkan.settings")
application = get_wsgi_application()

# Import every view now rather than on the first request: the URLconf pulls in the statistics
# (scipy), which took a few seconds. With gunicorn's preload_app the workers then start warm
# and share these pages of memory with the master. Nothing here touches the database.
get_resolver().url_patterns  # noqa: B018 — evaluated for its side effect
