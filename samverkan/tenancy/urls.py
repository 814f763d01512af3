from django.urls import path

from . import views

app_name = "tenancy"

urlpatterns = [
    path("", views.home, name="home"),
    path("byt-forbund/", views.switch, name="switch"),
    path("f/<slug:slug>/", views.start, name="start"),
    path("f/<slug:slug>/kommer/<slug:key>/", views.coming, name="coming"),
    path("f/<slug:slug>/installningar/", views.association_settings, name="settings"),
    path("f/<slug:slug>/installningar/nycklar/<int:token_id>/ta-bort/", views.token_revoke, name="token_revoke"),
]
