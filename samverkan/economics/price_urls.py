"""The price table's and the KPI's pages; included by economics/urls.py (namespace "economics")."""

from django.urls import path

from . import price_views as views

PRICES = "f/<slug:slug>/samhallsekonomi/priser/"
UNIT_COST = PRICES + "<int:unit_cost_id>/"

urlpatterns = [
    path(PRICES, views.price_list, name="price_list"),
    path(PRICES + "ny/", views.price_create, name="price_create"),
    path(PRICES + "a-priser.xlsx", views.price_export, name="price_export"),
    path(UNIT_COST + "andra/", views.price_edit, name="price_edit"),
    path(UNIT_COST + "radera/", views.price_delete, name="price_delete"),
    path(UNIT_COST + "kopiera/", views.price_copy, name="price_copy"),
    path("f/<slug:slug>/samhallsekonomi/kpi/", views.kpi, name="kpi"),
]
