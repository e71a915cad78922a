"""Correcting an article's metadata after it was read: an ArticleMetadataCorrected event, never an edit.

`Timeline.correct_article` records one correction (outlet, title, url,
publication date) with who made it and why; `Timeline.update_metadata` reads a
folder's manifest.csv again and records a correction for each article already
in the log whose row now says otherwise (what `timeline ingest DIR
--update-metadata` does for the articles that are present). What the
correction changes in the answers, and what it leaves as recorded, is
projections.metadata's to say.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from events.model import ARTICLE_FIELDS, ArticleMetadataCorrected
from events.store import Store
from projections.questions import MIN_PREFIX, ReadModel
from timeline.errors import TimelineError
from timeline.review import reviewer_name


def _text(value: Any, what: str) -> str | None:
    """A metadata field as given: None when not given; refused when blank or holding control characters."""
    if value is None:
        return None
    text = " ".join(str(value).split())
    if not text:
        raise TimelineError(f"{what} is empty: give the corrected {what}, or leave it out", param=what)
    if any(ord(c) < 32 or ord(c) == 127 for c in str(value).replace("\t", " ")):
        raise TimelineError(f"the {what} holds control characters")
    return text


def _published(value: Any) -> dt.date | None:
    from timeline.dates import parse_date

    if value is None:
        return None
    return parse_date(value, "published", param="published")


class ArticleDesk:
    """The article verbs: an article found by id or name, and corrections of its metadata appended to the log."""

    def __init__(self, store: Store, read_model: ReadModel) -> None:
        self.store = store
        self.read_model = read_model

    def article(self, ref: str) -> dict[str, Any]:
        """An ingested article by its id, a unique prefix of it (6 characters or more) or its file name, with its
        metadata as it stands now (after any correction): article_id, file, position, outlet, title, url,
        published, published_origin."""
        found = self.read_model.articles_matching(ref.strip(), MIN_PREFIX)
        if not found:
            raise TimelineError(f"no article in the log has the id or file name {ref!r} (see `timeline log`)")
        if len(found) > 1:
            names = ", ".join(f"{a['file']} ({a['article_id'][:12]})" for a in found[:3])
            raise TimelineError(f"{ref!r} names {len(found)} articles: {names}; give its id")
        return found[0]

    def correct_article(self, ref: str, *, outlet: str | None = None, title: str | None = None,
                        url: str | None = None, published: Any = None, note: str = "",
                        reviewer: str | None = None) -> dict[str, Any]:
        """Record a correction of an article's metadata (the fields given; the others stay as they are).

        Refused, with nothing written, when the article is unknown, no field is given, a date is not one, no
        reviewer is named, or every field given already has that value.
        """
        given = {"outlet": _text(outlet, "outlet"), "title": _text(title, "title"), "url": _text(url, "url"),
                 "published": _published(published)}
        if all(v is None for v in given.values()):
            raise TimelineError("nothing to correct: give an outlet, a title, a url or a published date",
                                param=("outlet", "title", "url", "published"))
        who = reviewer_name(reviewer)
        art = self.article(ref)
        event = self._correction(art, given, who, note)
        if event is None:
            raise TimelineError(f"nothing to correct: {art['file']} already has "
                                + ", ".join(f"{k} {_shown(v)}" for k, v in given.items() if v is not None))
        result = self.store.append([event])
        return _receipt(art, event, result.appended[0].position if result.appended else None)

    def _correction(self, art: dict[str, Any], given: dict[str, Any], who: str,
                    note: str) -> ArticleMetadataCorrected | None:
        """The correction that sets the given fields that differ from the article's current ones, or None."""
        from events.chain import utc_now

        changes = {k: v for k, v in given.items() if v is not None and v != art[k]}
        if not changes:
            return None
        return ArticleMetadataCorrected(art["article_id"], who, utc_now(), " ".join((note or "").split()), **changes)

    def update_metadata(self, paths: Iterable[str | os.PathLike], *, reviewer: str | None = None,
                        note: str = "") -> list[dict[str, Any]]:
        """Read the manifests of these folders again and record a correction for every article already in the
        log whose row now gives another outlet, title, url or publication date; one transaction. A folder whose
        manifest has a problem is refused as `ingest` refuses it, with nothing written."""
        from events.sources.articles import read_manifest
        from events.codec import article_id, event_id

        who = reviewer_name(reviewer)
        note = " ".join((note or "").split()) or "metadata read again from manifest.csv"
        planned: list[tuple[dict[str, Any], ArticleMetadataCorrected]] = []
        for p in paths:
            folder = Path(p)
            if not folder.is_dir():
                continue
            manifest = read_manifest(folder)
            if manifest.problems:
                first = manifest.problems[0]
                raise TimelineError(f"{first.file}: {first.message}; nothing was corrected")
            for name, source in sorted(manifest.rows.items()):
                try:
                    aid = article_id(source.path.read_bytes())
                except OSError as err:
                    raise TimelineError(f"{source.path}: cannot read: {err.strerror or err}") from None
                if not self.store.contains([aid]):
                    continue
                art = self.article(aid)
                m = source.meta
                event = self._correction(art, {"outlet": m.outlet, "title": m.title, "url": m.url,
                                               "published": m.published}, who, note)
                if event is not None:
                    planned.append((art, event))
        if not planned:
            return []
        appended = {r.id: r.position for r in self.store.append([e for _, e in planned]).appended}
        return [_receipt(art, e, appended.get(event_id(e))) for art, e in planned]


def _shown(value: Any) -> str:
    return value.isoformat() if isinstance(value, dt.date) else repr(value)


def _receipt(art: dict[str, Any], event: ArticleMetadataCorrected, position: int | None) -> dict[str, Any]:
    """What a correction recorded: the article, each field from and to, who and why, and its position."""
    changes = event.changes()
    return {
        "article_id": art["article_id"], "file": art["file"], "position": position,
        "changes": {k: {"from": _iso(art[k]), "to": _iso(v)} for k, v in changes.items()},
        "reviewer": event.reviewer, "note": event.note, "at": event.at,
    }


def _iso(value: Any) -> Any:
    return value.isoformat() if isinstance(value, dt.date) else value


__all__ = ["ARTICLE_FIELDS", "ArticleDesk"]
