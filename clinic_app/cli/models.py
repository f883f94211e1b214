"""models list|verify|add|disable|enable, and score (calculator with --inputs, or a stored patient)."""

from __future__ import annotations

import argparse
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from clinic_app.cli import model_eval
from clinic_app.cli.accounts import add_auth_args
from clinic_app.cli.runtime import Runtime
from clinic_app.core.inference.risk import RiskModel, as_input_values
from clinic_app.core.inference.site_inputs import calculator_inputs
from clinic_app.core.records.inputs import prepare_calculator_inputs, read_inputs_file
from clinic_app.core.reports.wording import percent_text, refusal_detail
from clinic_app.errors import CannotCompute, IntegrityError, UsageError
from clinic_app.i18n import translate
from clinic_app.services.models import ModelCatalog, ModelInfo, VerifyReport, offline_registry

if TYPE_CHECKING:  # a calculator call does not load the patient-scoring service
    from clinic_app.services.risk_scores import NotComputed, PatientScores
    from clinic_app.services.score_outcome import ScoreOutcome


def _optional_user(p: argparse.ArgumentParser) -> None:
    p.add_argument("--user", metavar="USER",
                   help=translate("cli", "log in to apply admin approvals and disabled models and to audit "
                        "refusals (optional)"))
    p.add_argument("--password-stdin", action="store_true", help=translate("cli", "read the password from stdin"))


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    models = sub.add_parser("models", help=translate("cli", "list, verify, add, disable and enable model "
                                                            "packages"))
    msub = models.add_subparsers(dest="models_cmd", required=True, metavar="COMMAND")
    p = msub.add_parser("list", help=translate("cli", "installed packages, their trust, the provider each runs on, "
                                     "and refused packages with the reason"))
    p.add_argument("--json", action="store_true")
    _optional_user(p)
    p.set_defaults(handler=cmd_list)
    p = msub.add_parser("verify", help=translate("cli", "re-check hashes and trust and run each package's "
                                                        "test vectors"))
    p.add_argument("id", nargs="?", help=translate("cli", "one package id (default: all)"))
    p.add_argument("--json", action="store_true")
    _optional_user(p)
    p.set_defaults(handler=cmd_verify)
    p = msub.add_parser("add", help=translate("cli", "verify a package folder and install it in the site models "
                                    "folder (admin)"))
    p.add_argument("path", type=Path)
    p.add_argument("--allow-unsigned", action="store_true",
                   help=translate("cli", "approve this exact unsigned package (audited)"))
    p.add_argument("--reason", default="",
                   help=translate("cli", "why an unsigned package is approved, or an older version installed "
                                         "(audited)"))
    p.add_argument("--allow-older", action="store_true",
                   help=translate("cli", "install a version not newer than the installed one (needs "
                                         "--reason; audited)"))
    add_auth_args(p)
    p.set_defaults(handler=cmd_add)
    p = msub.add_parser("disable", help=translate("cli", "switch a model package off for every user until an admin "
                                        "enables it (admin, audited)"))
    p.add_argument("id", help=translate("cli", "package id (see 'models list')"))
    p.add_argument("--reason", default="", help=translate("cli", "why it is switched off (shown in the list)"))
    add_auth_args(p)
    p.set_defaults(handler=cmd_disable)
    p = msub.add_parser("enable", help=translate("cli", "switch a disabled model package on again (admin, "
                                                        "audited)"))
    p.add_argument("id", help=translate("cli", "package id (see 'models list')"))
    add_auth_args(p)
    p.set_defaults(handler=cmd_enable)
    model_eval.register(msub)

    p = sub.add_parser("score", help=translate("cli", "risk scores: --model ID --inputs FILE.json (calculator, no "
                                     "store), or MRN for a patient in the store"))
    p.add_argument("mrn", nargs="?", help=translate("cli", "patient MRN (omit with --inputs)"))
    p.add_argument("--model", action="append", metavar="ID",
                   help=translate("cli", "model id (repeatable; default with MRN: every risk model)"))
    p.add_argument("--inputs", type=Path, metavar="FILE.json",
                   help=translate("cli", "JSON object of named inputs in canonical units (calculator mode)"))
    p.add_argument("--issuer", help=translate("cli", "MRN issuer, when MRNs from two issuers collide"))
    p.add_argument("--as-of", metavar="YYYY-MM-DD", help=translate("cli", "score as the record stood on this date"))
    p.add_argument("--no-store", action="store_true", help=translate("cli", "do not store the results"))
    p.add_argument("--json", action="store_true")
    _optional_user(p)
    p.set_defaults(handler=cmd_score)


# -- models ------------------------------------------------------------------------------
def _catalog(rt: Runtime) -> ModelCatalog:
    from clinic_app.core.inference.runtime import RuntimeOptions

    return ModelCatalog(offline_registry(rt.settings),
                        RuntimeOptions(gpu_preference=rt.settings.gpu_preference))


