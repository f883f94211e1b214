"""clinic-app --self-test: every item reports PASS/FAIL honestly, failures never abort the run."""

from __future__ import annotations

import io
import json
import os
from pathlib import Path

import numpy as np
import pytest

from clinic_app.cli.main import main
from clinic_app.config import Settings
from clinic_app.core.child_probe import run_probe
from clinic_app.selftest import CheckStatus, run_checks
from clinic_app.selftest.dicom_samples import (
    REQUIRED_PLUGINS,
    Sample,
    check_sample,
    compare,
    expected_pixels,
    load_samples,
    samples_dir,
)

REQUIRED_SYNTAXES = {
    "1.2.840.10008.1.2", "1.2.840.10008.1.2.1", "1.2.840.10008.1.2.2", "1.2.840.10008.1.2.1.99",
    "1.2.840.10008.1.2.5", "1.2.840.10008.1.2.4.50", "1.2.840.10008.1.2.4.51",
    "1.2.840.10008.1.2.4.57", "1.2.840.10008.1.2.4.70", "1.2.840.10008.1.2.4.80",
    "1.2.840.10008.1.2.4.81", "1.2.840.10008.1.2.4.90", "1.2.840.10008.1.2.4.91",
    "1.2.840.10008.1.2.4.201", "1.2.840.10008.1.2.4.202", "1.2.840.10008.1.2.4.203",
}


