from django.urls import path

from . import phone_views, views

app_name = "workshops"

urlpatterns = [
    # Participants (public, no account): join by code, answer from the phone
    path("w/", phone_views.join, name="join"),
    path("w/<str:code>/", phone_views.phone, name="join_code"),
    path("w/<str:code>/lage/", phone_views.room_poll, name="room_poll"),
    path("w/<str:code>/svar/", phone_views.answer_send, name="answer_send"),
    path("w/<str:code>/svar/<uuid:answer_id>/", phone_views.answer_edit, name="answer_edit"),
    path("w/<str:code>/svar/<uuid:answer_id>/ta-bort/", phone_views.answer_withdraw, name="answer_withdraw"),
    # The facilitator (association admins act, members look)
    path("f/<slug:slug>/workshop/", views.workshop_list, name="workshop_list"),
    path("f/<slug:slug>/workshop/ny/", views.workshop_create, name="workshop_create"),
    path("f/<slug:slug>/workshop/<int:workshop_id>/", views.workshop_detail, name="workshop_detail"),
    path("f/<slug:slug>/workshop/<int:workshop_id>/steg/", views.workshop_step, name="workshop_step"),
    path("f/<slug:slug>/workshop/<int:workshop_id>/avsluta/", views.workshop_close, name="workshop_close"),
    path(
        "f/<slug:slug>/workshop/<int:workshop_id>/fraga/<int:prompt_id>/lage/",
        views.prompt_state,
        name="prompt_state",
    ),
    path(
        "f/<slug:slug>/workshop/<int:workshop_id>/svar/<uuid:answer_id>/dolj/",
        views.answer_hide,
        name="answer_hide",
    ),
    path("f/<slug:slug>/workshop/<int:workshop_id>/qr.svg", views.join_qr, name="join_qr"),
    path("f/<slug:slug>/workshop/<int:workshop_id>/skarm/", views.screen, name="screen"),
    path("f/<slug:slug>/workshop/<int:workshop_id>/skarm/nytt/", views.screen_updates, name="screen_updates"),
]

# Themes, codebook, votes and exports (samverkan/workshops/theme_urls.py).
from .theme_urls import urlpatterns as theme_urlpatterns  # noqa: E402

urlpatterns += theme_urlpatterns

# The association's narrative, personas and I-statements (samverkan/workshops/narrative_urls.py).
from .narrative_urls import urlpatterns as narrative_urlpatterns  # noqa: E402

urlpatterns += narrative_urlpatterns
