"""The directory's pages ("Vem ringer jag?"), included by the app's urls.py under the namespace "network"."""

from django.urls import path

from . import directory_views as views

P = "f/<slug:slug>/vem-ringer-jag/"

urlpatterns = [
    path(P, views.directory, name="directory"),
    path(P + "ny/", views.service_create, name="service_create"),
    path(P + "obekraftade/", views.directory_stale, name="directory_stale"),
    path(P + "moten/", views.meeting_requests, name="meeting_requests"),
    path(P + "platser/", views.locations, name="locations"),
    path(P + "platser/ny/", views.location_create, name="location_create"),
    path(P + "platser/<int:location_id>/", views.location_edit, name="location_edit"),
    path(P + "<int:service_id>/", views.service_detail, name="service_detail"),
    path(P + "<int:service_id>/andra/", views.service_edit, name="service_edit"),
    path(P + "<int:service_id>/ta-bort/", views.service_delete, name="service_delete"),
    path(P + "<int:service_id>/mote/", views.meeting_request, name="meeting_request"),
    # Public: the secret comes after "#" and is posted by the page (never in a path or a log).
    path("vem-ringer-jag/svara/", views.meeting_answer, name="meeting_answer"),
    path("vem-ringer-jag/bekrafta/", views.directory_confirm, name="directory_confirm"),
]
