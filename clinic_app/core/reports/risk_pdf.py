"""The printed risk report: an A4 PDF/A-1b laid out in real point sizes, without Qt.

Why fpdf2: pure Python (no Qt in core, no native build), embeds TrueType subsets, and
lets us write the two things PDF/A-1b needs beyond embedded fonts: an sRGB output intent
and XMP metadata declaring part 1, conformance B. Nothing is transparent and nothing is
encrypted. (Checked structurally by tests; no veraPDF on this machine.)

Layout: 15 mm margins, body 10.5 pt, headings 12-16 pt; every page carries the patient's
name, MRN and the report date in its header and "page n of m" in its footer. Each score
gets its value and category, the explanation chart (percentage points against the
optimal-risk reference) or the points table, the inputs with dates and sources, and the
model's identity. Patient-derived text is drawn as text, never markup.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from clinic_app.core.inference.risk_types import RiskResult
from clinic_app.core.records.display_units import (
    UnitSystem,
    display_unit_for,
    optimal_text,
    to_display,
    units_statement,
)
from clinic_app.core.reports.fonts import CJK_PACKAGE, cjk_font, needs_cjk
from clinic_app.core.reports.wording import (
    clinical_unit,
    percent_text,
    plain_flag,
    plain_source,
    refusal_detail,
    score_text,
)
from clinic_app.errors import InvalidInput
from clinic_app.i18n import QT_TRANSLATE_NOOP, Language, current_language, translate
from clinic_app.i18n.formats import format_date, format_datetime

if TYPE_CHECKING:  # fpdf2 is imported when a report is made, not with the service layer
    from fpdf import FPDF

FONT_DIRS = (Path("/usr/share/fonts/truetype/dejavu"), Path("/usr/share/fonts/dejavu"),
             Path("/usr/local/share/fonts"), Path("/Library/Fonts"),
             Path("C:/Windows/Fonts"))
BODY_PT = 10.5
SMALL_PT = 9.0
MARGIN_MM = 15.0
POSITIVE = (213, 94, 0)  # raises risk (Okabe-Ito vermilion)
NEGATIVE = (0, 114, 178)  # lowers risk (Okabe-Ito blue)
DISCLAIMER = QT_TRANSLATE_NOOP("risk_pdf", "Decision support only. Scores are estimates from published "
              "equations applied to the record as stored; check the inputs and their dates before acting on them.")

#: The sexes a record states, as the report header prints them.
SEXES = (QT_TRANSLATE_NOOP("risk_pdf", "female"), QT_TRANSLATE_NOOP("risk_pdf", "male"),
         QT_TRANSLATE_NOOP("risk_pdf", "other"), QT_TRANSLATE_NOOP("risk_pdf", "unknown"),
         QT_TRANSLATE_NOOP("risk_pdf", "white"), QT_TRANSLATE_NOOP("risk_pdf", "african_american"),
         QT_TRANSLATE_NOOP("risk_pdf", "north"), QT_TRANSLATE_NOOP("risk_pdf", "south"),
         QT_TRANSLATE_NOOP("risk_pdf", "urban"), QT_TRANSLATE_NOOP("risk_pdf", "rural"))


@dataclass(frozen=True)
class ReportPatient:
    name: str  # "FAMILY, Given"
    mrn: str
    birth_date: str
    sex: str


@dataclass(frozen=True)
class ReportNotComputed:
    model_name: str
    reason: str


def _font(name: str) -> Path:
    for folder in FONT_DIRS:
        if (folder / name).is_file():
            return folder / name
    raise InvalidInput(f"The report font {name} is not installed (Debian package "
                       "fonts-dejavu-core); install it and try again.")


def _add_fonts(pdf: FPDF, patient: ReportPatient) -> None:
    """DejaVu Sans for an English report, with the CJK font as fallback for a CJK name;
    for a Chinese report the CJK font is the body font (it has Latin letters and digits
    too) and DejaVu the fallback for the few signs it lacks.

    Why not DejaVu with a CJK fallback in Chinese: with text switching fonts in almost
    every line, fpdf2 2.8.9 lost track of the font selected on a new page and drew later
    Latin runs (numbers, hashes) with the other font's glyph ids ("+8.2" came out as
    "8%2e" from page 2 on). One body font leaves almost nothing to switch.
    """
    chinese = current_language() is not Language.ENGLISH
    dejavu = "latin" if chinese else "body"
    pdf.add_font(dejavu, "", str(_font("DejaVuSans.ttf")))
    pdf.add_font(dejavu, "B", str(_font("DejaVuSans-Bold.ttf")))
    if not chinese and not needs_cjk(patient.name):
        return
    regular, bold = cjk_font(), cjk_font(bold=True)
    if regular is None or bold is None:
        raise InvalidInput(translate("risk_pdf", "No Chinese font is installed for the report (Debian "
                                     "package {package}); install it and try again.").format(
                                         package=CJK_PACKAGE))
    cjk = "body" if chinese else "cjk"
    pdf.add_font(cjk, "", str(regular.path), collection_font_number=regular.index)
    pdf.add_font(cjk, "B", str(bold.path), collection_font_number=bold.index)
    pdf.set_fallback_fonts(["latin" if chinese else "cjk"])


def _value(value: object, unit: str, name: str = "", units: UnitSystem = UnitSystem.US) -> str:
    if isinstance(value, bool):
        return translate("risk_pdf", "yes") if value else translate("risk_pdf", "no")
    if name and isinstance(value, (int, float)) and display_unit_for(name, unit, units) != unit:
        shown = to_display(name, float(value), unit, units)
        return f"{shown.text()} {clinical_unit(shown.unit)}"
    text = f"{value:.4g}" if isinstance(value, float) else translate("risk_pdf", str(value))
    u = clinical_unit(unit)
    return f"{text} {u}" if u else text


def _srgb_profile() -> bytes:
    # Version 2: PDF/A-1 (PDF 1.4) refuses the version-4 profile LittleCMS writes.
    from clinic_app.core.reports.icc_v2 import srgb_v2_profile

    return srgb_v2_profile()


def render(patient: ReportPatient, results: Sequence[RiskResult],
           not_computed: Sequence[ReportNotComputed], *, generated_by: str,
           generated_at: datetime, labels: dict[str, dict[str, str]],
           secondary: Mapping[str, Sequence[tuple[str, str]]] | None = None,
           units: UnitSystem = UnitSystem.US) -> bytes:
    """The report as PDF/A-1b bytes. ``labels``: model id -> input name -> clinical label;
    ``secondary``: model id -> its other probability outputs (name, in words)."""
    from fpdf import FPDF
    from fpdf.enums import DocumentCompliance, OutputIntentSubType
    from fpdf.output import PDFICCProfile

    day = format_date(generated_at.astimezone())

    class Report(FPDF):
        def header(self) -> None:
            self.set_font("body", "B", BODY_PT)
            self.cell(0, 5.5, f"{patient.name}   MRN {patient.mrn}", new_x="LMARGIN",
                      new_y="NEXT")
            self.set_font("body", "", SMALL_PT)
            self.cell(0, 4.5, translate("risk_pdf", "Born {birth}, {sex}   ·   Risk report of {day}").format(
                birth=patient.birth_date, sex=translate("risk_pdf", patient.sex), day=day),
                new_x="LMARGIN", new_y="NEXT")
            self.set_draw_color(120, 120, 120)
            self.line(self.l_margin, self.get_y() + 1, self.w - self.r_margin, self.get_y() + 1)
            self.ln(4)

        def footer(self) -> None:
            self.set_y(-13)
            self.set_font("body", "", SMALL_PT)
            self.multi_cell(0, 4, translate("risk_pdf", "{disclaimer} Generated by {user} at {when}. "
                                            "Page {page} of {pages}.").format(
                disclaimer=translate("risk_pdf", DISCLAIMER), user=generated_by,
                when=format_datetime(generated_at.astimezone()), page=self.page_no(), pages="{nb}"),
                new_x="LMARGIN", new_y="NEXT", align=_align())

    # fpdf2's PDF/A-1B mode: no page transparency groups, a CIDSet for each font subset,
    # no Info dictionary to disagree with the XMP (tests/test_pdfa_structure.py).
    pdf = Report(format="A4", unit="mm", enforce_compliance=DocumentCompliance.PDFA_1B)
    pdf.set_creation_date(generated_at)
    pdf.set_margins(MARGIN_MM, MARGIN_MM, MARGIN_MM)
    pdf.set_auto_page_break(True, margin=18)
    _add_fonts(pdf, patient)
    pdf.set_title(f"Risk report {patient.mrn} {day}")
    pdf.set_author(generated_by)
    pdf.set_creator("clinic-app")
    pdf.set_lang("zh-CN" if current_language() is Language.CHINESE_SIMPLIFIED else "en")
    pdf.add_output_intent(OutputIntentSubType.PDFA,
                          output_condition_identifier="sRGB IEC61966-2.1",
                          output_condition="sRGB IEC61966-2.1",
                          registry_name="http://www.color.org",
                          dest_output_profile=PDFICCProfile(_srgb_profile(), 3, "DeviceRGB"),
                          info="sRGB IEC61966-2.1")
    pdf.set_xmp_metadata(_xmp(f"Risk report {patient.mrn} {day}", generated_by, generated_at))
    pdf.alias_nb_pages()
    pdf.add_page()
    pdf.set_font("body", "B", 16)
    pdf.cell(0, 9, translate("risk_pdf", "Patient risk report"), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("body", "", BODY_PT)
    pdf.multi_cell(0, 5.2, translate("risk_pdf", "Each score below is computed from the record as it stood on the "
                   "report date, with the inputs, dates and sources listed under it. Where "
                   "an explanation is shown, the bars are percentage points of absolute risk "
                   "that each modifiable factor adds against optimal values, and they add up "
                   "to the difference from the risk with optimal factors."),
                   new_x="LMARGIN", new_y="NEXT")
    pdf.multi_cell(0, 5.2, units_statement(units), new_x="LMARGIN", new_y="NEXT")
    pdf.ln(2)
    for result in sorted(results, key=_order):
        _score_section(pdf, result, labels.get(result.model_id, {}),
                       (secondary or {}).get(result.model_id, ()), units)
    if not_computed:
        _heading(pdf, translate("risk_pdf", "Scores that could not be computed"))
        pdf.set_font("body", "", BODY_PT)
        for n in not_computed:
            # the model's name leads the line, so the refusal goes without its own
            # "Cannot compute <model>:" (it read "<model>: 无法计算<model>：…")
            text = f"{translate('model_terms', n.model_name)}: {refusal_detail(n.reason)}"
            pdf.multi_cell(0, 5.2, text, new_x="LMARGIN", new_y="NEXT", align=_align())
    return bytes(pdf.output())


#: Explained risks in the order a physician reads them: today's US equation first.
FIRST = ("prevent-10y", "pce-ascvd-10y", "china-par-ascvd-10y", "prevent-30y", "framingham-cvd-10y")


def _order(r: RiskResult) -> tuple[int, int, int]:
    """Explained cardiovascular risks first, then the other scores, those that do not
    apply to the patient ("not applicable: …") last; otherwise as the service listed them."""
    not_applicable = (r.category or "").startswith("not applicable")
    rank = FIRST.index(r.model_id) if r.model_id in FIRST else len(FIRST)
    return (int(not_applicable), int(r.explanation is None), rank)


def _align() -> str:
    """Justified English; left-aligned where CJK and Latin mix (justifying those lines
    stretches the gaps between the scripts)."""
    return "J" if current_language() is Language.ENGLISH else "L"


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def _heading(p: FPDF, text: str) -> None:
    if p.get_y() > p.h - 60:
        p.add_page()
    p.ln(2)
    p.set_font("body", "B", 13)
    p.multi_cell(0, 7, text, new_x="LMARGIN", new_y="NEXT")


def _score_section(p: FPDF, r: RiskResult, labels: dict[str, str],
                   secondary: Sequence[tuple[str, str]] = (),
                   units: UnitSystem = UnitSystem.US) -> None:
    _heading(p, translate("model_terms", r.model_name))
    p.set_font("body", "B", 12)
    value = score_text(r.value, r.unit, r.decimals)
    horizon = translate("risk_pdf", " over {horizon}").format(
        horizon=translate("model_terms", r.horizon)) if r.horizon else ""
    category = f"  ·  {translate('model_terms', r.category)}" if r.category else ""
    p.cell(0, 7, f"{value}{horizon}{category}", new_x="LMARGIN", new_y="NEXT")
    p.set_font("body", "", BODY_PT)
    also = [f"{translate('model_terms', what)} {percent_text(r.outputs[name])}" for name, what in secondary
            if name in r.outputs]
    if also:
        p.multi_cell(0, 5.2, translate("risk_pdf", "Also over the same years: {risks}.").format(
            risks="; ".join(also)),
                     new_x="LMARGIN", new_y="NEXT")
    for flag in r.flags:
        p.multi_cell(0, 5.2, translate("risk_pdf", "Note: {flag}").format(flag=plain_flag(flag, labels)),
                     new_x="LMARGIN", new_y="NEXT", align=_align())
    if r.explanation is not None:
        _chart(p, r, units)
    elif r.terms and r.unit in ("points", "score"):
        items = [(_capital(translate("model_terms", t.label)), f"{t.amount:+.3g}") for t in r.terms]
        _table(p, [translate("risk_pdf", "Item"), translate("risk_pdf", "Points") if r.unit == "points"
                   else translate("risk_pdf", "Part of the score")], items,
               [0.75, 0.25])
    rows: list[tuple[str, str, str, str]] = []
    for name, item in r.inputs.items():
        when = format_date(item.date.astimezone()) if item.date else translate("risk_pdf", "at report date")
        # plain_source translates this (and the source inside it) when the language is not English
        source = item.source if not item.assumed_absent else f"not in the record, counted as no ({item.source})"
        label = translate("model_terms", labels[name]) if name in labels else name.replace("_", " ")
        rows.append((label, _value(item.value, item.unit, name, units),
                     when, plain_source(source)))
    _table(p, [translate("risk_pdf", "Input"), translate("risk_pdf", "Value"), translate("risk_pdf", "Date"),
               translate("risk_pdf", "Source")], rows, [0.26, 0.16, 0.14, 0.44])
    p.set_font("body", "", SMALL_PT)
    p.multi_cell(0, 4.2, translate("risk_pdf", "Model {model} version {version}; manifest SHA-256 {sha}.").format(
        model=r.model_id, version=r.model_version, sha=r.manifest_sha256), new_x="LMARGIN", new_y="NEXT", align="L")


def _chart(pdf: FPDF, r: RiskResult, units: UnitSystem = UnitSystem.US) -> None:
    e = r.explanation
    assert e is not None
    if pdf.get_y() + 12 + 7.0 * len(e.shares) > pdf.h - 25:
        pdf.add_page()
    pdf.multi_cell(0, 5.2, translate("risk_pdf", "With optimal risk factors ({reference}) the risk would be "
                                     "{risk} %. This patient's modifiable factors add {excess} percentage "
                                     "points:").format(reference=translate("model_terms",
                                                                           e.reference.split(", optimal")[0]),
                                                       risk=percent_text(e.reference_risk).removesuffix(" %"),
                                                       excess=f"{e.excess * 100:+.1f}"),
                   new_x="LMARGIN", new_y="NEXT")
    shares = e.ranked()
    width = pdf.w - pdf.l_margin - pdf.r_margin
    label_w, value_w = 0.34 * width, 0.16 * width
    bar_w = width - label_w - value_w
    span = max((abs(s.points) for s in shares), default=1.0) or 1.0
    negative = any(s.points < 0 for s in shares)
    zero = pdf.l_margin + label_w + (bar_w / 2 if negative else 0.0)
    scale = (bar_w / 2 if negative else bar_w) / span
    row_h = 7.0
    top = pdf.get_y() + 1
    for k, s in enumerate(shares):
        y = top + k * row_h
        pdf.set_xy(pdf.l_margin, y)
        pdf.cell(label_w, row_h, translate("model_terms", s.label))
        colour = POSITIVE if s.points >= 0 else NEGATIVE
        pdf.set_fill_color(*colour)
        length = abs(s.points) * scale
        x = zero if s.points >= 0 else zero - length
        if length > 0:
            pdf.rect(x, y + 1.5, max(length, 0.3), row_h - 3, style="F")
        pdf.set_xy(pdf.w - pdf.r_margin - value_w, y)
        pdf.cell(value_w, row_h, translate("risk_pdf", "{points} pp").format(points=f"{s.points:+.1f}"),
                 align="R")
    pdf.set_fill_color(255, 255, 255)
    pdf.set_draw_color(90, 90, 90)
    pdf.line(zero, top, zero, top + row_h * len(shares))
    pdf.set_xy(pdf.l_margin, top + row_h * len(shares) + 1)
    pdf.set_font("body", "", SMALL_PT)
    pdf.multi_cell(0, 4.2, translate("risk_pdf", "pp = percentage points of absolute risk. Each factor's "
                                     "share is averaged over every order in which the factors could "
                                     "be improved (Shapley values). Optimal values: {source}.").format(
                                         source=optimal_text(
                                             translate("model_terms", e.source).split(": ", 1)[-1], units)),
                   new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("body", "", BODY_PT)


def _table(pdf: FPDF, headers: list[str], rows: Sequence[Sequence[str]],
           widths: list[float]) -> None:
    width = pdf.w - pdf.l_margin - pdf.r_margin
    pdf.ln(1)
    pdf.set_font("body", "", BODY_PT)
    with pdf.table(col_widths=[w * width for w in widths], text_align="LEFT",
                   line_height=5.0, padding=0.8, first_row_as_headings=True) as table:
        head = table.row()
        for h in headers:
            head.cell(h)
        for row in rows:
            cells = table.row()
            for text in row:
                cells.cell(str(text))
    pdf.ln(1)


def _xmp(title: str, author: str, when: datetime) -> str:
    stamp = when.astimezone().isoformat(timespec="seconds")
    esc = (title.replace("&", "&amp;").replace("<", "&lt;"),
           author.replace("&", "&amp;").replace("<", "&lt;"))
    return (
        '<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF '
        'xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
        '<rdf:Description rdf:about="" xmlns:pdfaid="http://www.aiim.org/pdfa/ns/id/">'
        '<pdfaid:part>1</pdfaid:part><pdfaid:conformance>B</pdfaid:conformance>'
        '</rdf:Description>'
        '<rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/">'
        f'<dc:title><rdf:Alt><rdf:li xml:lang="x-default">{esc[0]}</rdf:li></rdf:Alt></dc:title>'
        f'<dc:creator><rdf:Seq><rdf:li>{esc[1]}</rdf:li></rdf:Seq></dc:creator>'
        '</rdf:Description>'
        '<rdf:Description rdf:about="" xmlns:xmp="http://ns.adobe.com/xap/1.0/">'
        f'<xmp:CreateDate>{stamp}</xmp:CreateDate><xmp:CreatorTool>clinic-app</xmp:CreatorTool>'
        '</rdf:Description>'
        '<rdf:Description rdf:about="" xmlns:pdf="http://ns.adobe.com/pdf/1.3/">'
        '<pdf:Producer>fpdf2</pdf:Producer></rdf:Description>'
        '</rdf:RDF></x:xmpmeta>')
