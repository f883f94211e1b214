"""A structural check of the PDF/A-1b rules a report can break (a test helper, not veraPDF).

veraPDF (Java) is not packaged for Debian, so the full ISO 19005-1 validation is not run
here. This walks the file with pypdf and checks the rules our generator could plausibly
break, each named by its clause: header, encryption, trailer ID, XMP identification and
its agreement with the Info dictionary, the output intent and its ICC profile version,
transparency (page groups, soft masks, blend modes, constant alpha), embedded fonts and
the CIDSet of CIDFont subsets, forbidden actions, JavaScript, embedded files, LZW.
It cannot check content-stream semantics (e.g. colour operators against the output
intent), font program internals or XMP schema conformance beyond the fields read.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pypdf
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject, StreamObject

NS = {"rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
      "pdfaid": "http://www.aiim.org/pdfa/ns/id/", "dc": "http://purl.org/dc/elements/1.1/",
      "xmp": "http://ns.adobe.com/xap/1.0/", "pdf": "http://ns.adobe.com/pdf/1.3/"}
SUBSET = re.compile(r"^/?[A-Z]{6}\+")


def _xmp_values(xml: bytes) -> dict[str, str]:
    body = re.sub(rb"<\?xpacket[^>]*\?>", b"", xml).strip()
    root = ET.fromstring(body)  # noqa: S314 - the XMP our own generator wrote, in a test
    out: dict[str, str] = {}
    for desc in root.iter(f"{{{NS['rdf']}}}Description"):
        for key, value in desc.attrib.items():  # fields written as attributes
            out[key] = value
        for child in desc:
            items = [li.text or "" for li in child.iter(f"{{{NS['rdf']}}}li")]
            out[child.tag] = items[0] if items else (child.text or "").strip()
    return out


def _pdf_date(text: str) -> datetime:
    m = re.match(r"D:(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})", text)
    assert m, text
    return datetime(*map(int, m.groups()), tzinfo=UTC)  # our generator writes UTC ("Z")


def _walk(obj: Any, seen: set[int]) -> Any:
    """Every dictionary and stream reachable from ``obj`` (each once)."""
    if isinstance(obj, IndirectObject):
        if obj.idnum in seen:
            return
        seen.add(obj.idnum)
        obj = obj.get_object()
    if isinstance(obj, DictionaryObject):
        yield obj
        for key, value in obj.items():
            if key != "/Parent":
                yield from _walk(value, seen)
    elif isinstance(obj, ArrayObject):
        for value in obj:
            yield from _walk(value, seen)


def violations(path: Path) -> list[str]:
    """The PDF/A-1b rules (clause numbers of ISO 19005-1) the file breaks; [] when none."""
    data = path.read_bytes()
    out: list[str] = []
    header = data.split(b"\n", 2)
    if not re.match(rb"%PDF-1\.[0-4]$", header[0].strip()):
        out.append(f"6.1.2 header {header[0][:9]!r} is not PDF 1.0-1.4")
    if len(header) < 2 or not header[1].startswith(b"%") or sum(b > 127 for b in header[1][1:5]) < 4:
        out.append("6.1.2 no binary comment line after the header")
    reader = pypdf.PdfReader(path)
    trailer, root = reader.trailer, reader.trailer["/Root"].get_object()
    if "/Encrypt" in trailer:
        out.append("6.1.3 the file is encrypted")
    if "/ID" not in trailer:
        out.append("6.1.3 the trailer has no ID")
    meta = root.get("/Metadata")
    xmp: dict[str, str] = {}
    if meta is None:
        out.append("6.7.2 no XMP metadata stream in the catalogue")
    else:
        meta = meta.get_object()
        if "/Filter" in meta:
            out.append("6.7.2 the metadata stream is filtered")
        xmp = _xmp_values(meta.get_data())
        if xmp.get(f"{{{NS['pdfaid']}}}part") != "1":
            out.append("6.7.11 XMP pdfaid:part is not 1")
        if xmp.get(f"{{{NS['pdfaid']}}}conformance") != "B":
            out.append("6.7.11 XMP pdfaid:conformance is not B")
    info = trailer.get("/Info")
    pairs = {"/Title": f"{{{NS['dc']}}}title", "/Author": f"{{{NS['dc']}}}creator",
             "/Creator": f"{{{NS['xmp']}}}CreatorTool", "/Producer": f"{{{NS['pdf']}}}Producer"}
    for key, field in pairs.items() if info is not None else ():
        value = info.get_object().get(key)
        if value is not None and xmp.get(field) != str(value):
            out.append(f"6.7.3 Info {key} {str(value)!r} differs from XMP {xmp.get(field)!r}")
    if info is not None and "/CreationDate" in info.get_object():
        made = _pdf_date(str(info.get_object()["/CreationDate"]))
        xmp_made = xmp.get(f"{{{NS['xmp']}}}CreateDate")
        if xmp_made is None or datetime.fromisoformat(xmp_made).astimezone(UTC) != made:
            out.append(f"6.7.3 Info CreationDate {made} differs from XMP CreateDate {xmp_made}")
    listed = root.get("/OutputIntents")
    intents = [i.get_object() for i in (listed.get_object() if listed is not None else [])]
    pdfa = [i for i in intents if i.get("/S") == "/GTS_PDFA1"]
    if not pdfa:
        out.append("6.2.2 no GTS_PDFA1 output intent")
    for intent in pdfa:
        profile = intent["/DestOutputProfile"].get_object()
        icc = profile.get_data()
        if icc[36:40] != b"acsp":
            out.append("6.2.2 the output profile is not an ICC profile")
        if icc[8] >= 4:
            out.append(f"6.2.2 the output profile is ICC version {icc[8]}.{icc[9] >> 4} (PDF/A-1 "
                       "needs a version below 4)")
        if {b"RGB ": 3, b"GRAY": 1, b"CMYK": 4}.get(icc[16:20]) != int(profile["/N"]):
            out.append("6.2.2 the output profile's /N does not match its colour space")
    names = root.get("/Names")
    if names is not None and ("/JavaScript" in names.get_object() or
                              "/EmbeddedFiles" in names.get_object()):
        out.append("6.6.1/6.1.11 JavaScript or embedded files in the name tree")
    if "/AA" in root:
        out.append("6.6.2 additional actions on the catalogue")
    for d in _walk(trailer["/Root"], set()):
        kind = d.get("/S")
        if d.get("/Type") == "/Group" and kind == "/Transparency":
            out.append("6.4 a transparency group")
        if kind in ("/Launch", "/JavaScript", "/Sound", "/Movie", "/ResetForm", "/ImportData"):
            out.append(f"6.6.1 a forbidden {kind} action")
        if "/SMask" in d and d["/SMask"] != "/None":
            out.append("6.4 a soft mask")
        if d.get("/BM") not in (None, "/Normal", "/Compatible"):
            out.append(f"6.4 blend mode {d['/BM']}")
        for alpha in ("/CA", "/ca"):
            if alpha in d and float(d[alpha]) != 1.0:
                out.append(f"6.4 constant alpha {alpha} {d[alpha]}")
        filters = d.get("/Filter")
        if filters is not None and "/LZWDecode" in (filters if isinstance(filters, list) else [filters]):
            out.append("6.1.10 an LZW-compressed stream")
        if d.get("/Type") == "/Font" and d.get("/Subtype") != "/Type0":
            desc = d.get("/FontDescriptor")
            desc = desc.get_object() if desc is not None else None
            if desc is None or not any(k in desc for k in ("/FontFile", "/FontFile2", "/FontFile3")):
                out.append(f"6.3.4 font {d.get('/BaseFont')} is not embedded")
            elif d.get("/Subtype") in ("/CIDFontType0", "/CIDFontType2") and \
                    SUBSET.match(str(d.get("/BaseFont", ""))) and \
                    not isinstance(desc.get("/CIDSet") and desc["/CIDSet"].get_object(), StreamObject):
                out.append(f"6.3.5 CIDFont subset {d.get('/BaseFont')} has no CIDSet")
        if d.get("/Type") == "/Annot" and not int(d.get("/F", 0)) & 4:
            out.append("6.5.3 an annotation without the print flag")
    return sorted(set(out))
