"""Horizon Europe types of action: what each one funds and whether it is a call for consortia.

A topic states its type of action in its title or summary ("HORIZON Research and Innovation
Actions") or the portal gives it as data (`typesOfAction`). The work programme defines them:
a research and innovation action funds research and development, an innovation action
development and demonstration, a programme co-fund action research programmes, and a
coordination and support action networking and dissemination (none of the listed purposes).
Research and innovation actions and innovation actions are granted to consortia of at least
three independent organisations from three different countries (General Annex B), so they are
calls for consortia across borders whatever the topic's own text says.
"""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class ActionType:
    pattern: re.Pattern[str]
    purposes: tuple[str, ...]
    #: Granted to a consortium of organisations from several countries.
    across_borders: bool


# The more specific first: a "research and innovation action" is no "innovation action".
ACTION_TYPES = (
    ActionType(
        re.compile(r"\bresearch and innovation actions?\b|\(ria\)"),
        ("research", "development"),
        across_borders=True,
    ),
    ActionType(
        re.compile(r"\bcoordination and support actions?\b|\(csa\)"),
        ("other",),
        across_borders=False,
    ),
    ActionType(re.compile(r"\bprogramme co-?fund actions?\b"), ("research",), across_borders=False),
    ActionType(
        re.compile(r"\binnovation actions?\b|\(ia\)"),
        ("development", "demonstration"),
        across_borders=True,
    ),
)


def action_type(folded: str) -> ActionType | None:
    """The type of action a folded text states, if any."""
    return next((a for a in ACTION_TYPES if a.pattern.search(folded)), None)
