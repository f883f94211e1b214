"""Technical messages kept in English (DICOM import reasons, self-test details, provider
checks) and shown in the reader's language."""

from __future__ import annotations

import io
import re

import pytest
from pydicom import dcmread

from clinic_app.core.child_probe import ProbeResult
from clinic_app.core.imaging import import_wording
from clinic_app.core.imaging.headers import parse_header
from clinic_app.core.imaging.import_wording import shown_reason
from clinic_app.core.inference import provider_wording
from clinic_app.core.inference.provider_wording import shown_provider_detail
from clinic_app.errors import HeaderError
from clinic_app.i18n import Language, set_language
from clinic_app.selftest import CheckStatus, _writable
from clinic_app.selftest import wording as selftest_wording
from clinic_app.selftest.wording import shown_detail
from clinic_app.services.system_info import provider_checks
from tests.test_imaging_headers import _with_raw_value, ct_bytes  # noqa: F401 - fixture

PLACEHOLDER = re.compile(r"\{(\w+)\}")


@pytest.fixture(autouse=True)
def chinese():
    """Each test reads in zh_CN and leaves the process in English."""
    set_language("zh_CN")
    yield
    set_language(Language.ENGLISH)


def test_damaged_required_tag_is_refused_in_english_and_shown_in_chinese(ct_bytes: bytes) -> None:  # noqa: F811
    """Rows holding a name's bytes: the refusal kept is the English one whatever the
    language; the one shown is Chinese, names the tag and never quotes the bytes."""
    data = _with_raw_value(ct_bytes, (0x0028, 0x0010), b"SMITH^JOHN!")
    with pytest.raises(HeaderError) as info:
        parse_header(data)
    stored = str(info.value)
    assert stored == "required Rows (0028,0010) is damaged: its length does not fit its value type"
    shown = shown_reason(stored)
    assert shown == "必需的 Rows (0028,0010) 已损坏：其长度与值类型不符"
    assert "SMITH" not in shown and "\n" not in shown


def test_damaged_optional_tag_warning_is_stored_in_english(ct_bytes: bytes) -> None:  # noqa: F811
    """A damaged optional value: the warning the index keeps is English in zh_CN too;
    shown, it is Chinese."""
    ds = dcmread(io.BytesIO(ct_bytes))
    ds.add_new(0x00280106, "US", 7)  # SmallestImagePixelValue
    buf = io.BytesIO()
    ds.save_as(buf, enforce_file_format=True)
    header = parse_header(_with_raw_value(buf.getvalue(), (0x0028, 0x0106), b"DOE^JANE!"))
    (warning,) = [w for w in header.warnings if "SmallestImagePixelValue" in w]
    assert warning == ("SmallestImagePixelValue (0028,0106) is damaged (its length does not "
                       "fit its value type); ignored")
    shown = shown_reason(warning)
    assert shown.startswith("SmallestImagePixelValue (0028,0106) ") and "已忽略" in shown
    assert "DOE" not in shown


def test_not_dicom_and_truncated_files_read_chinese() -> None:
    """The commonest refusals (not DICOM, truncated) come out Chinese when shown."""
    for data in (b"hello", b"\0" * 128 + b"DICM" + b"\2\0\1\0OB\0\0\xff\xff"):
        with pytest.raises(HeaderError) as info:
            parse_header(data)
        stored = str(info.value)
        assert stored.isascii()
        assert not shown_reason(stored).isascii(), stored


TABLES = [(import_wording.TEMPLATES, shown_reason), (selftest_wording.TEMPLATES, shown_detail),
          (provider_wording.TEMPLATES, shown_provider_detail)]


@pytest.mark.parametrize(("template", "shown_as"), [(t, f) for table, f in TABLES for t in table])
def test_every_kept_english_message_has_chinese_wording(template: str, shown_as) -> None:
    """Each message of the three tables, filled in, is shown in Chinese on one line and
    keeps its file- or machine-derived parts (tag names, numbers, paths) as written."""
    sample = PLACEHOLDER.sub(lambda m: "its value does not fit its value type"
                             if m[1] in ("why", "what", "refusal") else "X1", template)
    shown = shown_as(sample)
    assert shown != sample and "\n" not in shown
    assert shown.count("X1") == sample.count("X1")


