"""The patient summary: demographics, problems, medications, latest values, linked studies.

Every value is shown with its date and its source (file and resource id), because a
physician deciding on a number must be able to tell how old it is and where it came
from. Record conflicts (the same MRN with different demographics in the record and in
imaging) are shown at the top, never resolved here.

Imaging is read-only for physicians, by the permission matrix in
``clinic_app.core.security.roles``: they hold IMAGES_VIEW and FINDINGS_VIEW (see the
study and its AI findings) but not ANALYSIS_RUN or FINDINGS_REVIEW, which are the
radiologist's signed acts. The summary therefore lists each study with its AI status
and never offers to run or sign anything.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import QGroupBox, QHeaderView, QLabel, QVBoxLayout, QWidget

from clinic_app.core.records import codes
from clinic_app.core.records.facts import Medication, Observation, Provenance
from clinic_app.i18n import QT_TRANSLATE_NOOP, translate, translate_any
from clinic_app.services.entered_values import entered_source_text
from clinic_app.services.records import PatientView, fact_display
from clinic_app.ui.physician.patient_list import SEX_SHORT, age_years
from clinic_app.ui.physician.presentation import (
    day,
    display_unit,
    fill_table,
    read_only_table,
    record_term,
    value_text,
)
from clinic_app.ui.theme import set_banner


def imaging_note() -> str:
    """Why a physician's imaging view is read-only, in the signed-in account's language."""
    return translate(
        "physician.summary",
        "Images and AI findings open read-only for physicians. Running an analysis "
        "and accepting or rejecting a finding are the radiologist's signed acts.",
    )

#: UCUM codes of results no score reads, as clinicians write them (every observation of an
#: export is shown, so temperatures and blood counts arrive in UCUM: "Cel", "10*3/uL").
AS_WRITTEN_UNITS = {"Cel": "°C", "[degF]": "°F", "10*3/uL": "×10³/µL", "10*6/uL": "×10⁶/µL",
                    "10*9/L": "×10⁹/L", "10*12/L": "×10¹²/L", "[lb_av]": "lb", "[in_i]": "in",
                    "meq/L": "mEq/L", "ug/L": "µg/L", "ug/dL": "µg/dL", "{INR}": ""}

#: Width of the latest-values table's Measurement column, in pixels (about 34 characters).
MEASUREMENT_WIDTH = 240

#: Order of the latest-values table: vitals first, then labs, then the rest by name.
FACT_ORDER = ("systolic_bp", "diastolic_bp", "heart_rate", "bmi", "weight", "height",
              "smoking_status", "total_cholesterol", "hdl_cholesterol", "ldl_cholesterol",
              "triglycerides", "hba1c", "glucose", "creatinine", "bilirubin", "inr", "sodium")


#: Encounter.class (v3 ActCode) in words.
ENCOUNTER_CLASS = {
    "AMB": QT_TRANSLATE_NOOP("physician.summary", "outpatient"),
    "IMP": QT_TRANSLATE_NOOP("physician.summary", "inpatient"),
    "EMER": QT_TRANSLATE_NOOP("physician.summary", "emergency"),
    "HH": QT_TRANSLATE_NOOP("physician.summary", "home health"),
    "VR": QT_TRANSLATE_NOOP("physician.summary", "virtual"),
    "ACUTE": QT_TRANSLATE_NOOP("physician.summary", "inpatient acute"),
    "NONAC": QT_TRANSLATE_NOOP("physician.summary", "inpatient non-acute"),
    "OBSENC": QT_TRANSLATE_NOOP("physician.summary", "observation"),
    "SS": QT_TRANSLATE_NOOP("physician.summary", "day stay"),
    "PRENC": QT_TRANSLATE_NOOP("physician.summary", "pre-admission"),
    "FLD": QT_TRANSLATE_NOOP("physician.summary", "field"),
}


def _encounter_class(code: str | None) -> str:
    """The encounter class in words, translated when the table is filled."""
    if code in ENCOUNTER_CLASS:
        return translate("physician.summary", ENCOUNTER_CLASS[code])
    return code or "—"


def source_text(p: Provenance) -> str:
    # A value a physician saved says who entered it and when, never a file and an id.
    return entered_source_text(p) or f"{p.source_file} · {p.resource_id}"


#: Interpreted facts that are vital signs (everything else interpreted is a lab value).
VITALS = frozenset({"systolic_bp", "diastolic_bp", "bmi", "body_weight", "body_height",
                    "smoking_status"})


def observation_value(o: Observation) -> str:
    if o.value is None:
        category = codes.smoking_category(o.value_code) if o.name == codes.SMOKING_STATUS else None
        if category is not None:
            return record_term(category)  # the clinical word; the code stays in the record
        return o.value_text or o.value_code or "—"
    if codes.is_other_fact(o.name):  # as written: no conversion was made
        bound = f"{o.value_text} " if o.value_text in ("<", "<=", ">", ">=") else ""
        return f"{bound}{float(o.value):g} {AS_WRITTEN_UNITS.get(o.unit, display_unit(o.unit))}".strip()
    return value_text(float(o.value), o.unit, o.name)


def fact_label(o: Observation) -> str:
    """Our terminology's name for a fact in the reader's language; a fact no score uses
    keeps the name its source gave it, as written."""
    label = fact_display(o.name, o.display)
    return label if codes.is_other_fact(o.name) else record_term(label)


def fact_group(o: Observation) -> str:
    """"Vitals", "Labs" or "Other" (from the fact, else from the source's category)."""
    if o.name in VITALS or o.category == "vital-signs":
        return QCoreApplication.translate("physician.summary", "Vitals")
    if not codes.is_other_fact(o.name) or o.category == "laboratory":
        return QCoreApplication.translate("physician.summary", "Labs")
    return QCoreApplication.translate("physician.summary", "Other")


def _fact_rank(o: Observation) -> tuple[int, int, str]:
    group = (
        QCoreApplication.translate("physician.summary", "Vitals"),
        QCoreApplication.translate("physician.summary", "Labs"),
        QCoreApplication.translate("physician.summary", "Other"),
    ).index(fact_group(o))
    order = FACT_ORDER.index(o.name) if o.name in FACT_ORDER else len(FACT_ORDER)
    return (group, order, fact_display(o.name, o.display).lower())


def history_text(previous: Observation | None, count: int) -> str:
    """"3 values; before: 5.1 mmol/L on 2024-01-02" or "only value"."""
    if previous is None:
        return QCoreApplication.translate("physician.summary", "only value")
    return QCoreApplication.translate("physician.summary", "{count} values; before: {observation_value} on "
                                                           "{day}").format(
               count=count, observation_value=observation_value(previous), day=day(previous.effective))


def medication_classes_text(m: Medication) -> str:
    if not m.recognised:
        return QCoreApplication.translate("physician.summary", "unclassified (drug not recognised)")
    return ", ".join(record_term(c.replace("_", " ")) for c in m.classes) or QCoreApplication.translate(
        "physician.summary", "no tracked class"
    )


class PatientSummaryView(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("patientSummary")
        self.view: PatientView | None = None
        layout = QVBoxLayout(self)
        self.header = QLabel()
        self.header.setObjectName("summaryHeader")
        self.header.setProperty("heading", True)
        self.header.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.demographics = QLabel()
        self.demographics.setObjectName("summaryDemographics")
        self.demographics.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.demographics.setWordWrap(True)
        self.conflicts = QLabel()
        self.conflicts.setObjectName("summaryConflicts")
        self.conflicts.setWordWrap(True)
        set_banner(self.conflicts, "warn")
        layout.addWidget(self.header)
        layout.addWidget(self.demographics)
        layout.addWidget(self.conflicts)

        self.problems = read_only_table(
            [self.tr("Problem"), self.tr("Code"), self.tr("Status"), self.tr("Onset"), self.tr("Source")]
        )
        self.medications = read_only_table(
            [self.tr("Medication"), self.tr("Class"), self.tr("Status"), self.tr("Since"), self.tr("Source")]
        )
        self.allergies = read_only_table(
            [self.tr("Allergy"), self.tr("Type"), self.tr("Criticality"), self.tr("Status"), self.tr("Source")]
        )
        self.allergies.setObjectName("allergiesTable")
        self.latest = read_only_table(
            [
                self.tr("Group"),
                self.tr("Measurement"),
                self.tr("Value"),
                self.tr("Date"),
                self.tr("History"),
                self.tr("Source"),
                self.tr("Flags"),
            ]
        )
        self.latest.setObjectName("latestTable")
        # Source names such as "Alanine aminotransferase [Enzymatic activity/volume] in Serum
        # or Plasma" sized to contents pushed value and date out of sight: the name gets a
        # fixed width, elided, with the full text in its tooltip; source and flags scroll.
        self.latest.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Interactive)
        self.latest.horizontalHeader().resizeSection(1, MEASUREMENT_WIDTH)
        self.encounters = read_only_table(
            [self.tr("Date"), self.tr("Kind"), self.tr("Type"), self.tr("Status"), self.tr("Source")]
        )
        self.encounters.setObjectName("encountersTable")
        self.studies = read_only_table(
            [self.tr("Date"), self.tr("Modality"), self.tr("Description"), self.tr("AI status"), self.tr("Conflicts")]
        )
        self.studies.setObjectName("studiesTable")
        for title, table in ((self.tr("Active problems"), self.problems),
                             (self.tr("Allergies"), self.allergies),
                             (self.tr("Current medications"), self.medications),
                             (self.tr("Latest vitals and labs"), self.latest),
                             (self.tr("Recent visits"), self.encounters),
                             (self.tr("Linked imaging studies"), self.studies)):
            box = QGroupBox(title)
            box_layout = QVBoxLayout(box)
            box_layout.addWidget(table)
            if table is self.studies:
                note = QLabel(imaging_note())
                note.setWordWrap(True)
                note.setProperty("hint", True)
                box_layout.addWidget(note)
            layout.addWidget(box)
        layout.addStretch(1)

    def show_view(self, view: PatientView, today: date,
                  ai_status: Callable[[str], str] | None = None) -> None:
        """Show ``view``; ``ai_status(study_uid)`` gives each study's AI status text."""
        self.view = view
        p = view.patient
        self.header.setText(f"{p.family.upper()}, {p.given}")
        birth = p.birth_date.isoformat() if p.birth_date else None
        age = age_years(birth, today)
        parts = [
            self.tr("MRN {mrn}").format(mrn=p.mrn),
            self.tr("born {value}").format(value=birth or "unknown")
            + (self.tr(", {age} years").format(age=age) if age is not None else ""),
            self.tr("sex {sex} ({get})").format(sex=translate_any(p.sex), get=SEX_SHORT.get(p.sex, p.sex)),
            self.tr("race {replace}").format(
                replace=translate_any(p.race) if p.race else self.tr("not recorded")),
        ]
        if p.deceased:
            parts.append("DECEASED")
        # The issuer is a long OID no one reads: it is there on hover, not on the page.
        self.demographics.setToolTip(self.tr("MRN issuer: {issuer}").format(issuer=p.issuer) if p.issuer else "")
        self.demographics.setText("   ·   ".join(parts) + self.tr("\nRecord as of {day}").format(
                                                              day=day(view.as_of)))
        self.conflicts.setText("\n".join(f"⚠ {c}" for c in view.conflicts))
        self.conflicts.setVisible(bool(view.conflicts))

        fill_table(self.problems, [
            [c.display or record_term(c.category.replace("_", " ")), c.code, record_term(c.clinical_status),
             day(c.onset),
             source_text(c.provenance)] for c in view.conditions] or [[self.tr("none recorded"), "", "", "", ""]])
        fill_table(self.allergies, [
            [a.display, a.category or "—", a.criticality or "—",
             f"{a.clinical_status or '?'}/{a.verification_status or '?'}",
             source_text(a.provenance)] for a in view.allergies]
            or [[self.tr("none recorded"), "", "", "", ""]])
        fill_table(self.medications, [
            [m.display, medication_classes_text(m), record_term(m.status), day(m.start),
             source_text(m.provenance)] for m in view.medications]
            or [[self.tr("none recorded"), "", "", "", ""]])
        latest = sorted(view.latest, key=_fact_rank)
        fill_table(self.latest, [
            [fact_group(o), fact_label(o), observation_value(o),
             day(o.effective), history_text(*view.history.get(o.name, (None, 1))),
             source_text(o.provenance),
             "; ".join([*o.flags, *([self.tr("not interpreted by any score")]
                                    if codes.is_other_fact(o.name) else [])])]
            for o in latest] or [["", self.tr("no measurements recorded"), "", "", "", "", ""]])
        scroll = self.latest.horizontalScrollBar()
        self.latest.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAsNeeded)
        self.latest.setFixedHeight(self.latest.maximumHeight() + scroll.sizeHint().height())
        fill_table(self.encounters, [
            [day(e.start), _encounter_class(e.class_code),
             e.type_display or "—", record_term(e.status), source_text(e.provenance)]
            for e in view.encounters] or [[self.tr("no visits recorded"), "", "", "", ""]])
        status = ai_status or (lambda _uid: self.tr("not available"))
        fill_table(self.studies, [
            [s.study_date or "—", s.modalities, s.description,
             translate("radiology.status", str(status(s.study_uid))),
             "; ".join(s.conflicts)] for s in view.studies]
            or [[self.tr("no linked studies"), "", "", "", ""]])

    def shown_rows(self, table_name: str) -> Sequence[Sequence[str]]:
        """The text of a table's rows (for tests and accessibility checks)."""
        table = {"latest": self.latest, "studies": self.studies, "problems": self.problems,
                 "medications": self.medications, "allergies": self.allergies,
                 "encounters": self.encounters}[table_name]
        return [[cell.text() if (cell := table.item(r, c)) is not None else ""
                 for c in range(table.columnCount())] for r in range(table.rowCount())]
