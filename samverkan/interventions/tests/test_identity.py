"""Personal identity numbers: checksum-validated, kept only as a keyed hash that changes with the key."""

from __future__ import annotations

import pytest

from samverkan.interventions import identity

VALID = "19900101-0017"
VALID_SHORT = "900101-0017"
BAD_CHECKSUM = "19900101-0018"


def test_valid_number_is_accepted_in_every_usual_form() -> None:
    assert identity.normalise(VALID) == identity.normalise(VALID_SHORT) == identity.normalise("199001010017")


@pytest.mark.parametrize("number", [BAD_CHECKSUM, "19901301-0017", "abc", "", "1990010100"])
def test_bad_checksum_or_date_is_refused_without_quoting_the_number(number: str) -> None:
    with pytest.raises(identity.InvalidIdentityNumber) as caught:
        identity.identity_hash(number)
    assert number not in str(caught.value) or not number
    assert caught.value.__cause__ is None and caught.value.__suppress_context__


def test_hash_never_equals_or_reveals_the_number(settings) -> None:
    settings.SAMVERKAN_PERSONNUMMER_KEY = "test-key-1"
    hashed = identity.identity_hash(VALID)
    assert len(hashed.digest) == 64 and len(hashed.key_id) == 8
    for form in (VALID, VALID_SHORT, "199001010017", "9001010017", "0017"):
        assert form not in hashed.digest
        assert form.replace("-", "") not in hashed.digest


def test_hash_changes_with_the_key(settings) -> None:
    settings.SAMVERKAN_PERSONNUMMER_KEY = "key-a"
    a = identity.identity_hash(VALID)
    settings.SAMVERKAN_PERSONNUMMER_KEY = "key-b"
    b = identity.identity_hash(VALID)
    assert a.digest != b.digest and a.key_id != b.key_id


def test_without_a_key_of_its_own_the_hash_is_keyed_by_the_secret_key(settings) -> None:
    settings.SAMVERKAN_PERSONNUMMER_KEY = ""
    settings.SECRET_KEY = "s1" * 30
    a = identity.identity_hash(VALID)
    settings.SECRET_KEY = "s2" * 30
    assert identity.identity_hash(VALID) != a


def test_old_keys_still_match_while_rehashing(settings) -> None:
    settings.SAMVERKAN_PERSONNUMMER_KEY = "old"
    old = identity.identity_hash(VALID)
    settings.SAMVERKAN_PERSONNUMMER_KEY = "new"
    settings.SAMVERKAN_PERSONNUMMER_OLD_KEYS = ["old"]
    candidates = identity.candidate_hashes(VALID)
    assert candidates[0] == identity.identity_hash(VALID)
    assert old in candidates
    assert identity.current_key_id() == candidates[0].key_id