def test_unknown_text_is_shown_as_written() -> None:
    """Text the import did not write (a newer version's reason) is passed through."""
    assert shown_reason("something new happened") == "something new happened"


def test_self_test_detail_is_kept_english_and_shown_chinese(tmp_path) -> None:
    """A folder check's detail stays English in the report; the CLI shows it in Chinese."""
    status, detail = _writable(tmp_path, "store folder")
    assert status is CheckStatus.PASS and detail == f"{tmp_path} writable"
    assert shown_detail(detail) == f"{tmp_path} 可写"
    status, detail = _writable(tmp_path / "x" / "y", "log folder")
    assert shown_detail(detail) == f"{tmp_path / 'x' / 'y'} 可写（将在 {tmp_path} 下创建）"


def test_provider_failure_on_the_system_tab_reads_chinese() -> None:
    """The System tab's provider details: English from the check, Chinese when shown, the
    nested reason included."""
    (check,) = provider_checks(ProbeResult(ok=False, data={}, error=""))
    assert check.detail.startswith("the provider check failed in its separate process (it gave no")
    shown = shown_provider_detail(check.detail)
    assert shown.startswith("执行提供程序检查在独立进程中失败（它未给出可用的结果）")
    assert shown_provider_detail("listed, but its library libcudnn.so.9 is not installed beside "
                                 "onnxruntime") == "已列出，但其依赖库 libcudnn.so.9 未与 onnxruntime 一起安装"


def test_model_check_detail_translates_its_trust_too() -> None:
    """A model's self-test line: the trust description inside it is translated as well;
    the counts stay as written."""
    detail = "files match their hashes, signed by trusted key site-2026; 4/5 test vectors pass: v3: off by 0.2"
    assert shown_detail(detail) == ("文件与其哈希值一致，由受信任密钥 site-2026 签名；4/5 个测试向量通过："
                                    "v3: off by 0.2")


def test_fuzzed_files_reasons_all_read_chinese() -> None:
    """Every refusal, status and warning the header parser gives for the fuzzer's mutated
    files has Chinese wording (a new reason without a template fails here)."""
    import random
    import warnings

    from tests.fuzz import mutate, samples

    rng = random.Random(3)
    left: set[str] = set()
    for data in samples.load().values():
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            ds = dcmread(io.BytesIO(data), force=True)
        for name, mutator in mutate.MUTATORS.items():
            if name == "zip":  # an archive, not a header
                continue
            for _ in range(4):
                try:
                    with warnings.catch_warnings():
                        warnings.simplefilter("ignore")
                        files = mutator(data, ds, rng)
                except Exception:  # pydicom cannot write this mutation: no file to read
                    files = {}
                for blob in files.values():
                    try:
                        header = parse_header(blob)
                        messages = [*header.warnings, header.status]
                    except HeaderError as exc:
                        messages = [str(exc)]
                    left |= {m for m in messages if m and shown_reason(m) == m}
    assert not left, left


def test_decoder_refusal_reads_as_one_chinese_sentence() -> None:
    """The refusal inside "pixel data cannot be decoded" (instance, frame, why) is worded in
    Chinese too; the decoder's own message is never in it, and file name, UID and transfer
    syntax name stay as written."""
    from clinic_app.core.imaging.boundary import InstanceRef, failure

    ref = InstanceRef("1.2.3.4", "IM1.dcm", 4)
    error = failure(ref, 0, "RLE Lossless pixel data", RuntimeError("rle: segment 2 overruns its end"))
    stored = ("pixel data cannot be decoded, so this instance was not imported (the rest of its series "
              f"was): {error}")
    assert "overruns" not in stored
    shown = shown_reason(stored)
    assert shown == ("像素数据无法解码，因此未导入此实例（其所在序列的其余部分已导入）：文件 IM1.dcm，实例 4，"
                     "SOP 实例 UID 1.2.3.4，第 1 帧：RLE Lossless 像素数据无法解码（数据已损坏，或采用了解码器"
                     "不支持的格式）。")
