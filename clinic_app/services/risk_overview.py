"""What the physician's workspace needs beside scoring: the list view, model cards, the
staleness rule, and the audited export of a patient's risk report.

Scoring itself (now, at past dates, what-if, in batch) is :mod:`clinic_app.services.risk`;
this module only reads what it stored and what the verified manifests say, and records
report exports, so every rule a physician sees applied is in the service layer, not in
the GUI.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from clinic_app.core.inference.manifest import Manifest
from clinic_app.core.inference.results import ResultStore
from clinic_app.core.records.repository import months_before
from clinic_app.core.reports.wording import clinical_unit, secondary_outputs
from clinic_app.core.security.audit import EventCode
from clinic_app.core.security.roles import Permission
from clinic_app.i18n import translate
from clinic_app.services.context import ServiceContext
from clinic_app.services.risk import RiskService
from clinic_app.services.score_outcome import ScoreOutcome, from_stored
from clinic_app.services.session import Session

#: A measurement used for a score is *stale* when it was taken more than this many months
#: before the scoring date. The look-backs (Settings.lookback_months_*) decide whether a
#: value may be used at all; within them, a value over a year old still counts but is
#: highlighted, because risk factors are expected to be re-measured at least yearly in
#: primary prevention, and an old value is the commonest reason a score is out of date.
STALE_AFTER_MONTHS = 12


def is_stale(value: object, measured: datetime | None, as_of: datetime) -> bool:
    """True for a measured number taken more than :data:`STALE_AFTER_MONTHS` before ``as_of``.

    Only measurements go stale: a derived input with no date (age at the scoring date) or
    a yes/no from the problem or medication list (a diagnosis made years ago still holds)
    is never stale.
    """
    if measured is None or isinstance(value, bool) or not isinstance(value, int | float):
        return False
    return measured < months_before(as_of, STALE_AFTER_MONTHS)


@dataclass(frozen=True)
class InputSpec:
    """One model input, as a what-if form needs it."""

    name: str
    label: str
    kind: str  # number | boolean | category
    unit: str
    categories: tuple[str, ...] = ()
    valid_range: tuple[float, float] | None = None
    modifiable: bool = False  # a physician can act on it (SBP, smoking, treatment, lipids)


@dataclass(frozen=True)
class ModelCardData:
    """What the model card shows, from the verified manifest."""

    id: str
    name: str
    version: str
    description: str
    intended_use: str
    references: tuple[str, ...]
    valid_ranges: tuple[str, ...]
    demo: bool
    #: Every input, in the manifest's order (what-if forms, labels in tables and charts).
    inputs: tuple[InputSpec, ...] = ()
    #: Other probability outputs shown beside the primary one: (output name, in words).
    secondary: tuple[tuple[str, str], ...] = ()

    @property
    def labels(self) -> tuple[tuple[str, str], ...]:
        return tuple((i.name, i.label) for i in self.inputs)


#: Inputs a physician can act on, so a what-if may change them (never age, sex, race).
MODIFIABLE = ("systolic_bp", "smoker", "bp_treated", "total_cholesterol", "hdl_cholesterol",
              "statin", "diabetes")


def card_from_manifest(m: Manifest) -> ModelCardData:
    use = m.raw.get("intended_use", {})
    parts = [translate("model_terms", str(use.get("population", "")).strip())]
    if use.get("age_range"):
        lo, hi = use["age_range"]
        parts.append(translate("risk_overview", "Ages {lo}–{hi} years.").format(lo=f"{lo:g}", hi=f"{hi:g}"))
    if use.get("contraindications"):
        parts.append(translate("risk_overview", "Not for: {items}.").format(items=translate("risk", "; ").join(
            translate("model_terms", str(c)) for c in use["contraindications"])))
    refs = tuple(
        str(r.get("citation", "")) + (f" doi:{r['doi']}" if r.get("doi") else "")
        for r in use.get("references", ()))
    ranges = tuple(f"{translate('model_terms', f.label)}: {f.valid_range[0]:g}–{f.valid_range[1]:g}"
                   + (f" {clinical_unit(f.unit)}" if clinical_unit(f.unit) else "")
                   for f in m.features if f.valid_range is not None)
    inputs = tuple(InputSpec(f.name, f.label, f.kind, f.unit, tuple(f.categories),
                             f.valid_range, f.name in MODIFIABLE) for f in m.features)
    outputs = m.section("outputs")
    return ModelCardData(m.id, m.name, m.version, str(m.raw.get("description", "")),
                         " ".join(p for p in parts if p), refs, ranges, m.demo, inputs,
                         secondary_outputs(outputs.get("tensors", ()),
                                           str(outputs.get("primary", ""))))


class RiskOverviewService:
    def __init__(self, ctx: ServiceContext, risk: RiskService) -> None:
        self.ctx = ctx
        self.risk = risk

    def latest_results(self, session: Session) -> list[ScoreOutcome]:
        """The newest outcome of each model for every patient (the patient list).

        A score when the newest attempt gave one; "cannot compute" (``computed`` False,
        ``value`` None) when it could not,
        with the reason and the missing inputs with what would supply them. Ordered by
        patient, then model.
        """
        self.ctx.begin(session, Permission.RISK_VIEW)
        assert session.clinical is not None, "clinical roles always hold the clinical key"
        rows = ResultStore(session.clinical).latest_outcomes()
        computed = sum(r.computed for r in rows)
        self.ctx.audit(session, EventCode.PATIENT_RECORD, "risk.list",
                       detail={"results": computed, "not_computed": len(rows) - computed,
                               "patients": len({r.patient_key for r in rows})})
        return [from_stored(r) for r in rows]

    def model_cards(self, session: Session) -> list[ModelCardData]:
        """The card of every usable risk model, in id order."""
        self.ctx.begin(session, Permission.RISK_VIEW)
        return [card_from_manifest(m.manifest) for m in self.risk.ungated_risk_models(session)]

    def record_report_export(self, session: Session, mrn: str, issuer: str | None, *,
                             model_ids: Sequence[str], pages: int) -> None:
        """Check RISK_REPORT_EXPORT and audit a report export (the GUI writes the file).

        Called before the file is moved into place, so a refusal leaves no file. The
        patient is recorded as a keyed pseudonym; the file name (which a user may have
        made from the patient's name) is not recorded.
        """
        self.ctx.begin(session, Permission.RISK_REPORT_EXPORT)
        assert session.system is not None
        self.ctx.audit(session, EventCode.EXPORT, "risk.report.export", patient_id=mrn,
                       detail={"models": sorted(model_ids), "pages": pages, "format": "pdf",
                               "issuer_given": bool(issuer)})
