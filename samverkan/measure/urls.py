from django.urls import path

from . import answer_views, export_views, instrument_views, results_views, views

app_name = "measure"

urlpatterns = [
    # Respondents (public, no account); first, as they are the most requested
    path("svara/inbjudan/", answer_views.answer_invitation, name="answer_invitation"),
    path("svara/<str:token>/", answer_views.answer_link, name="answer_link"),
    path("svara-tack/", answer_views.thanks, name="thanks"),
    # Association staff (tenant-scoped)
    path("f/<slug:slug>/mat/", views.campaign_list, name="campaign_list"),
    path("f/<slug:slug>/mat/ny/", views.campaign_create, name="campaign_create"),
    path("f/<slug:slug>/mat/<int:pk>/", views.campaign_detail, name="campaign_detail"),
    path("f/<slug:slug>/mat/<int:pk>/andra/", views.campaign_edit, name="campaign_edit"),
    path("f/<slug:slug>/mat/<int:pk>/stang/", views.campaign_close, name="campaign_close"),
    path("f/<slug:slug>/mat/<int:pk>/oppna-igen/", views.campaign_reopen, name="campaign_reopen"),
    path("f/<slug:slug>/mat/<int:pk>/radera/", views.campaign_delete, name="campaign_delete"),
    path("f/<slug:slug>/mat/<int:pk>/inbjudningar/", views.invitations_send, name="invitations_send"),
    path("f/<slug:slug>/mat/<int:pk>/paminn/", views.invitations_remind, name="invitations_remind"),
    path("f/<slug:slug>/mat/<int:pk>/paminnelsedag/", views.reminder_schedule, name="reminder_schedule"),
    path("f/<slug:slug>/mat/<int:pk>/lank/<slug:group>/qr.svg", views.link_qr, name="link_qr"),
    path("f/<slug:slug>/mat/<int:pk>/resultat/", results_views.results, name="results"),
    path("f/<slug:slug>/mat/<int:pk>/resultat/fritext/", results_views.free_texts, name="free_texts"),
    path("f/<slug:slug>/mat/<int:pk>/rapport.pdf", export_views.report_pdf, name="report_pdf"),
    path("f/<slug:slug>/mat/<int:pk>/export/<slug:kind>.<slug:fmt>", export_views.export, name="export"),
    path("f/<slug:slug>/mat/enkater/", instrument_views.instrument_list, name="instrument_list"),
    path("f/<slug:slug>/mat/enkater/<int:pk>/", instrument_views.instrument_detail, name="instrument_detail"),
    path("f/<slug:slug>/mat/enkater/<int:pk>/kopiera/", instrument_views.instrument_copy, name="instrument_copy"),
    path("f/<slug:slug>/mat/enkater/<int:pk>/ny-fraga/", instrument_views.item_add, name="item_add"),
]
