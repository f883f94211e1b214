"""Hanging protocols: which layout a study opens in and what each viewport shows.

Rules are data (``resources/reading/hanging_protocols.json``, and a reader's own file
saved from the viewer): the first rule whose modality, body part, description words
and number of priors match the opened study wins. Each of its viewports names a study
(the current one or the newest prior) and, optionally, words of a series description;
the largest volume of that study fills a viewport whose words match nothing, so a
rule never leaves the reader with an empty screen because a description changed.

Qt-free: the viewer maps :class:`GridLayout` to its own layouts and the series UIDs to
viewports. A file that does not follow the format is refused whole with the reason.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from importlib import resources
from typing import Any

from clinic_app.errors import InvalidInput
from clinic_app.i18n import QT_TRANSLATE_NOOP, translate

#: Most rules a file may hold (a reader's own file is read on every study opened).
MAX_RULES = 200


class GridLayout(StrEnum):
    ONE = "1x1"
    ONE_BY_TWO = "1x2"
    TWO_BY_TWO = "2x2"
    MPR = "mpr"


class StudyRole(StrEnum):
    CURRENT = "current"
    PRIOR = "prior"


CELLS = {GridLayout.ONE: 1, GridLayout.ONE_BY_TWO: 2, GridLayout.TWO_BY_TWO: 4, GridLayout.MPR: 1}


@dataclass(frozen=True)
class ViewportPick:
    study: StudyRole
    #: Words of the series description (any, case-insensitive); empty: the largest volume.
    series: tuple[str, ...] = ()


@dataclass(frozen=True)
class Rule:
    name: str
    modality: str  # "" matches any
    body_part: tuple[str, ...]  # any of these words in a body part or description; () = any
    description: tuple[str, ...]  # any in the study description; () = any
    min_priors: int
    layout: GridLayout
    viewports: tuple[ViewportPick, ...]


@dataclass(frozen=True)
class SeriesFacts:
    """What a rule looks at in one series."""

    series_uid: str
    modality: str
    body_part: str
    description: str
    slices: int
    volume: bool


@dataclass(frozen=True)
class StudyFacts:
    description: str
    series: tuple[SeriesFacts, ...]


def _words(value: Any, where: str) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(w, str) and w.strip() for w in value):
        raise InvalidInput(translate("hanging", "{where} must be a word or a list of words.")
                           .format(where=where))
    return tuple(w.strip().upper() for w in value)


def _rule(raw: Any, n: int) -> Rule:
    where = translate("hanging", "Rule {n}").format(n=n)
    if not isinstance(raw, dict):
        raise InvalidInput(translate("hanging", "{where} is not an object.").format(where=where))
    try:
        layout = GridLayout(str(raw.get("layout", "")).lower())
    except ValueError:
        raise InvalidInput(translate("hanging", "{where}: layout must be one of {choices}.").format(
            where=where, choices=", ".join(g.value for g in GridLayout))) from None
    picks = raw.get("viewports") or [{"study": "current"}]
    if not isinstance(picks, list) or len(picks) > CELLS[layout]:
        raise InvalidInput(translate("hanging", "{where}: a {layout} layout has {cells} viewport(s).")
                           .format(where=where, layout=layout.value, cells=CELLS[layout]))
    viewports = []
    for pick in picks:
        try:
            role = StudyRole(str(pick.get("study", "current")) if isinstance(pick, dict) else "")
        except ValueError:
            raise InvalidInput(translate("hanging", "{where}: a viewport's study is “current” or “prior”.")
                               .format(where=where)) from None
        viewports.append(ViewportPick(role, _words(pick.get("series"), where)))
    min_priors = raw.get("min_priors", 0)
    if not isinstance(min_priors, int) or isinstance(min_priors, bool) or not 0 <= min_priors <= 20:
        raise InvalidInput(translate("hanging", "{where}: min_priors must be a whole number 0–20.")
                           .format(where=where))
    if any(v.study is StudyRole.PRIOR for v in viewports) and min_priors < 1:
        min_priors = 1  # a prior viewport needs a prior: the rule says so itself
    return Rule(str(raw.get("name") or where)[:80], str(raw.get("modality") or "").upper(),
                _words(raw.get("body_part"), where), _words(raw.get("description"), where),
                min_priors, layout, tuple(viewports))


def parse_rules(data: Any) -> tuple[Rule, ...]:
    """Rules from a decoded JSON document ``{"rules": [...]}``; refuses a bad one whole."""
    rules = data.get("rules") if isinstance(data, dict) else None
    if not isinstance(rules, list):
        raise InvalidInput(translate("hanging", "A hanging protocol file holds {\"rules\": [...]}."))
    if len(rules) > MAX_RULES:
        raise InvalidInput(translate("hanging", "At most {n} rules can be kept.").format(n=MAX_RULES))
    return tuple(_rule(r, n) for n, r in enumerate(rules, start=1))


def default_rules() -> tuple[Rule, ...]:
    """The shipped rules (CT chest, CT abdomen, CR chest; with and without a prior)."""
    text = resources.files("clinic_app").joinpath("resources", "reading", "hanging_protocols.json") \
        .read_text(encoding="utf-8")
    return parse_rules(json.loads(text))


#: The shipped rules' names (resources/reading/hanging_protocols.json), listed for lupdate:
#: a reader sees them in the interface language ("胸部CT（与既往检查对比）"), while the file and
#: a reader's own saved rules keep the name as written.
SHIPPED_NAMES = (
    QT_TRANSLATE_NOOP("hanging_protocols", "CT chest with prior"),
    QT_TRANSLATE_NOOP("hanging_protocols", "CT abdomen with prior"),
    QT_TRANSLATE_NOOP("hanging_protocols", "CR chest with prior"),
    QT_TRANSLATE_NOOP("hanging_protocols", "CT chest"),
    QT_TRANSLATE_NOOP("hanging_protocols", "CT abdomen"),
    QT_TRANSLATE_NOOP("hanging_protocols", "CR chest"),
)


def shown_name(rule: Rule) -> str:
    """The rule's name as a reader sees it: a shipped name in the interface language."""
    return translate("hanging_protocols", rule.name) if rule.name in SHIPPED_NAMES else rule.name


