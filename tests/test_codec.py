import json

from hypothesis import given

from events.codec import decode, encode, event_id
from tests.strategies import any_event


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
