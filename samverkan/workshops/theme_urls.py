"""The themes' routes, added to the workshop app's urls.py."""

from django.urls import path

from . import theme_views as views

BASE = "f/<slug:slug>/workshop/<int:workshop_id>/teman/"
PROMPT = BASE + "<int:prompt_id>/"

urlpatterns = [
    path("w/<str:code>/rosta/", views.vote_send, name="vote_send"),
    path(BASE, views.themes_page, name="themes"),
    path(BASE + "kodbok.json", views.codebook_export, name="codebook_export"),
    path(BASE + "kodbok/importera/", views.codebook_import, name="codebook_import"),
    path(BASE + "export.<str:fmt>", views.export, name="themes_export"),
    path(PROMPT + "forlopp/", views.grouping_progress, name="grouping_progress"),
    path(PROMPT + "gruppera/", views.grouping_start, name="grouping_start"),
    path(PROMPT + "sla-ihop/", views.themes_merge, name="themes_merge"),
    path(PROMPT + "kodbok/", views.codebook_save, name="codebook_save"),
    path(PROMPT + "rostning/", views.voting_settings, name="voting_settings"),
    path(PROMPT + "tema/<int:theme_id>/", views.theme_edit, name="theme_edit"),
    path(PROMPT + "svar/<uuid:answer_id>/flytta/", views.answer_move, name="answer_move"),
]
