# Temporary until h-iport's urls.py is merged: then keep theirs and add `*participant_urls.urlpatterns`.
from .participant_urls import urlpatterns as participant_urlpatterns

app_name = "interventions"

urlpatterns = [*participant_urlpatterns]
