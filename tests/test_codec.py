import json

from hypothesis import given

from events.codec import decode, encode, event_id
from events.model import Claim, ClaimReported, DatasetRow, Evidence
from tests.strategies import any_event, claims_reported


@given(any_event)
def test_round_trip_through_canonical_json(event):
    payload = encode(event)
    assert decode(type(event).__name__, payload) == event


@given(any_event)
def test_canonical_json_is_a_fixed_point(event):
    payload = encode(event)
    data = json.loads(payload)
    assert list(data) == sorted(data)
    assert ", " not in payload[:2] and encode(decode(type(event).__name__, payload)) == payload


@given(any_event)
def test_ids_are_derived_from_content(event):
    again = decode(type(event).__name__, encode(event))
    assert event_id(again) == event_id(event)
    assert len(event_id(event)) == 64


def test_unknown_type_is_named():
    import pytest

    from events.codec import DecodeError

    with pytest.raises(DecodeError, match="unknown event type 'Bogus'"):
        decode("Bogus", "{}")


@given(claims_reported())
def test_written_out_hooks_give_what_cattrs_generates(event):
    # The claim types are encoded by hand for speed; cattrs' own generated functions are the reference.
    from cattrs.gen import make_dict_unstructure_fn

    from events.codec import WRITTEN_OUT, converter
    from events.model import Period

    parts = {ClaimReported: event, Claim: event.claim, Evidence: event.evidence}
    if event.claim.period is not None:
        parts[Period] = event.claim.period
    if event.evidence.dataset is not None:
        parts[DatasetRow] = event.evidence.dataset
    for cls, obj in parts.items():
        generated = make_dict_unstructure_fn(cls, converter, _cattrs_omit_if_default=True)
        assert WRITTEN_OUT[cls](obj) == generated(obj)


def test_written_out_hooks_write_integral_floats_as_integers():
    from events.codec import to_data

    claim = Claim("losses.personnel.killed", "RU", 1200.0, "persons", low=1.5, high=1300.0)
    data = to_data(claim)
    assert (data["value"], data["low"], data["high"]) == (1200, 1.5, 1300)
    assert type(data["value"]) is int and type(data["high"]) is int


def test_a_retraction_that_names_no_reviewer_has_the_payload_and_id_it_had_before_reviewers_were_recorded():
    from events.model import ClaimRetracted

    old = ClaimRetracted("ab" * 32, "misread")
    assert json.loads(encode(old)) == {"claim_id": "ab" * 32, "reason": "misread"}
    assert decode("ClaimRetracted", encode(old)) == old
    named = ClaimRetracted("ab" * 32, "misread", "Ann")
    assert json.loads(encode(named))["reviewer"] == "Ann" and event_id(named) != event_id(old)
