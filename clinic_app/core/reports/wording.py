"""Clinical wording for what the engine writes in its own terms (no Qt; screens and report).

The engine's flags and refusals name inputs by their manifest names and units by UCUM
("systolic_bp 250 mm[Hg]", "age 35 a"); a clinician reads labels and the units people
write ("systolic blood pressure 250 mmHg", "age 35 years"). Sources carry the record
reference without the LOINC code in front.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

from clinic_app.i18n import QT_TRANSLATE_NOOP, translate

UNITS = {"mm[Hg]": "mmHg", "a": "years", "kg/m2": "kg/m²", "mL/min/{1.73_m2}": "mL/min/1.73 m²",
         "1": "", "{boolean}": "", "umol/L": "µmol/L"}
_LOINC = re.compile(r"\b\d{1,5}-\d\b ?")
_YEARS = re.compile(r"(\d) a\b")


def clinical_unit(unit: str) -> str:
    """UCUM as people write it: mm[Hg] -> mmHg, a -> years (in the reader's language)."""
    shown = UNITS.get(unit, unit)
    return translate("wording", "years") if shown == "years" else shown


def lower_label(label: str) -> str:
    """"Heart failure" -> "heart failure"; "INR" and "HDL cholesterol" keep their capitals.

    The label is shown in the reader's language (a manifest label is English); scripts
    without case are left as they are.
    """
    label = translate("model_terms", label)
    return label if label[1:2].isupper() or not label[:1].isascii() else label[:1].lower() + label[1:]


def plain_source(source: str) -> str:
    """A source without the LOINC code ("cohort.json Observation/x", not "2093-3 …"), in
    the reader's language (the engine writes sources in English: results store them)."""
    return translate_source(_LOINC.sub("", source).replace("( ", "(").strip())


#: The sources and "what would supply it" hints core/inference/features.py writes, as
#: patterns; file names, codes and record displays inside them stay as written.
_SOURCES = tuple((re.compile(pattern, re.S), template) for pattern, template in (
    (r"^birth date (?P<date>\S+) \(patient record\)$", "birth date {date} (patient record)"),
    (r"^administrative sex \(patient record\)$", "administrative sex (patient record)"),
    (r"^race on the patient record \((?P<said>.+)\)$", "race on the patient record ({said})"),
    (r"^smoking status '(?P<status>[^']*)' \((?P<source>.+)\)$", "smoking status '{status}' ({source})"),
    (r"^condition (?P<code>\S+) '(?P<display>.*)' \((?P<source>.+)\)$", "condition {code} '{display}' ({source})"),
    (r"^not on the problem list$", "not on the problem list"),
    (r"^medication '(?P<display>.*)' \((?P<status>[^()]+)\)$", "medication '{display}' ({status})"),
    (r"^no recognised blood-pressure medication$", "no recognised blood-pressure medication"),
    (r"^HbA1c (?P<value>\S+)% ≥ 6\.5% \((?P<source>.+)\)$", "HbA1c {value}% ≥ 6.5% ({source})"),
    (r"^no diabetes on the problem list; latest HbA1c (?P<value>\S+)% on (?P<date>\S+)$",
     "no diabetes on the problem list; latest HbA1c {value}% on {date}"),
    (r"^no diabetes on the problem list; no HbA1c in (?P<months>\d+) months$",
     "no diabetes on the problem list; no HbA1c in {months} months"),
    (r"^not in the record, counted as no \((?P<source>.+)\)$", "not in the record, counted as no ({source})"),
    (r"^problem list$", "problem list"),
    (r"^an? (?P<what>.+?) within (?P<months>\d+) months$", "{what} within {months} months"),
    # a value a physician saved from the risk panel (services/entered_values.py)
    (r"^physician entry entered:(?P<user>[^:\s]+):(?P<date>\d{4}-\d{2}-\d{2})$", "entered by {user} on {date}"),
    (r"^no record mapping for this input; use calculator mode$",
     "no record mapping for this input; use calculator mode"),
    (r"^a serum creatinine within (?P<months>\d+) months \(eGFR is calculated with CKD-EPI 2021\), with "
     r"birth date and sex$",
     "a serum creatinine within {months} months (eGFR is calculated with CKD-EPI 2021), with birth date "
     "and sex"),
    (r"^no active blood-pressure medication$", "no active blood-pressure medication"),
    (r"^medication list$", "medication list"),
    (r"^no active statin on the medication list$", "no active statin on the medication list"),
    (r"^CKD-EPI 2021 from creatinine (?P<value>\S+) mg/dL at age (?P<age>\d+) \((?P<source>.+)\)$",
     "CKD-EPI 2021 from creatinine {value} mg/dL at age {age} ({source})"),
    (r"^record the patient's race, e\.g\. US Core race extension or the CSV race column$",
     "record the patient's race, e.g. US Core race extension or the CSV race column"),
))
_SOURCE_TEMPLATES = (
    QT_TRANSLATE_NOOP("sources", "birth date {date} (patient record)"),
    QT_TRANSLATE_NOOP("sources", "administrative sex (patient record)"),
    QT_TRANSLATE_NOOP("sources", "race on the patient record ({said})"),
    QT_TRANSLATE_NOOP("sources", "smoking status '{status}' ({source})"),
    QT_TRANSLATE_NOOP("sources", "condition {code} '{display}' ({source})"),
    QT_TRANSLATE_NOOP("sources", "not on the problem list"),
    QT_TRANSLATE_NOOP("sources", "medication '{display}' ({status})"),
    QT_TRANSLATE_NOOP("sources", "no recognised blood-pressure medication"),
    QT_TRANSLATE_NOOP("sources", "HbA1c {value}% ≥ 6.5% ({source})"),
    QT_TRANSLATE_NOOP("sources", "no diabetes on the problem list; latest HbA1c {value}% on {date}"),
    QT_TRANSLATE_NOOP("sources", "no diabetes on the problem list; no HbA1c in {months} months"),
    QT_TRANSLATE_NOOP("sources", "not in the record, counted as no ({source})"),
    QT_TRANSLATE_NOOP("sources", "problem list"),
    QT_TRANSLATE_NOOP("sources", "{what} within {months} months"),
    QT_TRANSLATE_NOOP("sources", "no record mapping for this input; use calculator mode"),
    QT_TRANSLATE_NOOP("sources", "a serum creatinine within {months} months (eGFR is calculated with "
                                 "CKD-EPI 2021), with birth date and sex"),
    QT_TRANSLATE_NOOP("sources", "no active blood-pressure medication"),
    QT_TRANSLATE_NOOP("sources", "medication list"),
    QT_TRANSLATE_NOOP("sources", "no active statin on the medication list"),
    QT_TRANSLATE_NOOP("sources", "CKD-EPI 2021 from creatinine {value} mg/dL at age {age} ({source})"),
    QT_TRANSLATE_NOOP("sources", "record the patient's race, e.g. US Core race extension or the CSV race column"),
    # what a hint asks for
    QT_TRANSLATE_NOOP("sources", "total cholesterol result"),
    QT_TRANSLATE_NOOP("sources", "HDL cholesterol result"),
    QT_TRANSLATE_NOOP("sources", "systolic blood pressure"),
    QT_TRANSLATE_NOOP("sources", "smoking status (current/former/never)"),
    QT_TRANSLATE_NOOP("sources", "serum creatinine result"),
    QT_TRANSLATE_NOOP("sources", "total bilirubin result"),
    QT_TRANSLATE_NOOP("sources", "INR result"),
    QT_TRANSLATE_NOOP("sources", "serum sodium"),
    QT_TRANSLATE_NOOP("sources", "body mass index"),
    QT_TRANSLATE_NOOP("sources", "waist circumference"),
    QT_TRANSLATE_NOOP("sources", "entered by {user} on {date}"),
)


#: The OMB race categories and null flavours core/records/codes.py names, for lupdate.
_RACE_WORDS = (
    QT_TRANSLATE_NOOP("race", "White"), QT_TRANSLATE_NOOP("race", "Black or African American"),
    QT_TRANSLATE_NOOP("race", "American Indian or Alaska Native"), QT_TRANSLATE_NOOP("race", "Asian"),
    QT_TRANSLATE_NOOP("race", "Native Hawaiian or Other Pacific Islander"),
    QT_TRANSLATE_NOOP("race", "Other Race"), QT_TRANSLATE_NOOP("race", "unknown"),
    QT_TRANSLATE_NOOP("race", "asked but unknown"),
)
_US_CORE_RACE = "US Core race extension: "


def _race_said(said: str) -> str:
    """"US Core race extension: White (2106-3)" as a clinician reads it ("White"): the
    extension's name and the CDC codes are ours, not clinical words (the codes may already
    have been cut by plain_source, leaving "()")."""
    if not said.startswith(_US_CORE_RACE):
        return said
    names = [re.sub(r"\s*\([^()]*\)$", "", part.strip()) for part in said[len(_US_CORE_RACE):].split(",")]
    return translate("sources", ", ").join(translate("race", n) for n in names if n)


#: A value the site settings supply (core/inference/site_inputs.py writes "from site
#: settings (china_par_region = north)"): shown as the setting and its value in clinical
#: words, never as our configuration key.
_SITE_SETTING = re.compile(r"^from site settings \((?P<key>\w+) = (?P<value>[\w-]+)\)$")
_SETTING_WORDS = {
    "china_par_region": QT_TRANSLATE_NOOP("sources", "Region"),
    "china_par_urbanisation": QT_TRANSLATE_NOOP("sources", "Residence"),
}
_SETTING_VALUES = {
    ("china_par_region", "north"): QT_TRANSLATE_NOOP("sources", "northern China"),
    ("china_par_region", "south"): QT_TRANSLATE_NOOP("sources", "southern China"),
    ("china_par_urbanisation", "urban"): QT_TRANSLATE_NOOP("sources", "urban"),
    ("china_par_urbanisation", "rural"): QT_TRANSLATE_NOOP("sources", "rural"),
}


def _site_setting(key: str, value: str) -> str:
    """"Region (site setting): northern China" for ``china_par_region = north``."""
    setting, shown = _SETTING_WORDS.get(key), _SETTING_VALUES.get((key, value))
    return translate("sources", "{setting} (site setting): {value}").format(
        setting=translate("sources", setting) if setting else key,
        value=translate("sources", shown) if shown else value)


def translate_source(text: str) -> str:
    """A source or a "what would supply it" hint in the reader's language."""
    site = _SITE_SETTING.match(text)
    if site:
        return _site_setting(site["key"], site["value"])
    for pattern, template in _SOURCES:
        found = pattern.match(text)
        if found:
            parts = found.groupdict()
            if "said" in parts:
                parts["said"] = _race_said(parts["said"])
            if "source" in parts and template.startswith("not in the record"):
                parts["source"] = translate_source(parts["source"])
            if "what" in parts:
                parts["what"] = translate("sources", parts["what"])
            if "status" in parts:  # smoking category or medication status: our words
                parts["status"] = translate("record_terms", parts["status"])
            return translate("sources", template).format(**parts)
    return text


#: The flags the engine writes itself (core/inference/risk_checks.py), as patterns: the
#: engine writes them in English because results are stored with their flags; they are
#: translated here, when shown.
_FLAGS = (
    (re.compile(r"^extrapolated: (?P<detail>.+)$", re.S), "extrapolated: {detail}"),
    (re.compile(r"^Cannot compute (?P<model>.+?): (?P<detail>.+?)\.?$", re.S), "Cannot compute {model}: {detail}"),
    (re.compile(r"^(?P<name>\S+) (?P<value>.+?) is outside the valid range (?P<range>.+?) "
                r"\((?P<source>.+)\)$", re.S), "{name} {value} is outside the valid range {range} ({source})"),
    (re.compile(r"^(?P<name>\S+) (?P<value>.+?) counted as (?P<bound>\S+) \((?P<note>.+)\)$", re.S),
     "{name} {value} counted as {bound} ({note})"),
    (re.compile(r"^not in the record, counted as absent: (?P<names>.+)$", re.S),
     "not in the record, counted as absent: {names}"),
    (re.compile(r"^(?P<detail>.+); the model is not valid there\.?$", re.S),
     "{detail}; the model is not valid there"),
)


#: For lupdate: the templates above, in the context translate_flag looks them up in.
_TEMPLATES = (
    QT_TRANSLATE_NOOP("risk", "extrapolated: {detail}"),
    QT_TRANSLATE_NOOP("risk", "Cannot compute {model}: {detail}"),
    QT_TRANSLATE_NOOP("risk", "{name} {value} is outside the valid range {range} ({source})"),
    QT_TRANSLATE_NOOP("risk", "{name} {value} counted as {bound} ({note})"),
    QT_TRANSLATE_NOOP("risk", "not in the record, counted as absent: {names}"),
    QT_TRANSLATE_NOOP("risk", "{detail}; the model is not valid there"),
)


def translate_flag(text: str) -> str:
    """A flag in the reader's language: a manifest's own text, or one of the engine's."""
    whole = translate("model_terms", text)
    if whole != text:
        return whole
    for pattern, template in _FLAGS:
        found = pattern.match(text)
        if found:
            parts = found.groupdict()
            if "detail" in parts:
                parts["detail"] = translate_flag(parts["detail"])
            if "model" in parts:
                parts["model"] = translate("model_terms", parts["model"])
            if "note" in parts:
                parts["note"] = translate("model_terms", parts["note"])
            if "source" in parts:
                parts["source"] = translate("model_terms", parts["source"])
            return translate("risk", template).format(**parts)
    return text


def plain_flag(text: str, labels: Mapping[str, str]) -> str:
    """A flag or refusal in the reader's language, with input labels for names and
    clinical units for UCUM."""
    text = translate_flag(text)
    if labels:
        # A label already in the text stays as it is, so labelling twice (the physician
        # screens label an English refusal once when it is loaded, once when shown) cannot
        # turn "current smoker" into "current current smoker".
        shown = {name: lower_label(label) for name, label in labels.items()}
        table = {**{label: label for label in shown.values()}, **shown}
        pattern = r"\b(" + "|".join(map(re.escape, sorted(table, key=len, reverse=True))) + r")\b"
        text = re.sub(pattern, lambda m: table[m.group(0)], text)
    for ucum, unit in UNITS.items():
        if len(ucum) > 1 and unit:
            text = text.replace(ucum, unit)
    years = translate("wording", "years")
    return _YEARS.sub(lambda m: f"{m.group(1)} {years}", text)


_CANNOT = re.compile(r"^Cannot compute (?P<model>.+?): missing (?P<inputs>.+?)\."
                     r"(?: Unrecognised inputs given: (?P<names>.+)\.)?$", re.S)


_MISSING = re.compile(r"^missing (?P<inputs>.+?)\.?$", re.S)
_ITEM = re.compile(r"^(?P<name>\S+) \((?P<hint>.+)\)$", re.S)


def _missing_inputs(text: str, labels: Mapping[str, str]) -> str:
    """"hdl_cholesterol (an HDL cholesterol result within 24 months); …" with labels and
    the hints in the reader's language."""
    items = []
    for part in re.split(r"; (?=\S+ \()", text):  # a hint may hold "; " itself
        item = _ITEM.match(part)
        if item:
            items.append(translate("risk", "{input} ({hint})").format(
                input=plain_flag(item["name"], labels), hint=translate_source(item["hint"])))
        else:
            items.append(plain_flag(part, labels))
    return translate("risk", "; ").join(items)


def plain_reason(text: str, labels: Mapping[str, str] | None = None) -> str:
    """Why a score was not computed, in the reader's language.

    The engine writes the reason in English because batch results store it; it is
    translated here, when shown, so a stored reason reads the same for every user.
    """
    from clinic_app.i18n.model_terms import FEATURE_LABELS

    names = {**FEATURE_LABELS, **(labels or {})}
    found = _CANNOT.match(text)
    if not found:
        missing = _MISSING.match(text)
        if missing:
            return translate("risk", "missing {inputs}").format(inputs=_missing_inputs(missing["inputs"], names))
        return plain_flag(text, names)
    message = translate("risk", "Cannot compute {model}: missing {inputs}.").format(
        model=translate("model_terms", found["model"]), inputs=_missing_inputs(found["inputs"], names))
    if found["names"]:
        message += translate("risk", " Unrecognised inputs given: {names}.").format(names=found["names"])
    return message


_LEAD = re.compile(r"^Cannot compute (?P<model>.+?): (?P<detail>.+?)\.?$", re.S)


def refusal_detail(text: str, labels: Mapping[str, str] | None = None) -> str:
    """Why a score was not computed, without the engine's "Cannot compute <model>:" lead,
    for a line whose own words already say so ("Could not be computed on …: {reason}");
    with the lead it read "cannot compute: cannot compute <model>: …" in either language."""
    from clinic_app.i18n.model_terms import FEATURE_LABELS

    names = {**FEATURE_LABELS, **(labels or {})}
    found = _CANNOT.match(text)
    if found:
        message = translate("risk", "missing {inputs}").format(inputs=_missing_inputs(found["inputs"], names))
        if found["names"]:
            message += translate("risk", " Unrecognised inputs given: {names}.").format(names=found["names"])
        return message
    lead = _LEAD.match(text)
    if lead:
        return plain_flag(lead["detail"], names)
    return plain_reason(text, labels)


def secondary_outputs(tensors: Sequence[Mapping[str, Any]],
                      primary: str) -> tuple[tuple[str, str], ...]:
    """A risk model's other probability outputs (the manifest's output tensors), named in
    words from their semantics ("10-year risk of heart failure, probability 0-1" ->
    "heart failure"): PREVENT's ASCVD and heart-failure risks beside total CVD."""
    found = []
    for spec in tensors:
        text = str(spec.get("semantics", ""))
        if spec["name"] == primary or len(spec["shape"]) != 1 or "probability 0-1" not in text:
            continue
        found.append((str(spec["name"]), text.split("risk of ", 1)[-1].split(", probability")[0]))
    return tuple(found)


def score_text(value: float, unit: str, decimals: int) -> str:
    """A score as every screen, the PDF report and the CLI show it, from one place: a
    probability as a percentage with a space before the sign ("2.1 %", ISO 80000-1),
    points with the word ("1 point", "3 points"), anything else as the number."""
    if unit == "probability":
        return percent_text(value, max(decimals - 2, 1))
    text = f"{value:.{decimals}f}"
    if unit != "points":
        return text
    if text == "1":
        return translate("wording", "{text} point").format(text=text)
    return translate("wording", "{text} points").format(text=text)


def percent_text(fraction: float, decimals: int = 1) -> str:
    """A fraction (0.021) as a percentage ("2.1 %"): secondary outputs, reference risks."""
    return f"{fraction * 100:.{decimals}f} %"
