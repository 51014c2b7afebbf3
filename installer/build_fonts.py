#!/usr/bin/env python3
"""Build the two CJK fonts bundled with desk_app (resources/fonts/).

    python installer/build_fonts.py [--src-dir /usr/share/fonts/opentype/noto] [--out resources/fonts]

Input: the Simplified Chinese Regular faces of Noto Sans CJK and Noto Serif CJK
(Debian package ``fonts-noto-cjk``: NotoSansCJK-Regular.ttc / NotoSerifCJK-Regular.ttc;
the upstream single-face ``NotoSansCJKsc-Regular.otf`` files work too). The face is
found by reading each file's 'name' table, never by a hard-coded collection index.

Output (every file in --out is rewritten):
  DeskHei-Regular.ttf   family "Desk Hei"  <- Noto Sans CJK SC Regular  (UI face, 黑体)
  DeskSong-Regular.ttf  family "Desk Song" <- Noto Serif CJK SC Regular (print face, 宋体)
  OFL.txt               SIL Open Font License 1.1 with the fonts' copyright lines
  README.md             what the files are, where they came from, how they were made

Each font is subset to GBK + CJK Ext-A + the symbol blocks listed in ``wanted_codepoints``,
stripped of hinting and of OpenType layout, and converted from CFF (cubic) to glyf
(quadratic) outlines, because reportlab only embeds TrueType-outline fonts and Qt should
load the very same file. Vertical metrics (hhea, OS/2) are copied unchanged from the source.

Renaming: the Noto CJK fonts declare no Reserved Font Name, so OFL 1.1 allows a Modified
Version to keep or change the name; we change it so the subset is never mistaken for the
full Noto font.

The build is deterministic: timestamps are copied from the source font and nothing else
depends on time or ordering, so the same source file gives the same bytes.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import re
import subprocess
import sys
import time
import unicodedata
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

try:
    from fontTools import subset
    from fontTools.pens.cu2quPen import Cu2QuPen
    from fontTools.pens.ttGlyphPen import TTGlyphPen
    from fontTools.ttLib import TTCollection, TTFont, newTable
    from fontTools.ttLib.tables._c_m_a_p import CmapSubtable
except ImportError:  # pragma: no cover - explained to the person running the script
    sys.exit("build_fonts.py needs fontTools: pip install 'fonttools>=4.50'")

DEFAULT_SRC_DIR = "/usr/share/fonts/opentype/noto"
DEFAULT_DEBIAN_COPYRIGHT = "/usr/share/doc/fonts-noto-cjk/copyright"
DEBIAN_PACKAGE = "fonts-noto-cjk"

# Cu2Qu tolerance in font units (1000 upm): 1.0 is the fontTools default, invisible at any size.
MAX_ERR = 1.0
WIN_EN = (3, 1, 0x409)  # platformID, platEncID, langID of every name record we write


@dataclass(frozen=True)
class Face:
    out_name: str  # file written in --out
    family: str  # new family name (name IDs 1, 4, 16)
    ps_name: str  # new PostScript name (name ID 6)
    src_family: str  # name ID 1 of the source face
    src_style: str  # name ID 2 of the source face
    src_hint: str  # file-name prefix tried first when searching --src-dir
    zh: str  # Chinese label for README


FACES = (
    Face(
        "DeskHei-Regular.ttf",
        "Desk Hei",
        "DeskHei-Regular",
        "Noto Sans CJK SC",
        "Regular",
        "NotoSansCJK",
        "黑体（界面用）",
    ),
    Face(
        "DeskSong-Regular.ttf",
        "Desk Song",
        "DeskSong-Regular",
        "Noto Serif CJK SC",
        "Regular",
        "NotoSerifCJK",
        "宋体（打印/PDF 用）",
    ),
)

# Name records copied from the source: copyright, trademark, manufacturer, designer,
# vendor URL, designer URL, licence description, licence URL.
KEPT_NAME_IDS = (0, 7, 8, 9, 11, 12, 13, 14)

# Chinese amounts in words, numerals and units that must render on receipts and forms.
CURRENCY_NUMBER_CHARS = (
    "〇零一二三四五六七八九十百千万亿兆"
    "壹贰叁肆伍陆柒捌玖拾佰仟萬億圆圓元角分厘毫整正负"
    "¥￥$＄€£￡¢￠№×÷±✓✔✗✘·•…‰℃°"
)


# --------------------------------------------------------------------------- character set


def gbk_chars() -> set[int]:
    """Every code point that GBK encodes in its double-byte range (Python's 'gbk' codec)."""
    out: set[int] = set()
    for lead in range(0x81, 0xFF):
        for trail in (*range(0x40, 0x7F), *range(0x80, 0xFF)):
            try:
                text = bytes((lead, trail)).decode("gbk")
            except UnicodeDecodeError:
                continue
            out.update(ord(c) for c in text)
    return out


def is_han(cp: int) -> bool:
    return unicodedata.name(chr(cp), "").startswith(
        ("CJK UNIFIED IDEOGRAPH", "CJK COMPATIBILITY IDEOGRAPH")
    )


EXT_A = range(0x3400, 0x4DC0)

BLOCKS = (
    (0x0020, 0x007E),  # ASCII
    (0x00A0, 0x00FF),  # Latin-1 Supplement
    (0x2000, 0x206F),  # General Punctuation
    (0x20A0, 0x20CF),  # Currency Symbols
    (0x2100, 0x214F),  # Letterlike Symbols (℃ № ℉ ™)
    (0x2150, 0x218F),  # Number Forms (Ⅰ–Ⅻ ⅰ–ⅹ)
    (0x2190, 0x21FF),  # Arrows
    (0x2460, 0x24FF),  # Enclosed Alphanumerics (①–⑳ ⑴ ⒈)
    (0x2500, 0x257F),  # Box Drawing
    (0x25A0, 0x25FF),  # Geometric Shapes (■□▲△○●◆◇)
    (0x2605, 0x2606),  # ★☆
    (0x2713, 0x2718),  # ✓✔✕✖✗✘
    (0x3000, 0x303F),  # CJK Symbols and Punctuation
    (0x3200, 0x32FF),  # Enclosed CJK Letters and Months (㈠ ㈱ ㊣)
    (0xFE30, 0xFE4F),  # CJK Compatibility Forms
    (0xFF00, 0xFFEF),  # Halfwidth and Fullwidth Forms
    (0xFFFD, 0xFFFD),  # replacement character
)


def wanted_codepoints() -> set[int]:
    cps = gbk_chars()
    cps.update(EXT_A)
    for lo, hi in BLOCKS:
        cps.update(range(lo, hi + 1))
    cps.update(ord(c) for c in CURRENCY_NUMBER_CHARS)
    return cps


# --------------------------------------------------------------------------- finding the source


def _names(font: TTFont) -> tuple[str, str]:
    name = font["name"]
    family = name.getDebugName(16) or name.getDebugName(1) or ""
    style = name.getDebugName(17) or name.getDebugName(2) or ""
    return family, style


def find_source(src_dir: Path, face: Face) -> tuple[Path, int]:
    """Return (file, fontNumber) of the face whose name table says src_family / src_style."""
    files = sorted(
        p for p in src_dir.iterdir() if p.suffix.lower() in {".ttc", ".otc", ".otf", ".ttf"}
    )
    # Try the likely file first; the full scan is the fallback.
    files.sort(
        key=lambda p: (not p.name.startswith(face.src_hint), "Regular" not in p.name, p.name)
    )
    for path in files:
        with path.open("rb") as fh:
            collection = fh.read(4) == b"ttcf"
        if collection:
            fonts = TTCollection(str(path), lazy=True).fonts
        else:
            fonts = [TTFont(str(path), lazy=True)]
        for index, font in enumerate(fonts):
            if _names(font) == (face.src_family, face.src_style):
                return path, (index if collection else -1)
    sys.exit(
        f"no '{face.src_family} {face.src_style}' face in {src_dir} "
        f"(apt-get install {DEBIAN_PACKAGE}, or pass --src-dir)"
    )


# --------------------------------------------------------------------------- building one face


def subset_font(font: TTFont, unicodes: set[int]) -> None:
    opts = subset.Options()
    opts.layout_features = []  # no GSUB/GPOS lookups: CJK needs none, and 'locl' would pull in JP/KR/TC forms
    opts.drop_tables += ["GSUB", "GPOS", "GDEF", "BASE", "VORG", "DSIG", "vhea", "vmtx"]
    opts.hinting = False  # drop hints
    opts.name_IDs = ["*"]  # we rebuild 'name' ourselves afterwards
    opts.name_languages = ["*"]
    opts.name_legacy = True
    opts.notdef_outline = True
    opts.glyph_names = False
    opts.legacy_cmap = False
    opts.symbol_cmap = False
    opts.prune_unicode_ranges = True
    opts.recalc_bounds = True
    opts.recalc_timestamp = False
    opts.canonical_order = True
    # Drop Unicode Variation Sequences (cmap format 14): their glyphs are regional variants.
    cmap = font["cmap"]
    cmap.tables = [t for t in cmap.tables if t.format != 14]
    sub = subset.Subsetter(opts)
    sub.populate(unicodes=unicodes)
    sub.subset(font)


def cff_to_glyf(font: TTFont) -> None:
    """Replace the CFF table by glyf/loca (quadratic outlines), as fontTools' otf2ttf snippet."""
    assert "CFF " in font, "source is expected to have CFF outlines"
    order = font.getGlyphOrder()
    glyph_set = font.getGlyphSet()
    glyphs = {}
    for name in order:
        tt_pen = TTGlyphPen(glyph_set)
        glyph_set[name].draw(Cu2QuPen(tt_pen, MAX_ERR, reverse_direction=True))
        glyphs[name] = tt_pen.glyph(dropImpliedOnCurves=True)

    font["loca"] = newTable("loca")
    glyf = font["glyf"] = newTable("glyf")
    glyf.glyphOrder = order
    glyf.glyphs = glyphs
    del font["CFF "]
    glyf.compile(font)  # computes each glyph's bounding box

    hmtx = font["hmtx"]
    for name, glyph in glyf.glyphs.items():  # TrueType wants lsb == xMin
        if hasattr(glyph, "xMin"):
            hmtx[name] = (hmtx[name][0], glyph.xMin)

    maxp = font["maxp"] = newTable("maxp")
    maxp.tableVersion = 0x00010000
    maxp.maxZones = 1
    maxp.maxTwilightPoints = 0
    maxp.maxStorage = 0
    maxp.maxFunctionDefs = 0
    maxp.maxInstructionDefs = 0
    maxp.maxStackElements = 0
    maxp.maxSizeOfInstructions = 0
    maxp.maxComponentElements = 0
    maxp.maxComponentDepth = 0

    post = font["post"]  # format 3: no glyph names (they were only "cidNNNNN")
    post.formatType = 3.0
    post.extraNames = []
    post.mapping = {}

    font["head"].glyphDataFormat = 0
    # Unhinted outlines: ask rasterisers for grey-scale + symmetric smoothing at every size.
    gasp = font["gasp"] = newTable("gasp")
    gasp.version = 1
    gasp.gaspRange = {0xFFFF: 0x000F}
    font.sfntVersion = "\x00\x01\x00\x00"


def keep_bmp_cmap_only(font: TTFont) -> None:
    """A format 4 (3,1) table for old readers plus a format 12 (3,10) table with the same map.

    As in the Noto source: format 12 has 32-bit lengths and is what modern readers (Qt,
    FreeType, reportlab) prefer; format 4 stays for readers that know nothing else.
    """
    cmap = font["cmap"]
    best = dict(font.getBestCmap())
    cmap.tables = [
        t for t in cmap.tables if t.format == 4 and (t.platformID, t.platEncID) == (3, 1)
    ]
    long_table = CmapSubtable.newSubtable(12)
    long_table.platformID, long_table.platEncID, long_table.language = 3, 10, 0
    long_table.cmap = best
    cmap.tables.append(long_table)
    cmap.tables.sort(key=lambda t: (t.platformID, t.platEncID, t.language))


def rename(font: TTFont, face: Face) -> None:
    name = font["name"]
    old = {
        r.nameID: r.toUnicode()
        for r in name.names
        if (r.platformID, r.platEncID, r.langID) == WIN_EN
    }
    version = f"{font['head'].fontRevision:.3f}"
    description = (
        f"{face.family} is a subset of {face.src_family} {face.src_style} (GBK + CJK Ext-A + symbols), "
        f"converted from CFF to TrueType outlines, unhinted, without OpenType layout tables, "
        f"and renamed (the original declares no Reserved Font Name). "
        f"Built by desk_app installer/build_fonts.py."
    )
    new = {nid: old[nid] for nid in KEPT_NAME_IDS if nid in old}
    new.update(
        {
            1: face.family,
            2: "Regular",
            3: f"{version};DESK;{face.ps_name}",
            4: face.family,
            5: f"Version {version}; subset of {face.src_family} {version}",
            6: face.ps_name,
            10: description,
            16: face.family,
            17: "Regular",
        }
    )
    name.names = []
    for nid in sorted(new):
        name.setName(new[nid], nid, *WIN_EN)


def build_face(
    src: Path, font_number: int, out: Path, face: Face, unicodes: set[int]
) -> dict[str, Any]:
    t0 = time.perf_counter()
    font = TTFont(str(src), fontNumber=font_number, lazy=False, recalcTimestamp=False)
    metrics_before = vertical_metrics(font)
    subset_font(font, unicodes)
    t_subset = time.perf_counter() - t0
    cff_to_glyf(font)
    keep_bmp_cmap_only(font)
    rename(font, face)
    assert vertical_metrics(font) == metrics_before, "vertical metrics changed"
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_suffix(".tmp")
    font.save(str(tmp), reorderTables=True)
    os.replace(tmp, out)
    return {
        "face": face.family,
        "src": f"{src.name}#{font_number}",
        "out": out.name,
        "glyphs": len(font.getGlyphOrder()),
        "seconds": time.perf_counter() - t0,
        "subset_seconds": t_subset,
        "bytes": out.stat().st_size,
        "sha256": hashlib.sha256(out.read_bytes()).hexdigest(),
    }


def vertical_metrics(font: TTFont) -> tuple[int, ...]:
    h, o = font["hhea"], font["OS/2"]
    return (
        font["head"].unitsPerEm,
        h.ascent,
        h.descent,
        h.lineGap,
        o.sTypoAscender,
        o.sTypoDescender,
        o.sTypoLineGap,
        o.usWinAscent,
        o.usWinDescent,
        o.fsSelection,
    )


# --------------------------------------------------------------------------- checks and docs


def coverage(path: Path, gbk: set[int]) -> dict[str, Any]:
    font = TTFont(str(path), lazy=True)
    cmap = set(font.getBestCmap())
    gbk_han = {cp for cp in gbk if is_han(cp)}
    return {
        "gbk_total": len(gbk),
        "gbk_missing": len(gbk - cmap),
        "gbk_missing_chars": "".join(chr(cp) for cp in sorted(gbk - cmap)),
        "gbk_han": len(gbk_han),
        "gbk_han_missing": len(gbk_han - cmap),
        "ext_a": len(cmap & set(EXT_A)),
        "ascii_missing": len(set(range(0x20, 0x7F)) - cmap),
        "codepoints": len(cmap),
    }


def package_version() -> str:
    try:
        out = subprocess.run(
            ["dpkg-query", "-W", "-f=${Version}", DEBIAN_PACKAGE],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        return out or "unknown"
    except (OSError, subprocess.CalledProcessError):
        return "unknown (not installed from the Debian package)"


def ofl_body(debian_copyright: Path) -> str:
    """The 'License: SIL-1.1' paragraph of the Debian copyright file, un-indented."""
    text = debian_copyright.read_text(encoding="utf-8")
    m = re.search(r"^License: SIL-1\.1\n((?: .*\n?)+)", text, re.M)
    if not m:
        sys.exit(f"no 'License: SIL-1.1' paragraph in {debian_copyright}")
    lines = []
    for line in m.group(1).splitlines():
        line = line[1:]  # Debian copyright-format: one leading space, "." for a blank line
        lines.append("" if line == "." else line)
    return "\n".join(lines).strip("\n") + "\n"


def write_ofl(out_dir: Path, copyrights: list[str], debian_copyright: Path) -> None:
    if not debian_copyright.is_file() and (out_dir / "OFL.txt").is_file():
        print(f"warning: {debian_copyright} not found; keeping the existing {out_dir / 'OFL.txt'}")
        return
    head = [f"{c.replace('©', 'Copyright ©', 1) if c.startswith('©') else c}" for c in copyrights]
    text = (
        "\n".join(dict.fromkeys(head)) + "\n"
        "Noto is a trademark of Google Inc.\n"
        "(Debian's copyright file for fonts-noto-cjk also records: Copyright 2010-2012, Google Corporation.)\n"
        "\n"
        "The fonts Desk Hei and Desk Song in this folder are Modified Versions of Noto Sans CJK SC\n"
        "and Noto Serif CJK SC. They are licensed under the SIL Open Font License, Version 1.1.\n"
        "This license is copied below, and is also available with a FAQ at: https://openfontlicense.org\n"
        "\n\n" + ofl_body(debian_copyright)
    )
    (out_dir / "OFL.txt").write_text(text, encoding="utf-8", newline="\n")


def write_readme(
    out_dir: Path, results: list[dict[str, Any]], covs: dict[str, dict[str, Any]], version: str
) -> None:
    rows = []
    for face, res in zip(FACES, results, strict=True):
        cov = covs[face.out_name]
        rows.append(
            f"| `{face.out_name}` | {face.zh} | **{face.family}** | {face.src_family} {face.src_style} "
            f"(`{res['src']}`) | {res['glyphs']} | {cov['codepoints']} | {res['bytes'] / 1e6:.1f} MB |"
        )
    table = "\n".join(rows)
    text = f"""# 内置字体 / Bundled fonts

本目录由脚本生成，请勿手工修改。 Generated — do not edit by hand.

| 文件 File | 用途 Use | 字族名 Family | 来源 Source (file#face) | glyphs | code points | size |
| --- | --- | --- | --- | --- | --- | --- |
{table}

- 来源 Source: Debian package `{DEBIAN_PACKAGE}` version `{version}`
  (`/usr/share/fonts/opentype/noto/`, upstream https://github.com/googlefonts/noto-cjk).
- 制作 How made: `python installer/build_fonts.py --src-dir /usr/share/fonts/opentype/noto --out resources/fonts`
  — fontTools subset to GBK (全部 GBK 字符) + CJK Ext-A + 标点/全角/制表符/①–⑳ 等符号,
  hints and OpenType layout (GSUB/GPOS) dropped, CFF outlines converted to TrueType (glyf)
  outlines so that the same file works in Qt (`QFontDatabase.addApplicationFont`) and in
  reportlab (`TTFont`). Vertical metrics (hhea / OS/2) are copied unchanged.
- 许可 Licence: SIL Open Font License 1.1, see `OFL.txt`. 字体可随软件分发，但不得单独出售。
  The fonts may be bundled with software but not sold by themselves.
- 改名 Renaming: 这两个文件是 OFL 所称的 “Modified Version”，已改名为 “Desk Hei” / “Desk Song”。
  Noto CJK 字体内的版权声明未声明任何 Reserved Font Name（保留字体名），OFL 允许改名；新名称也不含
  “Noto”（Google 商标）或 “Source”。 These are Modified Versions under the OFL and were renamed;
  the original fonts declare no Reserved Font Name, so OFL 1.1 permits this, and the new names use
  neither "Noto" (a Google trademark) nor "Source". Copyright and licence records are kept in
  each font's `name` table, and name ID 10 describes the modification.
"""
    (out_dir / "README.md").write_text(text, encoding="utf-8", newline="\n")


# --------------------------------------------------------------------------- main


def _build(args: tuple[Path, int, Path, Face, set[int]]) -> dict[str, Any]:
    return build_face(*args)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--src-dir", type=Path, default=Path(DEFAULT_SRC_DIR))
    ap.add_argument(
        "--out", type=Path, default=Path(__file__).resolve().parent.parent / "resources" / "fonts"
    )
    ap.add_argument(
        "--license-src",
        type=Path,
        default=Path(DEFAULT_DEBIAN_COPYRIGHT),
        help="Debian copyright file holding the OFL text (default: %(default)s)",
    )
    ap.add_argument(
        "--jobs",
        type=int,
        default=min(2, os.cpu_count() or 1),
        help="faces built in parallel (default: %(default)s)",
    )
    args = ap.parse_args(argv)

    t0 = time.perf_counter()
    unicodes = wanted_codepoints()
    gbk = gbk_chars() | set(range(0x20, 0x7F))
    jobs = []
    for face in FACES:
        src, number = find_source(args.src_dir, face)
        print(f"{face.family}: {face.src_family} {face.src_style} = {src}#{number}", flush=True)
        jobs.append((src, number, args.out / face.out_name, face, unicodes))

    if args.jobs > 1:
        with ProcessPoolExecutor(max_workers=args.jobs) as pool:
            results = list(pool.map(_build, jobs))
    else:
        results = [_build(j) for j in jobs]

    covs = {}
    copyrights = []
    for (src, number, out, face, _), res in zip(jobs, results, strict=True):
        cov = covs[face.out_name] = coverage(out, gbk)
        copyrights.append(
            TTFont(str(src), fontNumber=number, lazy=True)["name"].getDebugName(0) or ""
        )
        print(
            f"{res['out']}: {res['bytes']:,} bytes ({res['bytes'] / 2**20:.1f} MiB), {res['glyphs']} glyphs, "
            f"{cov['codepoints']} code points, built in {res['seconds']:.0f} s "
            f"(subset {res['subset_seconds']:.0f} s), sha256 {res['sha256'][:16]}"
        )
        print(
            f"  GBK: {cov['gbk_missing']} of {cov['gbk_total']} missing {cov['gbk_missing_chars']!r}; "
            f"GBK hanzi missing: {cov['gbk_han_missing']} of {cov['gbk_han']}; "
            f"CJK Ext-A covered: {cov['ext_a']} of {len(EXT_A)}"
        )
    write_ofl(args.out, copyrights, args.license_src)
    write_readme(args.out, results, covs, package_version())
    print(f"wrote {args.out}/OFL.txt and README.md; total {time.perf_counter() - t0:.0f} s")
    return 0 if all(c["gbk_han_missing"] == 0 for c in covs.values()) else 1


if __name__ == "__main__":
    sys.exit(main())
