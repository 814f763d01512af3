from django.urls import path

from . import views

app_name = "jobs"

urlpatterns = [
    path("f/<slug:slug>/jobb/<uuid:job_id>/", views.job_status, name="status"),
    path("f/<slug:slug>/jobb/<uuid:job_id>/hamta/", views.job_download, name="download"),
]