def rule_to_json(rule: Rule) -> dict[str, Any]:
    out: dict[str, Any] = {"name": rule.name, "modality": rule.modality, "layout": rule.layout.value,
                           "min_priors": rule.min_priors,
                           "viewports": [{"study": v.study.value, **({"series": list(v.series)}
                                                                       if v.series else {})}
                                         for v in rule.viewports]}
    if rule.body_part:
        out["body_part"] = list(rule.body_part)
    if rule.description:
        out["description"] = list(rule.description)
    return out


def _any_word(words: tuple[str, ...], texts: Sequence[str]) -> bool:
    upper = [t.upper() for t in texts]
    return not words or any(w in t for w in words for t in upper)


def matches(rule: Rule, study: StudyFacts, priors: int) -> bool:
    modalities = {s.modality.upper() for s in study.series}
    if rule.modality and rule.modality not in modalities:
        return False
    if priors < rule.min_priors:
        return False
    places = [s.body_part for s in study.series] + [study.description]
    return _any_word(rule.body_part, places) and _any_word(rule.description, [study.description])


def choose(rules: Sequence[Rule], study: StudyFacts, priors: int) -> Rule | None:
    """The first rule that fits the study and the number of priors open with it."""
    return next((r for r in rules if matches(r, study, priors)), None)


def _largest(series: Sequence[SeriesFacts], modality: str) -> SeriesFacts | None:
    pool = [s for s in series if not modality or s.modality.upper() == modality] or list(series)
    return max(pool, key=lambda s: (s.volume, s.slices), default=None)


def place(rule: Rule, current: StudyFacts, prior: StudyFacts | None) -> list[str | None]:
    """The series UID for each viewport of the rule (None: leave it empty)."""
    out: list[str | None] = []
    for pick in rule.viewports:
        study = current if pick.study is StudyRole.CURRENT else prior
        if study is None:
            out.append(None)
            continue
        named = [s for s in study.series if pick.series and _any_word(pick.series, [s.description])]
        chosen = _largest(named, rule.modality) if named else _largest(study.series, rule.modality)
        out.append(chosen.series_uid if chosen is not None else None)
    return out
