"""Writes for measure, one module per responsibility; this module re-exports their public names.

- campaigns.py: rounds (create, edit, close, reopen, delete, what deleting deletes)
- invitations.py: personal invitations and their mail
- drafts.py: what a respondent has typed so far
- submissions.py: storing one questionnaire exactly once, and the reasons one is refused
- instrument_services.py: instruments and their local items
- publishing.py: publishing waiting answers in batches

Views, commands and tests call `services.x`; new code may import from the module itself.
"""

from __future__ import annotations

from .campaigns import CampaignContents as CampaignContents
from .campaigns import campaign_close as campaign_close
from .campaigns import campaign_contents as campaign_contents
from .campaigns import campaign_create as campaign_create
from .campaigns import campaign_delete as campaign_delete
from .campaigns import campaign_reopen as campaign_reopen
from .campaigns import campaign_update as campaign_update
from .drafts import DRAFT_MAX_CHARACTERS as DRAFT_MAX_CHARACTERS
from .drafts import DraftState as DraftState
from .drafts import DraftTooLarge as DraftTooLarge
from .drafts import draft_discard as draft_discard
from .drafts import draft_load as draft_load
from .drafts import draft_save as draft_save
from .instrument_services import instrument_copy as instrument_copy
from .instrument_services import instrument_create as instrument_create
from .instrument_services import item_add as item_add
from .invitations import INVITATIONS_JOB as INVITATIONS_JOB
from .invitations import ReminderInProgress as ReminderInProgress
from .invitations import invitation_answered as invitation_answered
from .invitations import invitation_message as invitation_message
from .invitations import invitations_create as invitations_create
from .invitations import invitations_job_key as invitations_job_key
from .invitations import invitations_remind as invitations_remind
from .invitations import invitations_start as invitations_start
from .publishing import responses_publish as responses_publish
from .publishing import responses_waiting as responses_waiting
from .submissions import AlreadySubmitted as AlreadySubmitted
from .submissions import CampaignClosed as CampaignClosed
from .submissions import EmptySubmission as EmptySubmission
from .submissions import InvalidAnswers as InvalidAnswers
from .submissions import InvitationUsed as InvitationUsed
from .submissions import SubmissionError as SubmissionError
from .submissions import _hallmark_scores as _hallmark_scores  # bench/results_page.py builds scores with it
from .submissions import response_submit as response_submit
