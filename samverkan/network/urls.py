"""The network app's pages. (Minimal, from the directory part; the survey part owns this file.)"""

from django.urls import include, path

app_name = "network"

urlpatterns = [
    path("", include("samverkan.network.directory_urls")),
]
