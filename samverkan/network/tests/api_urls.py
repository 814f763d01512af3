"""The network router under /api/network for its tests, until the capability (network/capability.py) mounts it.

Once the capability registers `api_router`, the project's own API serves it and this URLconf just
includes that; before, a NinjaAPI with the project's token auth and error handlers serves it alone.
"""

from __future__ import annotations

from django.urls import path
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError

from samverkan import api as project_api
from samverkan.common.capabilities import installed_capabilities
from samverkan.common.errors import ServiceError
from samverkan.network.api import router

if any(c.api_router is not None and c.api_prefix == "/network" for c in installed_capabilities()):
    urlpatterns = [path("api/", project_api.api.urls)]
else:
    api = NinjaAPI(title="network test", version="test", auth=project_api.AssociationToken(), urls_namespace="nettest")
    api.add_exception_handler(ValidationError, project_api.validation_error)
    api.add_exception_handler(ServiceError, project_api.service_error)
    api.add_exception_handler(AuthenticationError, project_api.authentication_error)
    api.add_exception_handler(HttpError, project_api.http_error)
    api.add_router("/network", router)
    urlpatterns = [path("api/", api.urls)]
