"""The self-test's DICOM-sample and crypto lines: English in the report, Chinese when
shown, with only codec, syntax and algorithm names left in Latin letters."""

from __future__ import annotations

import re

import numpy as np
import pytest

from clinic_app.config import Settings
from clinic_app.i18n import Language, set_language
from clinic_app.selftest import _check_codecs, _check_terminology
from clinic_app.selftest.codec_wording import OUTCOMES
from clinic_app.selftest.crypto_roundtrip import crypto_roundtrip
from clinic_app.selftest.dicom_samples import compare, load_samples
from clinic_app.selftest.wording import shown_detail

WORD = re.compile(r"[A-Za-z][A-Za-z0-9-]*")
PLUGINS = {"pydicom", "pylibjpeg", "pillow", "pyjpegls", "gdcm"}
#: Names kept as written: algorithms, units, the colour model, the report's flag.
NAMES = {"Argon2id", "MiB", "AES-256-GCM", "AES-GCM", "X25519", "SQLCipher", "RGB", "json", "m", "t"}


@pytest.fixture(autouse=True)
def chinese():
    """Each test reads in zh_CN and leaves the process in English."""
    set_language("zh_CN")
    yield
    set_language(Language.ENGLISH)


def _english_words(shown: str, syntaxes: set[str]) -> list[str]:
    for syntax in sorted(syntaxes, key=len, reverse=True):
        shown = shown.replace(syntax, "")
    return [w for w in WORD.findall(shown) if w not in PLUGINS | NAMES and not w.endswith("Error")]


def test_every_sample_line_reads_chinese_and_the_report_keeps_english() -> None:
    """Each built-in sample's line, as the CLI shows it, has no English words left but the
    transfer syntax, plugin and exception names; the report's detail stays English."""
    syntaxes = {re.sub(r", \d+-bit .*$", "", s.description) for s in load_samples()}
    items = _check_codecs()
    assert items
    for item in items:
        assert item.detail.isascii()
        shown = shown_detail(item.detail)
        assert shown != item.detail
        assert _english_words(shown, syntaxes) == [], shown


def test_decoder_message_is_not_shown() -> None:
    """A decoder's own message (third-party text) is left to the JSON report."""
    detail = ("JPEG Extended (Process 2 and 4), 12-bit unsigned: pylibjpeg: within bound (max error 2); "
              "pillow (optional): cannot decode: RuntimeError: pillow: Pillow does not support 12-bit")
    shown = shown_detail(detail)
    assert shown == ("JPEG Extended (Process 2 and 4)，12 位无符号：pylibjpeg：在允许误差内（最大误差 2）；"
                     "pillow（可选）：无法解码（RuntimeError；解码器的原始信息见 --json 报告）")
    assert "Pillow does not" not in shown


def test_failed_comparisons_read_chinese() -> None:
    """A decoder that returns other pixels: each failure wording compare() writes is shown
    in Chinese with its numbers kept."""
    sample = next(s for s in load_samples() if s.lossless and s.frames == 1)
    expected = np.zeros((2, 2), dtype=np.uint16)
    wrong = expected.copy()
    wrong[0, 0] = 7
    details = [compare(sample, wrong, expected)[1],
               compare(sample, np.zeros((3, 2), dtype=np.uint16), expected)[1],
               compare(sample, np.zeros((2, 2), dtype=np.float32), expected)[1]]
    shown = [shown_detail(f"{sample.description}: pylibjpeg: {d}") for d in details]
    assert shown[0].endswith("pylibjpeg：1 个像素不一致（无损压缩必须完全一致）")
    assert shown[1].endswith("pylibjpeg：形状为 (3, 2)，应为 (2, 2)")
    assert shown[2].endswith("pylibjpeg：数据类型为 float32，应为 uint16")


@pytest.mark.parametrize("outcome", OUTCOMES)
def test_every_outcome_has_chinese_wording(outcome: str) -> None:
    """Each plugin outcome template, filled in, reads Chinese inside a sample line."""
    filled = re.sub(r"\{\w+\}", "X1", outcome)
    shown = shown_detail(f"RLE Lossless, 16-bit signed, 2 frames: pydicom: {filled}")
    assert shown.startswith("RLE Lossless，16 位有符号，2 帧：pydicom：")
    assert _english_words(shown, {"RLE Lossless", "SHA-256", "X1"}) == [], shown


def test_crypto_line_reads_chinese(tmp_path) -> None:
    """The real crypto round trip's summary: Chinese around the algorithm names and numbers."""
    detail = crypto_roundtrip(Settings(store_dir=tmp_path))
    assert detail.isascii()
    shown = shown_detail(detail)
    assert "密钥封装" in shown
    assert ("community" in detail) == ("社区版" in shown)
    assert _english_words(shown, set()) == [], shown


def test_terminology_and_workspace_lines_read_chinese(tmp_path) -> None:
    """The terminology copy in use and the Qt probe's workspace titles are shown in
    Chinese; an unknown title is kept as written."""
    _, detail = _check_terminology(Settings(store_dir=tmp_path))
    assert "(shipped copy)" in detail
    assert "（随应用提供的副本）：" in shown_detail(detail)
    shown = shown_detail("Qt 6.12.0 (PySide6 6.12.0) started on platform 'offscreen', drew a widget, SVG icon "
                         "drawn, 3 workspaces load (Radiology, Patients and risk, Lab)")
    assert shown.endswith("3 个工作区可加载（影像, 患者与风险, Lab）")
