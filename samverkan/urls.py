from django.contrib import admin
from django.urls import include, path

from samverkan.api import api
from samverkan.common.capabilities import installed_capabilities
from samverkan.common.error_pages import favicon
from samverkan.common.views import healthz

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("favicon.ico", favicon, name="favicon"),
    path("admin/", admin.site.urls),
    path("api/", api.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("konto/", include("samverkan.accounts.urls")),
    # Each installed capability's pages (its `urls` in the registry, samverkan/common/capabilities.py), at the
    # root like the tenancy's: every page is /<association slug>/..., the capability picks the rest.
    *(path("", include(c.urls)) for c in installed_capabilities() if c.urls),
    path("", include("samverkan.jobs.urls")),
    path("", include("samverkan.tenancy.urls")),
]

# Error pages in Swedish that need neither the database nor the session (samverkan/common/error_pages.py).
handler400 = "samverkan.common.error_pages.bad_request"
handler403 = "samverkan.common.error_pages.permission_denied"
handler404 = "samverkan.common.error_pages.page_not_found"
handler500 = "samverkan.common.error_pages.server_error"
