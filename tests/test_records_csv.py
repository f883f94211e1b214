"""The two CSV templates: BOM, delimiters, quoting, embedded newlines, strict errors."""

from __future__ import annotations

import csv
import io
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from clinic_app.core.records.csv_reader import read_csv, template_of
from clinic_app.core.records.files import parse_bytes, parse_file

FIXTURES = Path(__file__).parent / "fixtures" / "records"
NOW = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)


def test_patients_with_bom_semicolons_quotes_and_newlines():
    """A BOM, ';' delimiter, quoted delimiters, doubled quotes and embedded newlines all read."""
    parsed, _ = parse_file(FIXTURES / "patients_bom_semicolon.csv", NOW)
    assert parsed.format == "csv-patients" and not parsed.errors
    p1, p2, p3 = parsed.patients
    assert (p1.mrn, p1.family, p1.sex, p1.birth_date) == ("C-1", "Müller; Jr", "male",
                                                          date(1952, 7, 14))
    assert (p2.family, p2.given) == ('O"Brien', "Siobhan\nMarie")
    assert (p3.birth_date, p3.sex) == (None, "unknown")
    assert p3.resource_id == "csv:6"  # the blank line 5 is skipped, line numbers stay true


def test_observations_tab_separated_with_coded_answer():
    """Tabs are detected; unit conversion, date-only and space-separated times with zones work."""
    parsed, _ = parse_file(FIXTURES / "observations_tab.csv", NOW)
    assert parsed.format == "csv-observations" and not parsed.errors
    chol, sbp, smoking, heart_rate = parsed.observations
    assert chol.value == pytest.approx(5.4 * 38.67)
    assert chol.effective == datetime(2024, 3, 1, 9, 30, tzinfo=UTC)
    assert chol.subject.mrn == "C-1" and chol.subject.issuer is None
    assert sbp.resource_id == "csv:4"  # the quoted display on line 2 spans lines 2-3
    assert (smoking.value_code, smoking.unit) == ("8517006", "")
    assert (heart_rate.name, heart_rate.value, heart_rate.unit) == ("loinc:8867-4", 71.0, "/min")


def test_bad_rows_report_file_and_line():
    """Wrong field counts, decimal commas and zone-less times are refused as file:line."""
    parsed, _ = parse_file(FIXTURES / "observations_bad.csv", NOW)
    got = {p.item: p.reason for p in parsed.errors}
    assert got["observations_bad.csv:3"] == "expected 6 fields, found 5"
    assert "use a dot as the decimal separator" in got["observations_bad.csv:4"]
    assert got["observations_bad.csv:5"] == "expected 6 fields, found 7"
    assert "no time zone" in got["observations_bad.csv:6"]
    assert len(parsed.observations) == 1


def test_non_utf8_is_refused_with_the_line():
    """A Latin-1 file is refused (never decoded by guess) naming the line of the bad byte."""
    parsed, _ = parse_file(FIXTURES / "patients_latin1.csv", NOW)
    assert parsed.errors[0].item == "patients_latin1.csv:2"
    assert "not UTF-8" in parsed.errors[0].reason


def test_unknown_and_missing_columns():
    """A misspelt column is refused; a header matching no template is refused."""
    typo = "mrn,system,code,value,unit,effective_datetime,efective_date\n"
    parsed = read_csv(typo, "t.csv", NOW)
    assert "unknown column(s) 'efective_date'" in parsed.errors[0].reason
    parsed = read_csv("mrn,foo\nA,1\n", "t.csv", NOW)
    assert parsed.errors[0].item == "t.csv:1" and "neither CSV template" in parsed.errors[0].reason


def test_columns_in_any_order_and_case():
    """Template columns are matched by name, in any order and case."""
    text = "SEX,Birth_Date,mrn,given,family,issuer\nF,1980-02-02,X-1,Ann,Lee,\n"
    (p,) = read_csv(text, "p.csv", NOW).patients
    assert (p.mrn, p.sex, p.birth_date, p.issuer) == ("X-1", "female", date(1980, 2, 2), "")


def test_rejects_bad_patient_values():
    """A partial or future birth date and an unknown sex are refused per row."""
    text = ("mrn,issuer,family,given,birth_date,sex\n"
            "A,,x,y,1980,male\nB,,x,y,2099-01-01,male\nC,,x,y,1980-01-01,robot\n,,x,y,,male\n")
    reasons = [p.reason for p in read_csv(text, "p.csv", NOW).errors]
    assert "only to the year" in reasons[0]
    assert "future" in reasons[1]
    assert "robot" in reasons[2]
    assert "mrn is empty" in reasons[3]


def test_unbalanced_quote_is_reported():
    """An unterminated quoted field is reported, not silently swallowed."""
    text = 'mrn,issuer,family,given,birth_date,sex\nA,,"Lee,Ann,1980-01-01,female\n'
    parsed = read_csv(text, "q.csv", NOW)
    assert parsed.errors and not parsed.patients


def test_template_detection():
    """The header decides the template (patients or observations) whatever the delimiter."""
    assert template_of("mrn|issuer|family|given|birth_date|sex\n") == "csv-patients"
    assert template_of("mrn;system;code;value;unit;effective_datetime\n") == "csv-observations"
    assert template_of("hello,world\n") is None


_names = st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc"),
                                        blacklist_characters="\x00"), max_size=15)


@settings(max_examples=150)
@given(st.lists(st.tuples(st.text("ABCDEFGHIJ0123456789-", min_size=1, max_size=8),
                          _names, _names, st.dates(date(1900, 1, 1), date(2025, 1, 1)),
                          st.sampled_from(["female", "male", "other", "unknown"])),
                min_size=1, max_size=8),
       st.sampled_from([",", ";", "\t", "|"]), st.booleans())
def test_written_csv_reads_back_identically(rows, delimiter, bom):
    """Any patient rows written by a CSV writer (any delimiter, quoting, BOM) read back intact."""
    buf = io.StringIO()
    w = csv.writer(buf, delimiter=delimiter, lineterminator="\r\n")
    w.writerow(["mrn", "issuer", "family", "given", "birth_date", "sex"])
    for mrn, family, given_name, born, sex in rows:
        w.writerow([mrn, "urn:oid:1.2", family, given_name, born.isoformat(), sex])
    data = (b"\xef\xbb\xbf" if bom else b"") + buf.getvalue().encode()
    parsed = parse_bytes(data, "p.csv", NOW)
    assert not parsed.errors, parsed.errors
    got = [(p.mrn, p.family, p.given, p.birth_date, p.sex) for p in parsed.patients]
    # The reader trims surrounding whitespace of each field, as documented.
    assert got == [(m, f.strip(), g.strip(), b, s) for m, f, g, b, s in rows]


@settings(max_examples=150)
@given(st.text(max_size=300))
def test_arbitrary_text_never_crashes_the_csv_reader(text):
    """Any text under a CSV header is read or reported line by line, never raises."""
    read_csv("mrn,system,code,value,unit,effective_datetime\n" + text, "f.csv", NOW)
    read_csv("mrn,issuer,family,given,birth_date,sex\n" + text, "f.csv", NOW)
