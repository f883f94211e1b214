"""Site and user configuration: precedence, site-only keys, and errors that name file, line, key."""

from __future__ import annotations

import re
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from clinic_app.config import (
    CHOICES,
    KEYS,
    RANGES,
    SITE_ONLY,
    Settings,
    check_value,
    load_settings,
    read_config_file,
)
from clinic_app.errors import ConfigError

DOCS = Path(__file__).resolve().parents[1] / "docs" / "configuration.md"


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def test_missing_files_give_defaults(tmp_path):
    """With no config files at all, every setting has its documented default."""
    s = load_settings(site_path=tmp_path / "none.toml", user_path=tmp_path / "none2.toml")
    assert s.idle_timeout_minutes == 10.0
    assert s.gpu_preference == "auto"
    assert s.store_dir.is_absolute()


def test_site_then_user_then_store_override(tmp_path, monkeypatch):
    """The user file overrides the site file for comfort keys; --store beats both."""
    monkeypatch.delenv("CLINIC_APP_STORE", raising=False)
    site = write(tmp_path / "site.toml",
                 f'[clinic_app]\nstore_dir = "{tmp_path / "site-store"}"\ntheme = "light"\n'
                 "idle_timeout_minutes = 5\n")
    user = write(tmp_path / "user.toml", 'theme = "dark"\nauto_analyze_on_import = true\n')
    s = load_settings(site_path=site, user_path=user)
    assert s.store_dir == tmp_path / "site-store"
    assert s.theme == "dark" and s.auto_analyze_on_import is True
    assert s.idle_timeout_minutes == 5.0 and isinstance(s.idle_timeout_minutes, float)
    s2 = load_settings(tmp_path / "cli-store", site_path=site, user_path=user)
    assert s2.store_dir == tmp_path / "cli-store"


def test_environment_store_beats_files(tmp_path, monkeypatch):
    """$CLINIC_APP_STORE selects the store when --store is not given."""
    monkeypatch.setenv("CLINIC_APP_STORE", str(tmp_path / "env-store"))
    s = load_settings(site_path=tmp_path / "no", user_path=tmp_path / "no")
    assert s.store_dir == tmp_path / "env-store"


def test_relative_store_override_is_made_absolute(tmp_path, monkeypatch):
    """A relative --store is taken relative to the working directory, as a shell user expects."""
    monkeypatch.chdir(tmp_path)
    s = load_settings("rel", site_path=tmp_path / "no", user_path=tmp_path / "no")
    assert s.store_dir == tmp_path / "rel"


@pytest.mark.parametrize("key", sorted(SITE_ONLY))
def test_user_file_cannot_set_site_only_keys(tmp_path, key):
    """Every site-only key in a user's file is refused with the file, line and key named."""
    value = {"Path": '"/tmp/x"', "Path | None": '"/tmp/x"', "bool": "true", "str": '"auto"'}
    annotation = {f: str(t) for f, t in Settings.__annotations__.items()}[key]
    literal = value.get(annotation, "24")
    if key in RANGES:
        literal = str(RANGES[key][0] if annotation == "int" else float(RANGES[key][0]))
    if key in CHOICES:
        literal = f'"{CHOICES[key][-1]}"'
    path = write(tmp_path / "user.toml", f"# comment\n{key} = {literal}\n")
    with pytest.raises(ConfigError) as info:
        read_config_file(path, site=False)
    assert f"{path}:2: key '{key}'" in str(info.value)
    assert "only be set by IT" in str(info.value)
    assert read_config_file(path, site=True)  # the same line is fine in the site file


@pytest.mark.parametrize(("text", "line", "fragment"), [
    ('idle_timeout_minutes = "ten"\n', 1, "must be a number, not the text 'ten'"),
    ("\n\nkdf_iterations = 2.5\n", 3, "must be a whole number"),
    ("password_min_length = 8\n", 1, "between 12 and 1024, not 8"),
    ("idle_timeout_minutes = nan\n", 1, "finite"),
    ("idle_timeout_minutes = inf\n", 1, "finite"),
    ('gpu_preference = "gpu"\n', 1, "one of 'auto', 'cpu'"),
    ("allow_unsigned_models = 1\n", 1, "true or false"),
    ('[clinic_app]\nstore_dir = "relative/path"\n', 2, "absolute path"),
    ("store_dir = 3\n", 1, "non-empty path"),
    ('models_dir = ""\n', 1, "non-empty path"),
    ("kdf_memory_kib = 1024\n", 1, "between 65536"),
    ("idle_timout_minutes = 5\n", 1, "did you mean 'idle_timeout_minutes'"),
    ('store_dir = "/a"\n[clinic_app]\nstore_dir = "/b"\n', 3, "set twice"),
    ("clinic_app = 5\n", 1, "must be a table"),
])
def test_bad_values_name_file_line_and_key(tmp_path, text, line, fragment):
    """Each kind of bad value gives one ConfigError naming the file, the line and what to fix."""
    path = write(tmp_path / "site.toml", text)
    with pytest.raises(ConfigError) as info:
        read_config_file(path, site=True)
    message = str(info.value)
    assert message.startswith(f"{path}:{line}:")
    assert fragment in message


@pytest.mark.parametrize(("text", "line", "key"), [
    ("theme = \n", 1, "theme"),
    ('theme = "dark"\ntheme = "light"\n', 2, "theme"),
    ('# ok\nstore_dir = "/a\n', 2, "store_dir"),
    ("[clinic_app\nx = 1\n", 1, "clinic_app"),
    ("lockout_threshold = [1,\n", 1, None),
])
def test_syntax_errors_name_file_line_and_key(tmp_path, text, line, key):
    """A TOML syntax error names the file, the line, and the key written on that line."""
    path = write(tmp_path / "c.toml", text)
    with pytest.raises(ConfigError) as info:
        read_config_file(path, site=True)
    message = str(info.value)
    assert message.startswith(f"{path}:{line}:")
    assert "not valid TOML" in message
    if key:
        assert f"key '{key}'" in message


