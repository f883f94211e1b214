"""Model inputs a patient record cannot supply, taken from the site settings.

China-PAR asks where the patient lives: the region of China (north or south of the
Yangtze) and urban or rural residence. A FHIR or CSV export carries neither, but a
hospital's patients mostly share both, so IT sets them once for the site
(``china_par_region``, ``china_par_urbanisation``; docs/configuration.md) and every result
shows the value with the source "from site settings", never as if it came from the record.
An unset key leaves the input missing ("cannot compute"), never defaulted.

Which patients a model is offered for is site policy too: China-PAR is for Chinese adults,
so it is scored only where IT marks the site's patients as its intended population
(``china_par_population = true``). Elsewhere it is hidden, as a sex-specific model is for
the other sex; named explicitly (what-if, calculator of a stored patient) it is "not
offered" with the reason.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from clinic_app.core.inference.manifest import FeatureSpec
from clinic_app.core.inference.risk import InputValue
from clinic_app.i18n import translate

if TYPE_CHECKING:  # the record resolver is not needed by a calculator call (issue 16)
    from clinic_app.core.inference.features import RecordInputs

CHINA_PAR = "china-par-ascvd-10y"


@dataclass(frozen=True)
class SiteInput:
    """A model input the site config supplies: its feature, config key and wording."""

    feature: str
    key: str
    label: str


SITE_INPUTS: Mapping[str, SiteInput] = {
    "region": SiteInput("region", "china_par_region", "region of China (north or south)"),
    "urbanisation": SiteInput("urbanisation", "china_par_urbanisation",
                              "urban or rural residence"),
}

#: Model id -> the boolean site key that marks the site's patients as its population.
POPULATION_KEYS: Mapping[str, str] = {CHINA_PAR: "china_par_population"}

#: Inputs a model's equation for one sex does not use (coefficient 0 in every term): they
#: are not asked for, and shown as "not used". China-PAR's women's equation (Yang 2016).
UNUSED_BY_SEX: Mapping[str, Mapping[str, Mapping[str, float | bool | str]]] = {
    CHINA_PAR: {"female": {"urbanisation": "rural", "family_history_ascvd": False}},
}
UNUSED_SOURCE = "not used by this equation for women (no term for it)"


def _unused_source() -> str:
    return translate("site_inputs", UNUSED_SOURCE)


def offered(model_id: str, settings: object) -> bool:
    """Whether the site offers ``model_id`` to its patients (models without a population
    key always are)."""
    key = POPULATION_KEYS.get(model_id)
    return key is None or bool(getattr(settings, key, False))


def not_offered_reason(model_id: str) -> str:
    key = POPULATION_KEYS.get(model_id, "")
    return translate("site_inputs", "not offered at this site: the site settings do not mark "
                                    "its patients as this model's intended population "
                                    "({key} = false)").format(key=key)


def site_value(spec: SiteInput, settings: object) -> InputValue | None:
    value = getattr(settings, spec.key, "unset")
    if not isinstance(value, str) or value in ("unset", ""):
        return None
    # Written in English, like the record's sources, because results store it; it is shown
    # in clinical words ("Region (site setting): northern China") by wording.translate_source.
    return InputValue(spec.feature, value, "", None, f"from site settings ({spec.key} = {value})")


def with_site_inputs(rec: RecordInputs, features: Sequence[FeatureSpec], settings: object,
                     *, model_id: str = "", sex: object = None) -> RecordInputs:
    """``rec`` plus the inputs the site supplies and the ones this sex's equation ignores."""
    from clinic_app.core.inference.features import InputState, InputStatus, RecordInputs

    values = dict(rec.values)
    missing = list(rec.missing)
    hints = dict(rec.hints)
    states = dict(rec.states)
    unused = UNUSED_BY_SEX.get(model_id, {}).get(str(sex), {})
    names = {f.name for f in features}
    for name in names:
        filled: InputValue | None = None
        if name in unused and name not in values:
            filled = InputValue(name, unused[name], "", None, _unused_source())
        elif name in SITE_INPUTS:
            spec = SITE_INPUTS[name]
            filled = site_value(spec, settings)
            if filled is None:
                hint = translate("site_inputs", "set {key} in the site settings (IT): the "
                                                "{what}").format(
                    key=spec.key, what=translate("site_inputs", spec.label))
                hints[name] = hint
                states[name] = InputState(name, InputStatus.MISSING, hint)
                missing = [replace(m, supplied_by=hint) if m.name == name else m
                           for m in missing]
                continue
        if filled is None:
            continue
        values[name] = filled
        states[name] = InputState(name, InputStatus.PRESENT)
        missing = [m for m in missing if m.name != name]
    return RecordInputs(values, missing, hints, states)


def calculator_inputs(model_id: str, inputs: Mapping[str, object]) -> dict[str, object]:
    """Calculator mode: the inputs this sex's equation ignores need not be typed."""
    unused = UNUSED_BY_SEX.get(model_id, {}).get(str(inputs.get("sex")), {})
    out = dict(inputs)
    for name, value in unused.items():
        out.setdefault(name, InputValue(name, value, "", None, _unused_source()))
    return out
