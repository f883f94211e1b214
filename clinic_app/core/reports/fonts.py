"""Where the CJK font for Chinese text is: the PDF report embeds it, the self-test checks it.

Why a list of known files and not fontconfig: the core draws PDFs without Qt and must
name one file to embed, and which face of a collection holds Simplified Chinese glyph
shapes is a fact about that file (Noto Sans CJK ships JP, KR, SC, TC, HK in one .ttc).
fpdf2 2.8 embeds both TrueType and CFF (OpenType) outlines, so the Debian package
fonts-noto-cjk (a dependency of the .deb) is enough; the others are common alternatives.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

#: Debian package that provides the first font listed below (README, .ci/run, .deb).
CJK_PACKAGE = "fonts-noto-cjk"


@dataclass(frozen=True)
class FontFile:
    path: Path
    index: int  # the face inside a collection (.ttc); 0 for a single font


_DIRS = (Path("/usr/share/fonts/opentype/noto"), Path("/usr/share/fonts/noto-cjk"),
         Path("/usr/share/fonts/google-noto-cjk"), Path("/usr/share/fonts/truetype/wqy"),
         Path("/usr/share/fonts/truetype/arphic"), Path("/usr/local/share/fonts"),
         Path("/Library/Fonts"), Path("C:/Windows/Fonts"))

#: (file name, face index) in order of preference, regular then bold.
_REGULAR = (("NotoSansCJK-Regular.ttc", 2), ("NotoSansCJKsc-Regular.otf", 0),
            ("NotoSansSC-Regular.otf", 0), ("wqy-microhei.ttc", 0), ("wqy-zenhei.ttc", 0),
            ("uming.ttc", 0), ("msyh.ttc", 0))
_BOLD = (("NotoSansCJK-Bold.ttc", 2), ("NotoSansCJKsc-Bold.otf", 0), ("NotoSansSC-Bold.otf", 0),
         ("msyhbd.ttc", 0))


def _find(candidates: tuple[tuple[str, int], ...]) -> FontFile | None:
    for name, index in candidates:
        for folder in _DIRS:
            if (folder / name).is_file():
                return FontFile(folder / name, index)
    return None


def cjk_font(*, bold: bool = False) -> FontFile | None:
    """The Simplified Chinese font to embed (bold falls back to the regular face)."""
    return (_find(_BOLD) if bold else None) or _find(_REGULAR)


def needs_cjk(text: str) -> bool:
    """Whether ``text`` has characters DejaVu Sans cannot draw (CJK ideographs, kana,
    hangul, full-width punctuation)."""
    return any(ord(ch) >= 0x2E80 for ch in text)
