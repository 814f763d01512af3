"""The scenario's PDF report and the integration-and-return page (included by urls.py)."""

from django.urls import path

from . import report_views

urlpatterns = [
    path(
        "f/<slug:slug>/samhallsekonomi/scenarier/<int:scenario_id>/rapport.pdf",
        report_views.scenario_pdf,
        name="scenario_pdf",
    ),
    path(
        "f/<slug:slug>/samhallsekonomi/integration-och-avkastning/",
        report_views.integration_return,
        name="integration_return",
    ),
]
