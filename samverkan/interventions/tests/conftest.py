from samverkan.interventions.tests.participant_fixtures import world  # noqa: F401