def run_cli(*args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(list(args), stdout=out, stderr=err)
    return code, out.getvalue(), err.getvalue()


def items_by_name(report: dict) -> dict[str, dict]:
    return {item["name"]: item for item in report["items"]}


@pytest.fixture(scope="module")
def source_report(tmp_path_factory: pytest.TempPathFactory) -> tuple[int, dict, Path]:
    """One --self-test --json run of this source install, shared by the tests that read it."""
    store = tmp_path_factory.mktemp("selftest") / "store"
    code, out, _ = run_cli("--store", str(store), "--self-test", "--json")
    return code, json.loads(out), store


def test_self_test_passes_on_this_install_and_reports_json(source_report):
    """On a healthy source install every non-model item passes; --json gives one item per check."""
    code, report, store = source_report
    assert code == (0 if report["ok"] else 1)
    names = items_by_name(report)
    for name in ("config", "log folder", "store location", "crypto", "qt offscreen",
                 "onnxruntime", "terminology"):
        assert names[name]["status"] == CheckStatus.PASS, names[name]
    dicom = [i for i in report["items"] if i["name"].startswith("dicom ")]
    assert len(dicom) == len(load_samples())
    assert all(i["status"] == CheckStatus.PASS for i in dicom), dicom
    assert "running on" in names["onnxruntime"]["detail"]
    assert "workspaces load" in names["qt offscreen"]["detail"]
    assert not store.exists(), "the self-test must not create the store"


def test_every_shipped_model_verifies_with_its_test_vectors(source_report):
    """Every shipped model passes hash, trust and test-vector checks in the self-test."""
    models = [i for i in source_report[1]["items"] if i["name"].startswith("model")]
    assert models, "no model items: the model registry or models/ is missing"
    failed = [i for i in models if i["status"] != CheckStatus.PASS]
    assert not failed, failed
    imaging = {i["name"]: i["detail"] for i in models
               if i["name"] in ("model cr-nodule-demo", "model ct-hyperdense-lesion-demo")}
    assert len(imaging) == 2 and all("test vectors pass" in d for d in imaging.values())


def test_text_report_has_one_line_per_item_and_a_verdict(tmp_path):
    """The human report prints PASS/FAIL per item and a closing summary line."""
    code, out, _ = run_cli("--store", str(tmp_path / "store"), "--self-test")
    lines = out.strip().splitlines()
    assert lines[0].startswith("clinic-app ") and "source install" in lines[0]
    assert all(line.split()[0] in list(CheckStatus) for line in lines[1:-1])
    assert lines[-1].startswith("self-test all checks passed" if code == 0 else "self-test FAILED")


def test_malformed_config_fails_its_item_and_the_rest_still_run(tmp_path, monkeypatch):
    """A broken site config is one FAIL naming file, line and key; the other checks still run."""
    site = tmp_path / "site.toml"
    site.write_text("theme = \"dark\"\nidle_timeout_minutes = \"soon\"\n", encoding="utf-8")
    monkeypatch.setenv("CLINIC_APP_SITE_CONFIG", str(site))
    code, out, _ = run_cli("--store", str(tmp_path / "store"), "--self-test", "--json")
    assert code == 1
    report = json.loads(out)
    names = items_by_name(report)
    assert names["config"]["status"] == CheckStatus.FAIL
    assert f"{site}:2: key 'idle_timeout_minutes'" in names["config"]["detail"]
    assert names["crypto"]["status"] == CheckStatus.PASS
    assert names["dicom jpeg_baseline"]["status"] == CheckStatus.PASS


@pytest.mark.skipif(os.name != "posix", reason="POSIX permission bits")
def test_world_writable_site_config_fails(tmp_path, monkeypatch):
    """A site config any user could rewrite is a FAIL, even though it parses."""
    site = tmp_path / "site.toml"
    site.write_text('theme = "light"\n', encoding="utf-8")
    site.chmod(0o666)
    monkeypatch.setenv("CLINIC_APP_SITE_CONFIG", str(site))
    code, out, _ = run_cli("--store", str(tmp_path / "store"), "--self-test", "--json")
    config = items_by_name(json.loads(out))["config"]
    assert code == 1 and config["status"] == CheckStatus.FAIL
    assert "writable by every user" in config["detail"]


def test_unusable_store_and_log_locations_fail(tmp_path):
    """A store or log folder that cannot be created is a FAIL, not a crash."""
    blocker = tmp_path / "a-file"
    blocker.write_text("x")
    settings = Settings(store_dir=blocker / "store", log_dir=blocker / "logs")
    from clinic_app.logging_setup import configure

    report = run_checks(settings, log_path_probe=lambda s: configure(s.effective_log_dir))
    names = {i.name: i for i in report.items}
    assert names["store location"].status == CheckStatus.FAIL and "not a folder" in names["store location"].detail
    assert names["log folder"].status == CheckStatus.FAIL
    assert not report.ok


def test_deliberate_tampering_leaves_no_alarm_in_the_log(tmp_path):
    """The crypto check's own tamper tests do not write integrity alarms into IT's log."""
    from clinic_app.logging_setup import configure

    settings = Settings(store_dir=tmp_path / "s", log_dir=tmp_path / "logs", gpu_preference="cpu")
    report = run_checks(settings, log_path_probe=lambda s: configure(s.effective_log_dir))
    assert {i.name: i for i in report.items}["crypto"].status == CheckStatus.PASS
    for handler in __import__("logging").getLogger("clinic_app").handlers:
        handler.flush()
    text = (tmp_path / "logs" / "clinic-app.log").read_text(encoding="utf-8")
    assert "failed authentication" not in text and "integrity failure" not in text
    configure(tmp_path / "detached")


def test_cpu_preference_is_honoured_and_reported(tmp_path):
    """With gpu_preference = cpu only the CPU provider is asked for, and the report says why."""
    report = run_checks(Settings(store_dir=tmp_path / "s", gpu_preference="cpu"))
    item = {i.name: i for i in report.items}["onnxruntime"]
    assert item.status == CheckStatus.PASS
    assert "requested CPU;" in item.detail and "gpu_preference = cpu" in item.detail


# -- DICOM samples -----------------------------------------------------------------------

def test_samples_cover_every_transfer_syntax_the_codecs_support():
    """There is a built-in sample for each transfer syntax our codec set decodes."""
    assert {s.transfer_syntax for s in load_samples()} >= REQUIRED_SYNTAXES


@pytest.mark.parametrize("sample", load_samples(), ids=lambda s: s.file)
def test_each_sample_decodes_exactly_or_within_bound_with_every_plugin(sample):
    """Every available plugin decodes every sample to the known pixels."""
    outcomes = check_sample(sample)
    assert outcomes
    assert not [o for o in outcomes if o.fails], outcomes
    assert any(o.ok and o.plugin in REQUIRED_PLUGINS for o in outcomes)


def _first_fragment(path: Path) -> bytes:
    from pydicom import dcmread
    from pydicom.encaps import generate_frames

    ds = dcmread(path)
    return next(generate_frames(ds.PixelData, number_of_frames=1))


@pytest.mark.parametrize(("file", "marker"), [
    ("jpeg_baseline.dcm", b"\xff\xc0"), ("jpeg_extended_12bit.dcm", b"\xff\xc1"),
    ("jpeg_lossless_p14.dcm", b"\xff\xc3"), ("jpeg_lossless_sv1.dcm", b"\xff\xc3"),
    ("jpegls_lossless.dcm", b"\xff\xf7"), ("jpegls_near_lossless.dcm", b"\xff\xf7"),
    ("j2k_lossless.dcm", b"\xff\x4f\xff\x51"), ("htj2k_lossless.dcm", b"\xff\x50"),
    ("htj2k_rpcl.dcm", b"\xff\x50"), ("htj2k.dcm", b"\xff\x50"),
])
def test_samples_really_use_their_coding_process(file, marker):
    """Each compressed sample carries the marker of its declared process (SOF1, SOF3, CAP...)."""
    fragment = _first_fragment(Path(str(samples_dir().joinpath(file))))
    assert marker in fragment


def test_lossless_p14_sample_uses_a_predictor_other_than_1():
    """The Process 14 sample is not the SV1 special case, so both decoder paths are tested."""
    fragment = _first_fragment(Path(str(samples_dir().joinpath("jpeg_lossless_p14.dcm"))))
    sos = fragment.index(b"\xff\xda")
    components = fragment[sos + 4]
    assert fragment[sos + 5 + 2 * components] != 1


def test_rpcl_sample_declares_rpcl_progression():
    """The HTJ2K RPCL sample's COD marker says RPCL (progression order 2)."""
    fragment = _first_fragment(Path(str(samples_dir().joinpath("htj2k_rpcl.dcm"))))
    cod = fragment.index(b"\xff\x52")
    assert fragment[cod + 5] == 2


def _sample(**changes) -> Sample:
    base = next(s for s in load_samples() if s.file == "explicit_be.dcm")
    return Sample(**{**base.__dict__, **changes})


def test_expected_pattern_spans_the_full_range():
    """The lossless pattern hits both ends of the stored range, so lost high bits show."""
    pixels = expected_pixels(_sample())
    assert pixels.min() == 0 and pixels.max() == 65535
    signed = expected_pixels(_sample(signed=True))
    assert signed.min() == -32768 and signed.max() == 32767


def test_byte_swapped_or_transposed_pixels_are_caught():
    """A decoder that forgets the byte swap or swaps rows and columns fails the comparison."""
    sample = _sample()
    good = expected_pixels(sample)
    assert compare(sample, good, good) == (True, "exact")
    assert compare(sample, good.byteswap(), good)[0] is False
    square = _sample(rows=8, cols=8)
    pixels = expected_pixels(square)
    assert compare(square, pixels.T.copy(), pixels)[0] is False
    assert compare(sample, good.astype(np.int16), good)[0] is False


def test_lossy_bound_is_enforced():
    """A lossy decode beyond its recorded error bound fails."""
    sample = next(s for s in load_samples() if s.file == "jpeg_baseline.dcm")
    good = expected_pixels(sample)
    noisy = np.clip(good.astype(np.int64) + sample.max_error + 1, 0, 255).astype(good.dtype)
    ok, detail = compare(sample, noisy, good)
    assert not ok and "exceeds the bound" in detail


def test_damaged_sample_file_is_reported_as_damaged():
    """A sample whose bytes changed is reported as damaged, not as a codec failure."""
    outcomes = check_sample(_sample(sha256="0" * 64))
    assert len(outcomes) == 1 and not outcomes[0].ok and "damaged" in outcomes[0].detail


# -- child-process probes ----------------------------------------------------------------

def test_qt_probe_that_aborts_is_a_fail_not_a_crash():
    """A Qt platform plugin that cannot load aborts the child; the parent reports FAIL."""
    result = run_probe("qt", env={"QT_QPA_PLATFORM": "no-such-platform"})
    assert not result.ok
    assert "without an answer" in result.error


def test_unknown_probe_is_refused():
    """An unknown probe name answers with an error instead of hanging or crashing."""
    result = run_probe("no-such-probe")
    assert not result.ok and "unknown probe" in result.error


# -- models ------------------------------------------------------------------------------

def test_bad_site_model_package_fails_with_its_reason(tmp_path):
    """A site model package that does not verify is a FAIL naming the package and reason."""
    bad = tmp_path / "site-models" / "broken"
    bad.mkdir(parents=True)
    (bad / "manifest.json").write_text('{"id": "broken", "not": "a manifest"}', encoding="utf-8")
    report = run_checks(Settings(store_dir=tmp_path / "s", models_dir=tmp_path / "site-models",
                                 gpu_preference="cpu"))
    models = [i for i in report.items if i.name.startswith("model")]
    broken = [i for i in models if "broken" in i.name]
    assert broken and broken[0].status == CheckStatus.FAIL and "refused" in broken[0].detail
    assert not report.ok
