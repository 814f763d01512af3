# Placeholder in the narrative branch (h-wnarr): the live-session branch owns this module; at merge its
# urlpatterns gain `*narrative_urls.urlpatterns` (same "workshops" namespace).
from .narrative_urls import urlpatterns as narrative_urlpatterns

app_name = "workshops"

urlpatterns = [*narrative_urlpatterns]
