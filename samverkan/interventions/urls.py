from django.urls import path

from . import audit_views, import_views, portfolio_views, views
from .participant_urls import urlpatterns as participant_urlpatterns

app_name = "interventions"

urlpatterns = [
    path("f/<slug:slug>/insatser/", views.intervention_list, name="intervention_list"),
    path("f/<slug:slug>/insatser/ny/", views.intervention_create, name="intervention_create"),
    path("f/<slug:slug>/insatser/portfolj/", portfolio_views.portfolio, name="portfolio"),
    path("f/<slug:slug>/insatser/portfolj.xlsx", portfolio_views.portfolio_export, name="portfolio_export"),
    path("f/<slug:slug>/insatser/deltagarimport/", import_views.participant_import, name="participant_import"),
    path(
        "f/<slug:slug>/insatser/deltagarimport/mall.<str:fmt>",
        import_views.participant_import_template,
        name="participant_import_template",
    ),
    path("f/<slug:slug>/insatser/logg/", audit_views.audit_log, name="audit_log"),
    path("f/<slug:slug>/insatser/<int:pk>/", views.intervention_detail, name="intervention_detail"),
    path("f/<slug:slug>/insatser/<int:pk>/andra/", views.intervention_edit, name="intervention_edit"),
    path("f/<slug:slug>/insatser/<int:pk>/radera/", views.intervention_delete, name="intervention_delete"),
    *participant_urlpatterns,
]
