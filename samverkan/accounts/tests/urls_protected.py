"""The project's URLs plus one association page under require_second_factor, for the policy's tests."""

from django.http import HttpRequest, HttpResponse
from django.urls import path

from samverkan.accounts.second_factor import require_second_factor
from samverkan.tenancy.scoping import association_view
from samverkan.urls import urlpatterns as project_urlpatterns


@association_view()
@require_second_factor
def participants(request: HttpRequest, association: object) -> HttpResponse:
    return HttpResponse("deltagare")


urlpatterns = [path("f/<slug:slug>/skyddad/", participants, name="protected"), *project_urlpatterns]
