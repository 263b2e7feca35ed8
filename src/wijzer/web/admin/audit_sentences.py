"""Audit entries as sentences a civil servant reads aloud: who did what to which listing, when.

"anna@example.nl approved the change to the deadlines of X on 3 Dec 2026: 1 Mar 2027 →
15 Mar 2027". Titles are looked up once per page; values are worded as in the queue's diffs.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import Session

from wijzer.catalog.curation.editing import EDITABLE_FIELDS
from wijzer.catalog.curation_models import AuditEntry
from wijzer.catalog.models import Instrument
from wijzer.i18n import formatting
from wijzer.web.admin.wording import label_of, value_words
from wijzer.web.presentation import lang

# Actions that change fields of one listing; their before/after are {field: value}.
FIELD_ACTIONS = ("edit", "bulk_tag", "remove_override")


def action_words(action: str) -> str:
    """An action's name for the audit filter."""
    words = {
        "approve": _("approved"),
        "reject": _("rejected"),
        "edit": _("edited"),
        "bulk_tag": _("tagged in bulk"),
        "remove_override": _("crawled value restored"),
        "create_manual": _("listing created"),
        "merge": _("merged"),
        "auto_merge": _("merged automatically"),
        "split": _("split off"),
        "keep_apart": _("kept apart"),
        "source_policy": _("source policy set"),
        "set_role": _("role changed"),
        "create_user": _("account created"),
        "login": _("logged in"),
        "password_changed": _("password changed"),
    }
    if action in words:
        return words[action]
    if action.startswith("login_"):
        return _("failed login")
    return action


def titles_of(session: Session, rows: Iterable[AuditEntry]) -> dict[str, str]:
    """The titles of every listing the entries name (targets and merged records)."""
    ids: set[str] = set()
    for row in rows:
        ids.add(row.target)
        for side in (row.before, row.after):
            if isinstance(side, Mapping):
                ids.update(str(side[k]) for k in ("merged_id", "other") if side.get(k))
    stmt = select(Instrument.id, Instrument.title).where(Instrument.id.in_(sorted(ids)))
    return {i: t for i, t in session.execute(stmt)}


def _side(value: Any) -> Mapping[str, Any]:
    return value if isinstance(value, Mapping) else {}


def sentences(entry: AuditEntry, titles: Mapping[str, str]) -> list[str]:
    """One sentence per thing the entry did (an edit of three fields: three sentences)."""
    before, after = _side(entry.before), _side(entry.after)
    day = formatting.format_date(entry.at, lang(), "medium")
    who = entry.who
    title = titles.get(entry.target, entry.target)

    def named(key: str) -> str:
        other = str(after.get(key) or before.get(key) or "")
        return titles.get(other, other)

    action = entry.action
    if action in FIELD_ACTIONS:
        return [
            _(
                "%(who)s changed the %(field)s of %(title)s on %(day)s: %(old)s → %(new)s",
                who=who,
                field=label_of(name).lower(),
                title=title,
                day=day,
                old=value_words(name, before.get(name)),
                new=value_words(name, after.get(name)),
            )
            for name in sorted(set(before) | set(after))
        ]
    if action in ("approve", "reject"):
        values = {"who": who, "title": title, "day": day}
        changes = before.get("changes") or {}
        if action == "reject":
            return [_("%(who)s rejected and hid %(title)s on %(day)s", **values)]
        shown = [name for name in sorted(changes) if name in EDITABLE_FIELDS]
        if shown:
            return [
                _(
                    "%(who)s approved the change to the %(field)s of %(title)s on %(day)s:"
                    " %(old)s → %(new)s",
                    field=label_of(name).lower(),
                    old=value_words(name, changes[name][0]),
                    new=value_words(name, changes[name][1]),
                    **values,
                )
                for name in shown
            ]
        if before.get("flags"):
            return [_("%(who)s approved the change to %(title)s on %(day)s", **values)]
        return [_("%(who)s approved and published %(title)s on %(day)s", **values)]
    simple = {
        "create_manual": _("%(who)s created the listing %(title)s on %(day)s"),
        "merge": _("%(who)s merged %(other)s into %(title)s on %(day)s"),
        "auto_merge": _("%(who)s merged %(other)s into %(title)s on %(day)s"),
        "split": _("%(who)s split %(other)s off %(title)s on %(day)s"),
        "keep_apart": _("%(who)s kept %(title)s and %(other)s apart on %(day)s"),
        "login": _("%(who)s logged in on %(day)s"),
        "password_changed": _("%(who)s changed the password of %(title)s on %(day)s"),
        "create_user": _("%(who)s created the staff account %(title)s (%(role)s) on %(day)s"),
        "set_role": _("%(who)s gave %(title)s the role %(role)s on %(day)s"),
    }
    if action == "source_policy":
        template = (
            _("%(who)s set %(title)s to publish new listings at once on %(day)s")
            if after.get("auto_publish")
            else _("%(who)s set %(title)s to hold new listings for review on %(day)s")
        )
    elif action.startswith("login_"):
        template = _("Failed login as %(title)s from %(ip)s on %(day)s")
    else:
        template = simple.get(action, _("%(who)s: %(action)s %(title)s on %(day)s"))
    values = {
        "who": who,
        "title": title,
        "day": day,
        "other": named("merged_id") if action != "keep_apart" else named("other"),
        "role": role_words(str(after.get("role") or "")),
        "ip": str(after.get("ip") or _("an unknown address")),
        "action": action_words(action),
    }
    return [template % values]


def role_words(role: str) -> str:
    return {"curator": _("curator"), "admin": _("administrator")}.get(role, role)