def cmd_list(rt: Runtime) -> int:
    if rt.args.user:
        with rt.session() as sess:
            rows = rt.services.models.list(sess)
    else:
        cat = _catalog(rt)
        rows = cat.infos(cat.registry.scan())
    if rt.args.json:
        rt.print_json(rows)
        return 0
    rt.table([_row(r) for r in rows], ["id", "version", "task", "status", "provider", "trust", "demo"])
    for r in rows:
        if r.status == "refused":
            rt.print(translate("cli", "REFUSED {id}: {reason}").format(id=r.id, reason=r.reason))
        if r.disabled:
            why = f" ({r.disabled_reason})" if r.disabled_reason else ""
            rt.print(translate("cli", "DISABLED {id}: {disabled}{why}").format(
                         id=r.id, disabled=r.disabled, why=why))
    if not rt.args.user:
        rt.print(translate("cli", "(not logged in: admin approvals of unsigned packages and models disabled by an "
                 "admin are not applied, and refusals are not audited; add --user for all three)"))
    return 0


def _row(r: ModelInfo) -> dict[str, Any]:
    return {"id": r.id, "version": r.version, "task": r.task, "status": r.status,
            "provider": r.provider or "-", "trust": r.trust,
            "demo": translate("cli", "DEMO - not for clinical use") if r.demo else "no"}


def cmd_verify(rt: Runtime) -> int:
    if rt.args.user:
        with rt.session() as sess:
            reports = rt.services.models.verify(sess, rt.args.id)
    else:
        cat = _catalog(rt)
        reports = cat.verify(cat.registry.scan(), rt.args.id)
    if rt.args.json:
        rt.print_json(reports)
    else:
        for rep in reports:
            _print_report(rt, rep)
    failed = [r.id for r in reports if not r.ok]
    if failed:
        raise IntegrityError(translate("cli", "{len} model package(s) failed verification: {join}. Do not "
                                              "use them; reinstall from the publisher.").format(
                                 len=len(failed), join=', '.join(failed)))
    return 0


def _print_report(rt: Runtime, rep: VerifyReport) -> None:
    status = "SKIPPED" if rep.skipped else "OK" if rep.ok else "FAILED"
    on = translate("cli", " on {provider}").format(provider=rep.provider) if rep.provider else ""
    rt.print(f"{status} {rep.id} {rep.version} ({rep.trust}){on}")
    if rep.error:
        rt.print(f"  {rep.error}")
    for c in rep.checks:
        rt.print(translate("cli", "  [{value}] {name}: {detail}  (source: {source})").format(
                     value='pass' if c.ok else 'FAIL', name=c.name, detail=c.detail, source=c.source))


def cmd_add(rt: Runtime) -> int:
    path: Path = rt.args.path
    with rt.session() as sess:
        info = rt.services.models.add(sess, path, allow_unsigned=rt.args.allow_unsigned,
                                      reason=rt.args.reason, allow_older=rt.args.allow_older)
    if info.status == "disabled":
        rt.print(translate("cli", "Installed {id} {version} ({trust}); it stays off: {disabled}. 'clinic-app "
                                  "models enable {id}' switches it on.").format(
                     id=info.id, version=info.version, trust=info.trust, disabled=info.disabled))
    else:
        rt.print(translate("cli", "Installed {id} {version} ({trust}); runs on {provider}.").format(
                     id=info.id, version=info.version, trust=info.trust, provider=info.provider))
    return 0


def cmd_disable(rt: Runtime) -> int:
    with rt.session() as sess:
        info = rt.services.models.disable(sess, rt.args.id, reason=rt.args.reason)
    rt.print(translate("cli", "{id} is {value}: it is listed but no longer loaded, scored or analysed by "
                              "anyone. 'clinic-app models enable {id}' switches it on again.").format(
                 id=rt.args.id, value=info.disabled if info else 'disabled'))
    return 0


def cmd_enable(rt: Runtime) -> int:
    with rt.session() as sess:
        info = rt.services.models.enable(sess, rt.args.id)
    if info is None:
        rt.print(translate("cli", "{id} is enabled again (no package with this id is installed now).").format(
                     id=rt.args.id))
    elif info.status == "refused":
        rt.print(translate("cli", "{id} is enabled again, but it is refused: {reason}").format(
                     id=rt.args.id, reason=info.reason))
    else:
        rt.print(translate("cli", "{id} {version} is enabled again.").format(
                     id=rt.args.id, version=info.version))
    return 0


# -- score -------------------------------------------------------------------------------
def _as_of(text: str | None) -> datetime | None:
    if not text:
        return None
    try:
        day = datetime.strptime(text, "%Y-%m-%d")
    except ValueError:
        raise UsageError(translate("cli", "--as-of {text!r}: use YYYY-MM-DD.").format(text=text)) from None
    return day.replace(hour=23, minute=59, second=59, tzinfo=UTC)


