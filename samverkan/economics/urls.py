from django.urls import include, path

from . import scenario_views as views

app_name = "economics"

SCENARIO = "f/<slug:slug>/samhallsekonomi/scenarier/<int:scenario_id>/"

urlpatterns = [
    path("f/<slug:slug>/samhallsekonomi/", views.scenario_list, name="scenario_list"),
    path("f/<slug:slug>/samhallsekonomi/scenarier/ny/", views.scenario_create, name="scenario_create"),
    path("f/<slug:slug>/samhallsekonomi/scenarier/las-in/", views.scenario_upload, name="scenario_upload"),
    path(SCENARIO, views.scenario_detail, name="scenario_detail"),
    path(SCENARIO + "andra/", views.scenario_edit, name="scenario_edit"),
    path(SCENARIO + "scenario.json", views.scenario_download, name="scenario_json"),
    path(SCENARIO + "kopiera/", views.scenario_duplicate, name="scenario_duplicate"),
    path(SCENARIO + "radera/", views.scenario_delete, name="scenario_delete"),
    # The price table and the KPI (price_urls.py, the prices part).
    path("", include("samverkan.economics.price_urls")),
    # The scenario's PDF report and the integration-and-return page (report_urls.py, the report part).
    path("", include("samverkan.economics.report_urls")),
]