def test_byte_order_mark_is_accepted(tmp_path):
    """A UTF-8 file saved by a Windows editor with a byte-order mark still parses."""
    path = tmp_path / "bom.toml"
    path.write_bytes(b"\xef\xbb\xbftheme = \"light\"\n")
    assert read_config_file(path, site=False) == {"theme": "light"}


def test_non_utf8_file_is_refused_with_its_line(tmp_path):
    """Bytes that are not UTF-8 give a clear error naming the line, not a decode traceback."""
    path = tmp_path / "latin.toml"
    path.write_bytes(b'theme = "dark"\n# caf\xe9\n')
    with pytest.raises(ConfigError, match=r"latin.toml:2: is not UTF-8"):
        read_config_file(path, site=True)


def test_unreadable_or_folder_config_is_a_clear_error(tmp_path):
    """A folder where the file should be is reported, not crashed on."""
    folder = tmp_path / "config.toml"
    folder.mkdir()
    with pytest.raises(ConfigError, match="is a folder"):
        read_config_file(folder, site=True)


def test_settings_built_in_code_are_checked_too():
    """Values built in code (GUI, tests) get the same range checks as files."""
    with pytest.raises(ConfigError, match="password_min_length"):
        Settings(store_dir=Path("/tmp/s"), password_min_length=6)
    with pytest.raises(ConfigError, match="gpu_preference"):
        Settings(store_dir=Path("/tmp/s"), gpu_preference="cuda")


def test_tilde_paths_expand(tmp_path, monkeypatch):
    """A path written as ~/... in the site file expands to the home folder."""
    monkeypatch.setenv("HOME", str(tmp_path))
    path = write(tmp_path / "site.toml", 'models_dir = "~/models"\n')
    assert read_config_file(path, site=True)["models_dir"] == tmp_path / "models"


def test_every_key_is_documented():
    """docs/configuration.md documents every key and marks each site-only key as such."""
    text = DOCS.read_text(encoding="utf-8")
    for key in KEYS:
        assert f"`{key}`" in text, key
    rows = {m.group(1): m.group(0) for m in re.finditer(r"^\| `(\w+)` .*$", text, re.M)}
    for key in KEYS:
        assert key in rows, f"{key} has no row in the key table"
        assert ("site only" in rows[key]) == (key in SITE_ONLY), key


# -- property tests --------------------------------------------------------------------

_SETTINGS = settings(max_examples=150, deadline=None,
                     suppress_health_check=[HealthCheck.too_slow])


@_SETTINGS
@given(st.text(max_size=400))
def test_arbitrary_text_never_crashes(text):
    """Any text at all either parses or gives a ConfigError that names the file."""
    with tempfile.TemporaryDirectory() as tmp:
        path = write(Path(tmp) / "config.toml", text)
        try:
            result = read_config_file(path, site=True)
        except ConfigError as exc:
            assert str(exc).startswith(str(path))
        else:
            assert set(result) <= KEYS


@_SETTINGS
@given(st.binary(max_size=200))
def test_arbitrary_bytes_never_crash(data):
    """Arbitrary bytes (binary junk, bad encodings) never produce anything but ConfigError."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "config.toml"
        path.write_bytes(data)
        try:
            read_config_file(path, site=True)
        except ConfigError as exc:
            assert str(exc).startswith(str(path))


_TOML_VALUES = st.one_of(
    st.booleans(),
    st.integers(min_value=-10**6, max_value=10**8),
    st.floats(allow_nan=True, allow_infinity=True, width=32),
    st.sampled_from(["auto", "cpu", "dark", "light", "", "/abs/path", "~/x", "rel", "gpu"]),
    st.lists(st.integers(), max_size=2),
)


def _literal(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        if value != value:
            return "nan"
        if value in (float("inf"), float("-inf")):
            return "inf" if value > 0 else "-inf"
        return repr(value)
    if isinstance(value, str):
        return '"' + value + '"'
    if isinstance(value, list):
        return "[" + ", ".join(str(v) for v in value) + "]"
    return str(value)


@_SETTINGS
@given(st.lists(st.tuples(st.sampled_from(sorted(KEYS)), _TOML_VALUES), max_size=6,
                unique_by=lambda kv: kv[0]),
       st.integers(min_value=0, max_value=5), st.booleans())
def test_generated_configs_are_accepted_or_refused_at_the_right_line(entries, padding, site):
    """Well-formed files with random values: accepted values obey the rules; refusals name the line."""
    lines = ["# site policy"] * padding + [f"{k} = {_literal(v)}" for k, v in entries]
    with tempfile.TemporaryDirectory() as tmp:
        path = write(Path(tmp) / "config.toml", "\n".join(lines) + "\n")
        try:
            result = read_config_file(path, site=site)
        except ConfigError as exc:
            match = re.match(re.escape(str(path)) + r":(\d+): key '(\w+)'", str(exc))
            assert match, str(exc)
            line, key = int(match.group(1)), match.group(2)
            assert lines[line - 1].startswith(f"{key} = ")
        else:
            for key, value in result.items():
                assert check_value(key, value) is None
                assert site or key not in SITE_ONLY
                if key in CHOICES:
                    assert value in CHOICES[key]