def cmd_score(rt: Runtime) -> int:
    a = rt.args
    if a.inputs is not None:
        if a.mrn:
            raise UsageError(translate("cli", "Give either an MRN or --inputs FILE.json, not both."))
        if not a.model or len(a.model) != 1:
            raise UsageError(translate("cli", "Calculator mode needs exactly one --model ID (see 'clinic-app models "
                             "list')."))
        raw = read_inputs_file(a.inputs, str(a.inputs))
        if a.user:  # the store's view: admin approvals and disabled models apply
            with rt.session() as sess:
                model = RiskModel(rt.services.models.session_for(sess, a.model[0]))
        else:  # no store, no admin: shipped and site packages under site policy only
            model = _catalog(rt).risk_model(a.model[0])
        inputs = prepare_calculator_inputs(raw, [f.name for f in model.manifest.features])
        result = model.score(as_input_values(calculator_inputs(model.manifest.id, inputs)))
        if a.json:
            rt.print_json(result.to_json())
        else:
            from clinic_app.services.score_outcome import from_result  # not on --json

            _print_result(rt, from_result(result, result.as_of or datetime.now(UTC)))
        return 0
    if not a.mrn:
        raise UsageError(translate("cli", "Give a patient MRN, or --model ID --inputs FILE.json for "
                                          "calculator mode."))
    if not a.user:
        raise UsageError(translate("cli", "Scoring a stored patient needs --user NAME (a physician)."))
    with rt.session() as sess:
        scores = rt.services.risk.score_patient(sess, a.mrn, issuer=a.issuer, model_ids=a.model,
                                                as_of=_as_of(a.as_of), store=not a.no_store)
    if a.json:
        rt.print_json(scores.to_json())
    else:
        _print_scores(rt, scores)
    if not scores.results:
        raise CannotCompute(translate("cli", "No risk score could be computed for this patient: ")
                            + "; ".join(f"{n.model_id}: {n.reason}" for n in scores.not_computed))
    return 0


def _print_result(rt: Runtime, o: ScoreOutcome) -> None:
    """One computed outcome in detail, read from its documented snapshot (``o.detail``)."""
    d = o.detail
    category = f" ({o.category})" if o.category else ""
    horizon = translate("cli", " over {horizon}").format(horizon=d["horizon"]) \
        if d.get("horizon") else ""
    rt.print(f"{o.model_name}: {o.value_text}{horizon}{category}")
    rt.print(translate("cli", "  model {model_id} {model_version}, ran on {provider}").format(
                 model_id=o.model_id, model_version=o.model_version, provider=o.provider))
    for flag in o.flags:
        rt.print(translate("cli", "  FLAG: {flag}").format(flag=flag))
    e = d.get("explanation")
    contributions = d.get("contribution_details") or []
    if e:
        rt.print(translate("cli", "  with optimal risk factors ({value}): {percent_text}").format(
                     value=e["reference"].split(', optimal')[0],
                     percent_text=percent_text(e["reference_risk"])))
        rt.print(translate("cli", "  modifiable factors add {value:+.1f} percentage points:").format(
                     value=(e["risk"] - e["reference_risk"]) * 100))
        for share in sorted(e["shares"], key=lambda s: abs(s["amount"]), reverse=True):
            rt.print(translate("cli", "    {label}: {points:+.1f} percentage points").format(
                         label=share["label"], points=share["amount"] * 100.0))
    elif contributions and o.unit in ("points", "score"):
        rt.print(
            translate("cli", "  points per item:") if o.unit == "points" else translate("cli", "  score per input:")
        )
        for c in sorted(contributions, key=lambda c: -abs(c["amount"])):
            when = f", {c['date'][:10]}" if c.get("date") else ""
            unit = f" {c['unit']}" if c.get("unit") else ""
            rt.print(translate("cli", "    {label}: {amount:+.3g}  (value {value}{unit}{when}; {source})").format(
                         label=c["label"], amount=c["amount"], value=c["value"], unit=unit, when=when,
                         source=c["source"]))
    if d.get("unused_inputs"):
        rt.print(translate("cli", "  not used by this model: {join}").format(join=', '.join(d["unused_inputs"])))


def _print_not_computed(rt: Runtime, n: NotComputed) -> None:
    rt.print(translate("cli", "{model_name}: cannot compute: {reason}").format(
                 model_name=translate("model_terms", n.model_name), reason=refusal_detail(n.reason)))


def _print_scores(rt: Runtime, scores: PatientScores) -> None:
    rt.print(translate("cli", "As of {isoformat}:").format(isoformat=scores.as_of.date().isoformat()))
    for outcome in scores.outcomes():
        if outcome.computed:
            _print_result(rt, outcome)
    for n in scores.not_computed:
        _print_not_computed(rt, n)
