"""The rollback-safe version rule shared by model and terminology package updates.

A package replaces the installed one only when its version is provably newer. An older or
equal version could bring back a withdrawn model or a retracted code mapping, so it is
refused unless IT forces it with a reason, and the caller audits the forced rollback as a
security event. Versions are dotted numbers compared as numbers (1.10.0 > 1.9.0); anything
else is not provably newer, so it counts as a rollback.
"""

from __future__ import annotations

from dataclasses import dataclass

from clinic_app.i18n import translate


def _version_key(version: str) -> tuple[int, ...] | None:
    parts = version.strip().split(".")
    return tuple(int(p) for p in parts) if parts and all(p.isdigit() for p in parts) else None


def version_is_newer(candidate: str, installed: str) -> bool:
    """Whether ``candidate`` is provably newer than ``installed`` (see the module doc)."""
    new, old = _version_key(candidate), _version_key(installed)
    if new is None or old is None:
        return False
    width = max(len(new), len(old))
    return new + (0,) * (width - len(new)) > old + (0,) * (width - len(old))


@dataclass(frozen=True)
class UpdateCheck:
    """What the rule says about installing ``candidate`` over ``installed``."""

    candidate: str
    installed: str | None  # None: nothing of this id is installed
    rollback: bool  # installed exists and candidate is not newer
    forced: bool  # a rollback IT allowed with a reason

    @property
    def allowed(self) -> bool:
        return not self.rollback or self.forced

    def refusal(self, what: str, force_hint: str) -> str:
        """The message for a refused rollback; ``what`` names the package, ``force_hint``
        the option that forces it."""
        return translate(
            "UpdateRule",
            "{what} {candidate} is not newer than the installed {installed}. An older or equal "
            "version is refused (it could bring back a withdrawn version); if this rollback is "
            "intended, re-run with {hint} (audited).").format(
                what=what, candidate=self.candidate, installed=self.installed, hint=force_hint)


def check_update(candidate: str, installed: str | None, *, allow_older: bool,
                 reason: str) -> UpdateCheck:
    """Apply the rule: a rollback is forced only with ``allow_older`` and a non-blank reason."""
    rollback = installed is not None and not version_is_newer(candidate, installed)
    return UpdateCheck(candidate, installed, rollback, rollback and allow_older and bool(reason.strip()))
