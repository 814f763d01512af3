"""Participant routes; included from the app's urls.py (namespace "interventions")."""

from django.urls import path

from . import participant_views as views

urlpatterns = [
    path("f/<slug:slug>/insatser/<int:intervention_id>/deltagare/", views.participant_list, name="participant_list"),
    path(
        "f/<slug:slug>/insatser/<int:intervention_id>/deltagare/ny/",
        views.participant_create,
        name="participant_create",
    ),
    path(
        "f/<slug:slug>/insatser/<int:intervention_id>/deltagare/anonyma/",
        views.anonymous_create,
        name="anonymous_create",
    ),
    path(
        "f/<slug:slug>/insatser/<int:intervention_id>/deltagare/<int:participant_id>/",
        views.participant_edit,
        name="participant_edit",
    ),
    path(
        "f/<slug:slug>/insatser/<int:intervention_id>/deltagare/<int:participant_id>/radera/",
        views.participant_delete,
        name="participant_delete",
    ),
    path(
        "f/<slug:slug>/insatser/<int:intervention_id>/deltagare/<int:participant_id>/utdrag.pdf",
        views.participant_extract,
        name="participant_extract",
    ),
    path("f/<slug:slug>/insatser/<int:intervention_id>/utfall/", views.outcomes, name="outcomes"),
    path("f/<slug:slug>/insatser/<int:intervention_id>/roller/", views.assignments, name="assignments"),
]
