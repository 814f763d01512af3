"""The collaboration map's pages: the network survey (rounds, answering, results) and the directory."""

from django.urls import include, path

from . import answer_views, views

app_name = "network"

urlpatterns = [
    # Agency representatives (public, no account): the personal link of a network round, its secret after "#"
    path("karta/svara/", answer_views.answer_start, name="answer_start"),
    path("karta/svara/formular/", answer_views.answer_form, name="answer_form"),
    path("karta/tack/", answer_views.answer_thanks, name="answer_thanks"),
    # Association staff (tenant-scoped): admins run rounds, members read results
    path("f/<slug:slug>/karta/", views.home, name="home"),
    path("f/<slug:slug>/karta/ny/", views.round_create, name="round_create"),
    path("f/<slug:slug>/karta/<int:round_id>/", views.round_detail, name="round_detail"),
    path("f/<slug:slug>/karta/<int:round_id>/jamfor/", views.round_compare, name="round_compare"),
    path("f/<slug:slug>/karta/<int:round_id>/inbjudningar/", views.round_invite, name="round_invite"),
    path("f/<slug:slug>/karta/<int:round_id>/paminn/", views.round_remind, name="round_remind"),
    path("f/<slug:slug>/karta/<int:round_id>/stang/", views.round_close, name="round_close"),
    path("f/<slug:slug>/karta/<int:round_id>/oppna-igen/", views.round_reopen, name="round_reopen"),
    path("f/<slug:slug>/karta/<int:round_id>/export.<slug:fmt>", views.round_export, name="round_export"),
    # The directory ("Vem ringer jag?", its own part): network:directory and the rest
    path("", include("samverkan.network.directory_urls")),
]
