"""The envelope of an event as it stands in the log: position, id, hash chain and payload.

It lives apart from the event model because it decodes its own payload
(events.codec), and the codec is built on the model: model <- codec <- envelope.
The codec (and cattrs under it) is imported by the first event decoded, not
with the envelope: a command that reads the read models alone (asof) never
decodes an event.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from attrs import field, frozen

if TYPE_CHECKING:
    from events.model import Event


@frozen
class Recorded:
    """An event as it stands in the log, with its envelope."""

    position: int
    id: str
    type: str
    version: int
    recorded_at: str
    payload: str
    prev_hash: str
    hash: str
    data: Any = field(default=None, eq=False, repr=False)  # the payload as plain data, when at hand

    @property
    def event(self) -> Event:
        """The decoded event (decoded on each access: keep it if you need it twice)."""
        return _decode(self.type, self.payload)


def _decode(type_name: str, payload: str) -> Event:
    """events.codec.decode, imported on first use; then the name is that function itself."""
    global _decode
    from events.codec import decode

    _decode = decode
    return decode(type_name, payload)
