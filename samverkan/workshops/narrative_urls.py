"""The narrative's pages, included into the workshops app's urls (namespace "workshops")."""

from django.urls import path

from . import narrative_views as views

urlpatterns = [
    path("f/<slug:slug>/workshop/berattelse/", views.narrative, name="narrative"),
    path("f/<slug:slug>/workshop/berattelse/starta/", views.narrative_start, name="narrative_start"),
    path("f/<slug:slug>/workshop/berattelse/andra/", views.narrative_edit, name="narrative_edit"),
    path("f/<slug:slug>/workshop/berattelse/personer/ny/", views.persona_add, name="persona_add"),
    path("f/<slug:slug>/workshop/berattelse/personer/<int:persona_id>/", views.persona_edit, name="persona_edit"),
    path(
        "f/<slug:slug>/workshop/berattelse/personer/<int:persona_id>/ta-bort/",
        views.persona_delete,
        name="persona_delete",
    ),
    path("f/<slug:slug>/workshop/berattelse/pastaenden/ny/", views.statement_add, name="statement_add"),
    path(
        "f/<slug:slug>/workshop/berattelse/pastaenden/<int:statement_id>/",
        views.statement_edit,
        name="statement_edit",
    ),
    path(
        "f/<slug:slug>/workshop/berattelse/pastaenden/<int:statement_id>/ta-bort/",
        views.statement_delete,
        name="statement_delete",
    ),
    path(
        "f/<slug:slug>/workshop/berattelse/pastaenden/<int:statement_id>/till-enkaten/",
        views.statement_make_item,
        name="statement_make_item",
    ),
    path("f/<slug:slug>/workshop/berattelse/versioner/", views.version_list, name="narrative_versions"),
    path("f/<slug:slug>/workshop/berattelse/versioner/jamfor/", views.version_compare, name="narrative_compare"),
    path(
        "f/<slug:slug>/workshop/berattelse/versioner/<int:version_id>/",
        views.version_detail,
        name="narrative_version",
    ),
]
