"""Model variants shown beside their base model only when their extra inputs are present.

The AHA PREVENT add-on models (UACR, HbA1c, full) re-estimate the whole equation with one
or two more inputs. A patient without a urine albumin result has nothing to gain from a
"cannot compute: missing urine albumin" row under the base PREVENT, so a variant whose
extra inputs are missing is hidden (not "not computed"), like a model that cannot apply to
the patient's sex. When every add-on input is present the full model is shown and the
single add-on models are not (preventr's model choice: the model with the most inputs).
A variant asked for by name is never hidden.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from clinic_app.i18n import translate

M = TypeVar("M", bound=Any)


@dataclass(frozen=True)
class Variant:
    base: str  # the model id it is shown beside
    needs: tuple[str, ...]  # inputs that must be present for it to be shown
    superseded_by: str = ""  # hidden when this model was scored for the patient


VARIANTS: dict[str, Variant] = {
    "prevent-uacr-10y": Variant("prevent-10y", ("uacr",), "prevent-full-10y"),
    "prevent-hba1c-10y": Variant("prevent-10y", ("hba1c",), "prevent-full-10y"),
    "prevent-full-10y": Variant("prevent-10y", ("uacr", "hba1c")),
    "prevent-uacr-30y": Variant("prevent-30y", ("uacr",), "prevent-full-30y"),
    "prevent-hba1c-30y": Variant("prevent-30y", ("hba1c",), "prevent-full-30y"),
    "prevent-full-30y": Variant("prevent-30y", ("uacr", "hba1c")),
}


def hidden_when_missing(model_id: str, missing: Iterable[str]) -> bool:
    """True when ``model_id`` is a variant and one of its extra inputs is in ``missing``."""
    variant = VARIANTS.get(model_id)
    return variant is not None and any(name in variant.needs for name in missing)


def superseded(model_ids: Sequence[str]) -> set[str]:
    """The variants among ``model_ids`` (those scored) that a more complete one replaces."""
    scored = set(model_ids)
    return {m for m in scored if m in VARIANTS and VARIANTS[m].superseded_by in scored}


def in_scoring_order(models: Sequence[M]) -> list[M]:
    """``models`` with each full model before the variants it replaces, so that those are
    skipped instead of computed and thrown away (objects with ``.manifest.id``)."""
    replaces = {v.superseded_by for v in VARIANTS.values() if v.superseded_by}
    return sorted(models, key=lambda m: m.manifest.id not in replaces)


def screen_notes(model_id: str) -> list[str]:
    """What the screen says about inputs a variant counts as missing (never silently)."""
    if model_id in ("prevent-full-10y", "prevent-full-30y"):
        return [translate("risk_variants",
                          "Social Deprivation Index: not available in this application; the "
                          "full model counts it as missing (a term of the model).")]
    return []
