"""Service calls the physician's screens make, and the copy of their results into views.

Each function runs on a worker thread (never touches a widget) and calls services only.
The risk services publish every score, computed now or stored earlier, as one
:class:`~clinic_app.services.score_outcome.ScoreOutcome`; it is copied into
:mod:`clinic_app.ui.physician.views` here, once, by :func:`outcome_view`, so the list,
the panel, the what-if and the PDF report show the same text. Staleness is
the service's rule (``risk_overview.is_stale``); nothing is computed here.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from PySide6.QtCore import QCoreApplication

from clinic_app.core.clock import parse_iso
from clinic_app.core.inference.risk_variants import VARIANTS
from clinic_app.core.reports.wording import percent_text, plain_flag, translate_source
from clinic_app.core.tasks import CancelToken, ProgressCallback
from clinic_app.errors import UnusualValue
from clinic_app.i18n import QT_TRANSLATE_NOOP, Language, current_language, translate
from clinic_app.services import Services, Session
from clinic_app.services.patient_chart import Trend
from clinic_app.services.records import PatientSummary, PatientView
from clinic_app.services.risk_overview import ModelCardData, is_stale
from clinic_app.services.risk_scores import PatientScores
from clinic_app.services.score_outcome import ScoreOutcome
from clinic_app.ui.physician.patient_list import ModelColumn
from clinic_app.ui.physician.presentation import value_text as presentation_value
from clinic_app.ui.physician.views import (
    ExplanationView,
    FactorShare,
    InputUsed,
    MissingInput,
    ModelCard,
    ScoreView,
)

# English here; short_title translates one when the columns are built.
#: Short column titles for the shipped models (others use their name up to " (").
SHORT_TITLES = {
    "pce-ascvd-10y": QT_TRANSLATE_NOOP("physician.adapt", "ASCVD 10y (PCE)"),
    "china-par-ascvd-10y": QT_TRANSLATE_NOOP("physician.adapt", "ASCVD 10y (China-PAR)"),
    "prevent-10y": QT_TRANSLATE_NOOP("physician.adapt", "CVD 10y (PREVENT)"),
    "prevent-30y": QT_TRANSLATE_NOOP("physician.adapt", "CVD 30y (PREVENT)"),
    "framingham-cvd-10y": QT_TRANSLATE_NOOP("physician.adapt", "Framingham CVD 10y"),
    "cha2ds2-va": "CHA₂DS₂-VA",
    "cha2ds2-vasc": "CHA₂DS₂-VASc",
    "meld-3": QT_TRANSLATE_NOOP("physician.adapt", "MELD 3.0"),
    "meld-na": "MELD-Na",
    "meld-unos": QT_TRANSLATE_NOOP("physician.adapt", "MELD (superseded)"),
    "pima-diabetes-demo": QT_TRANSLATE_NOOP("physician.adapt", "Diabetes (DEMO)"),
}


def card_view(card: ModelCardData) -> ModelCard:
    return ModelCard(card.id, card.name, card.version, card.references, card.intended_use,
                     card.valid_ranges, card.demo)


def _unknown_card(model_id: str, name: str, version: str = "?") -> ModelCard:
    return ModelCard(
        model_id,
        name,
        version,
        (),
        QCoreApplication.translate("physician.adapt", "model no longer installed"),
        (),
        False,
    )


def contribution_unit(unit: str, horizon: str | None, has_terms: bool) -> str:
    """What a per-input amount is, in clinical words; "" where it has no clinical reading
    (an equation's share of its own linear predictor), so no amount is shown there."""
    del horizon
    if unit == "points":
        return "points"
    return ""  # MELD-type scores: a term can span inputs (MELD-Na's MELD(i)); the PDF lists terms


def explanation_view(data: Mapping[str, Any] | None, inputs: Sequence[InputUsed]
                     ) -> ExplanationView | None:
    """The reference explanation (a RiskExplanation's JSON) in words and percentage points."""
    if not data:
        return None
    by_name = {i.name: i for i in inputs}
    shares = []
    for share in data["shares"]:
        words = "; ".join(shown_value(by_name[n]) for n in share["inputs"] if n in by_name)
        first = by_name.get(share["inputs"][0])
        shares.append(FactorShare(str(share["label"]), float(share["amount"]) * 100.0, words,
                                  tuple(share["inputs"]),
                                  short_value(first) if first is not None else ""))
    shares.sort(key=lambda s: abs(s.points), reverse=True)
    return ExplanationView(float(data["risk"]) * 100.0, float(data["reference_risk"]) * 100.0,
                           str(data["reference"]), str(data.get("source", "")), tuple(shares))


def short_value(item: InputUsed) -> str:
    """The value a chart bar names: "127 mmHg", "yes", "no"."""
    return presentation_value(item.value, item.unit, item.name)


def shown_value(item: InputUsed) -> str:
    """An input's value in words ("150 mmHg", "on blood-pressure medication: no")."""
    if isinstance(item.value, bool):
        return f"{item.label.lower()}: {'yes' if item.value else 'no'}"
    return presentation_value(item.value, item.unit, item.name)


def _inputs(inputs: Mapping[str, Mapping[str, Any]], amounts: Mapping[str, tuple[str, float]],
            labels: Mapping[str, str], as_of: datetime) -> tuple[InputUsed, ...]:
    out = []
    for name, item in inputs.items():
        when = item.get("date")
        effective = parse_iso(when) if isinstance(when, str) else when
        label, amount = amounts.get(name, (labels.get(name, name.replace("_", " ").capitalize()), None))
        source = str(item.get("source", ""))
        if item.get("assumed_absent"):
            source = QCoreApplication.translate("physician.adapt", "not in the record: counted as no "
                                                                   "({source})").format(
                source=translate_source(source)) if source else \
                QCoreApplication.translate("physician.adapt", "not in the record: counted as no")
        out.append(InputUsed(name, labels.get(name, label), item.get("value"), str(item.get("unit", "")),
                             effective, source, is_stale(item.get("value"), effective, as_of),
                             amount))
    return tuple(out)


def also_text(outputs: Mapping[str, Any], secondary: Sequence[tuple[str, str]]) -> tuple[str, ...]:
    return tuple(f"{what}: {percent_text(float(outputs[name]))}" for name, what in secondary
                 if isinstance(outputs.get(name), int | float))


def _plain_reason_en(reason: str, labels: Mapping[str, str]) -> str:
    """English refusals get the model's input labels ("total cholesterol 125 mg/dL is
    outside…", never the variable name); other languages are translated whole when shown."""
    return plain_flag(reason, labels) if current_language() is Language.ENGLISH else reason


def outcome_view(o: ScoreOutcome, card: ModelCard, labels: Mapping[str, str],
                 secondary: Sequence[tuple[str, str]] = ()) -> ScoreView:
    """A score or "cannot compute", live or stored, as the screens show it (one path)."""
    if not o.computed:
        return ScoreView(
            model_id=o.model_id, as_of=o.as_of, value=None, value_text="", category=None,
            flags=(), inputs=_inputs({i.name: i.to_json() for i in o.present}, {}, labels, o.as_of),
            missing=tuple(MissingInput(m.name, m.label, m.supplied_by) for m in o.missing),
            reason=_plain_reason_en(o.reason, labels), contribution_unit="", card=card,
            provider="")
    detail = o.detail
    shown = contribution_unit(o.unit, detail.get("horizon"),
                              bool(detail.get("contribution_details")))
    amounts = {c["input"]: (c["label"], float(c["amount"]))
               for c in detail.get("contribution_details", ())} if shown else {}
    inputs = _inputs(detail.get("inputs", {}), amounts, labels, o.as_of)
    return ScoreView(
        model_id=o.model_id, as_of=o.as_of, value=o.value, value_text=o.value_text,
        category=o.category, flags=o.flags, inputs=inputs, missing=(), reason="",
        contribution_unit=shown, card=card, provider=o.provider,
        explanation=explanation_view(detail.get("explanation"), inputs),
        also=also_text(detail.get("outputs", {}), secondary))


class Catalog:
    """Model cards by id, with the input labels each model's manifest gives."""

    def __init__(self, cards: Sequence[ModelCardData]) -> None:
        self.cards = {c.id: c for c in cards}
        self.views = {c.id: card_view(c) for c in cards}

    def card(self, model_id: str, name: str = "") -> ModelCard:
        return self.views.get(model_id) or _unknown_card(model_id, name or model_id)

    def secondary(self, model_id: str) -> tuple[tuple[str, str], ...]:
        card = self.cards.get(model_id)
        return card.secondary if card is not None else ()

    def labels(self, model_id: str) -> dict[str, str]:
        card = self.cards.get(model_id)
        return dict(card.labels) if card is not None else {}

    def columns(self) -> list[ModelColumn]:
        """Score columns: the shipped models in SHORT_TITLES order (ASCVD first, the one most
        physicians look for), demo models last, then any site model by name."""
        order = list(SHORT_TITLES)

        def rank(c: ModelCardData) -> tuple[int, int, str]:
            return (int(c.demo), order.index(c.id) if c.id in order else len(order), c.name)

        # PREVENT add-on variants have no column: most patients lack their inputs; the risk
        # panel shows them beside the base model when they apply.
        return [ModelColumn(c.id, short_title(c), c.name)
                for c in sorted(self.cards.values(), key=rank) if c.id not in VARIANTS]


def short_title(card: ModelCardData) -> str:
    """A model's column title in the current language (the signed-in account's)."""
    if card.id in SHORT_TITLES:
        return translate("physician.adapt", SHORT_TITLES[card.id])
    return card.name.split(" (")[0]


def catalog(services: Services, session: Session) -> Catalog:
    return Catalog(services.risk_overview.model_cards(session))


def latest_scores(services: Services, session: Session,
                  cat: Catalog) -> dict[int, list[ScoreView]]:
    """Every patient's latest outcome of each model (patient key → views): the stored
    result, or "cannot compute" with the reason when the newest attempt gave none."""
    out: dict[int, list[ScoreView]] = {}
    for stored in services.risk_overview.latest_results(session):
        assert stored.patient_key is not None, "stored outcomes name their patient"
        out.setdefault(stored.patient_key, []).append(view_of(stored, cat))
    return out


def view_of(o: ScoreOutcome, cat: Catalog) -> ScoreView:
    """One outcome as a view, with its model's card, input labels and other outputs."""
    return outcome_view(o, cat.card(o.model_id, o.model_name), cat.labels(o.model_id),
                        cat.secondary(o.model_id))


def scores_view(scores: PatientScores, cat: Catalog) -> list[ScoreView]:
    return in_panel_order([view_of(o, cat) for o in scores.outcomes()], list(cat.cards))


def in_panel_order(views: Sequence[ScoreView], order: Sequence[str]) -> list[ScoreView]:
    """``views`` in ``order`` of model ids, each PREVENT variant right after its base."""
    def rank(v: ScoreView) -> tuple[int, bool]:
        base = VARIANTS[v.model_id].base if v.model_id in VARIANTS else v.model_id
        return (order.index(base) if base in order else len(order), v.model_id in VARIANTS)

    return sorted(views, key=rank)


def open_chart(services: Services, session: Session, patient: PatientSummary, cat: Catalog,
               trend_model: str | None, facts: Sequence[str]) -> tuple[Any, ...]:
    """Opening a patient: one service call, one audit entry, nothing stored. Returns the
    record, its score views, the studies' AI states and the trend (model id, history,
    score views) or None."""
    chart = services.patient_chart.open(session, patient.mrn, patient.issuer,
                                        trend_model=trend_model, facts=facts)
    trend = (chart.trend.model_id, chart.trend.history, trend_views(chart.trend, cat)) \
        if chart.trend is not None else None
    return chart.view, scores_view(chart.scores, cat), dict(chart.study_states), trend


def what_if(services: Services, session: Session, patient: PatientSummary, model_id: str,
            overrides: Mapping[str, Any], cat: Catalog) -> ScoreView | UnusualValue:
    """The model's score with ``overrides``; the service stores nothing. A possible but
    unusual value comes back as the refusal, for the panel to offer "Use as entered"."""
    try:
        scores = services.risk.what_if(session, patient.mrn, model_id, overrides,
                                       issuer=patient.issuer)
    except UnusualValue as exc:
        return exc
    return scores_view(scores, cat)[0]


def trend(services: Services, session: Session, patient: PatientSummary, model_id: str,
          facts: Sequence[str], cat: Catalog) -> tuple[Any, list[ScoreView]]:
    """The measurements of ``facts`` and the score recomputed at each day one was taken
    (not stored): one service call, one audit entry."""
    result = services.patient_chart.trend(session, patient.mrn, model_id, facts,
                                          issuer=patient.issuer)
    return result.history, trend_views(result, cat)


def trend_views(result: Trend, cat: Catalog) -> list[ScoreView]:
    return [view_of(o, cat) for o in result.points]  # one per date


def recompute_all(services: Services, session: Session, progress: ProgressCallback,
                  cancel: CancelToken) -> str:
    """Score every patient with every model and store the results; a one-line summary."""
    report = services.risk.score_all(session, progress=progress, cancel=cancel)
    return (QCoreApplication.translate("physician.adapt", "Scored {patients} patients: {scored} results "
                                                          "stored, {not_computed} model results could not be "
                                                          "computed.").format(
                patients=report.patients, scored=report.scored, not_computed=report.not_computed))


def record_report_export(services: Services, session: Session, view: PatientView,
                         model_ids: Sequence[str], pages: int) -> None:
    """Have the service check RISK_REPORT_EXPORT and audit the export (before the file exists)."""
    services.risk_overview.record_report_export(
        session, view.patient.mrn, view.patient.issuer, model_ids=tuple(model_ids), pages=pages)
