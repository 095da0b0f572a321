"""The house style of the Typst writer: stil.toml and the fonts.

The style is data, never code: `stil.toml` (fonts, colours, margins, logo) ships in
`iopkit/data/typst/`, is exported by `iopkit mallar` to `KATALOG/typst/` and read from
there with `--mallar KATALOG`; every key is checked against a fixed list and range, and a
logo must be a picture beside the file. Fonts come only from iopkit's own folder (Carlito
and Caladea, under the SIL Open Font License) and the style's folder; system fonts are
ignored, so the same input gives the same PDF on every computer.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from ...files import UsageProblem
from ..markdown import clean_text

DATA_DIR = Path(__file__).resolve().parent.parent.parent / "data" / "typst"
STYLE_FILE = DATA_DIR / "stil.toml"
FONTS_DIR = DATA_DIR / "fonts"
#: Where a --mallar directory keeps its house style for PDF.
STYLE_FOLDER = "typst"
STYLE_NAME = "stil.toml"

_FONT_SUFFIXES = (".ttf", ".otf", ".ttc", ".otc")
_LOGO_SUFFIXES = (".png", ".jpg", ".jpeg", ".svg")
_MAX_STYLE_BYTES = 64 * 1024
_MAX_LOGO_BYTES = 5 * 1024 * 1024


# ---------------------------------------------------------------------------------
# The house style


@dataclass(frozen=True)
class Style:
    """The house style read from stil.toml, as the template receives it."""

    values: dict[str, Any]
    folder: Path | None = None  # the style's folder (own fonts, logo); None: built-in
    logo: Path | None = None

    def as_input(self) -> dict[str, Any]:
        return {**self.values, "logo": self.logo.name if self.logo else ""}


#: (table, key, field in the template, kind): every setting stil.toml may have.
_SETTINGS: tuple[tuple[str, str, str, str], ...] = (
    ("teckensnitt", "brödtext", "body_font", "font"),
    ("teckensnitt", "rubriker", "heading_font", "font"),
    ("teckensnitt", "storlek_pt", "body_size", "size"),
    ("teckensnitt", "tabell_pt", "table_size", "size"),
    ("färger", "rubriker", "heading_colour", "colour"),
    ("färger", "undertitel", "subtitle_colour", "colour"),
    ("färger", "sidhuvud", "header_colour", "colour"),
    ("färger", "tabellhuvud", "table_header_colour", "colour"),
    ("färger", "linjer", "rule_colour", "colour"),
    ("sida", "marginal_topp_mm", "margin_top", "margin"),
    ("sida", "marginal_botten_mm", "margin_bottom", "margin"),
    ("sida", "marginal_vänster_mm", "margin_left", "margin"),
    ("sida", "marginal_höger_mm", "margin_right", "margin"),
    ("logotyp", "fil", "logo_file", "text"),
    ("logotyp", "beskrivning", "logo_alt", "text"),
    ("logotyp", "bredd_mm", "logo_width", "width"),
)
_RANGES = {"size": (6, 24), "margin": (5, 60), "width": (5, 180)}


def style_path(templates_dir: Path | None) -> Path | None:
    """The user's stil.toml under a --mallar directory, when it has one."""
    if templates_dir is None:
        return None
    path = templates_dir / STYLE_FOLDER / STYLE_NAME
    return path if path.is_file() else None


def load_style(templates_dir: Path | None = None) -> Style:
    """The house style: KATALOG/typst/stil.toml with --mallar KATALOG, else the built-in
    one. Keys left out keep the built-in value. Raises UsageProblem (Swedish, naming the
    file and key) for a file that cannot be read or a value that cannot be used."""
    path = style_path(templates_dir)
    values = dict(_builtin_style())
    if path is None:
        return Style(values)
    values.update(_read_style(path, builtin=False))
    folder = path.parent
    logo = None
    if values["logo_file"]:
        logo = _logo_file(folder, values["logo_file"], path)
        if not values["logo_alt"].strip():
            raise UsageProblem(f"{path}: logotyp.beskrivning är tom. Skriv vad logotypen "
                               "föreställer (till exempel \"Göteborgs stads logotyp\"), så "
                               "att en skärmläsare kan läsa upp det.")
    style = Style(values, folder, logo)
    families = set(fonts_for(style).families())
    for table, key, name, kind in _SETTINGS:
        if kind == "font" and values[name] not in families:
            raise UsageProblem(
                f"{path}: {table}.{key}: teckensnittet {values[name]!r} finns inte. Välj "
                f"bland {', '.join(sorted(families))}, eller lägg teckensnittets filer "
                f"(.ttf, .otf) i {folder}.")
    return style


@lru_cache(maxsize=1)
def _builtin_style() -> dict[str, Any]:
    # Read once a process: the file ships with the package (a batch asks per document).
    return _read_style(STYLE_FILE, builtin=True)


def _read_style(path: Path, *, builtin: bool) -> dict[str, Any]:
    import tomllib

    try:
        if path.stat().st_size > _MAX_STYLE_BYTES:
            raise UsageProblem(f"{path} är större än {_MAX_STYLE_BYTES // 1024} kB; en "
                               "stilfil är bara några rader inställningar.")
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        from ...files import describe_os_error

        raise UsageProblem(f"Stilfilen {path} kunde inte läsas ({describe_os_error(exc)}).") \
            from None
    except UnicodeDecodeError:
        raise UsageProblem(f"{path} är inte sparad som UTF-8. Spara om den som UTF-8.") \
            from None
    except tomllib.TOMLDecodeError as exc:
        raise UsageProblem(f"{path} kan inte läsas som TOML: {exc}. Jämför med filen som "
                           "iopkit mallar skriver.") from None
    known = {(table, key) for table, key, _, _ in _SETTINGS}
    for table, entries in data.items():
        if not isinstance(entries, dict) or any((table, key) not in known for key in entries):
            unknown = table if not isinstance(entries, dict) else next(
                f"{table}.{key}" for key in entries if (table, key) not in known)
            raise UsageProblem(f"{path}: {unknown} är ingen inställning iopkit känner till. "
                               "Tillåtna: " + ", ".join(f"{t}.{k}" for t, k, _, _ in _SETTINGS)
                               + ".")
    values: dict[str, Any] = {}
    for table, key, name, kind in _SETTINGS:
        if key not in data.get(table, {}):
            if builtin:
                raise AssertionError(f"built-in stil.toml lacks {table}.{key}")
            continue
        values[name] = _setting(path, f"{table}.{key}", kind, data[table][key])
    return values


def _setting(path: Path, where: str, kind: str, value: Any) -> Any:
    if kind in _RANGES:
        low, high = _RANGES[kind]
        if isinstance(value, bool) or not isinstance(value, (int, float)) or \
                not low <= value <= high:
            raise UsageProblem(f"{path}: {where} ska vara ett tal mellan {low} och {high}, "
                               f"inte {value!r}.")
        return float(value)
    if not isinstance(value, str):
        raise UsageProblem(f"{path}: {where} ska vara en text inom citattecken, inte "
                           f"{value!r}.")
    if kind == "colour":
        hexcode = value.strip().lstrip("#")
        if len(hexcode) != 6 or any(c not in "0123456789abcdefABCDEF" for c in hexcode):
            raise UsageProblem(f"{path}: {where} ska vara en färg som hexkod med sex tecken, "
                               f"till exempel \"1F3864\", inte {value!r}.")
        return hexcode.upper()
    return " ".join(clean_text(value).split())


def _logo_file(folder: Path, name: str, style_file: Path) -> Path:
    candidate = folder / name
    if Path(name).name != name or candidate.suffix.lower() not in _LOGO_SUFFIXES:
        raise UsageProblem(f"{style_file}: logotyp.fil ska vara namnet på en bild (PNG, JPEG "
                           f"eller SVG) i samma katalog som stilfilen, inte {name!r}.")
    if candidate.is_symlink() or not candidate.is_file():
        raise UsageProblem(f"{style_file}: logotypen {candidate} finns inte (eller är en "
                           "symbolisk länk). Lägg bilden i samma katalog som stilfilen.")
    if candidate.stat().st_size > _MAX_LOGO_BYTES:
        raise UsageProblem(f"Logotypen {candidate} är större än 5 MB. Använd en mindre bild.")
    return candidate


def check_style(templates_dir: Path | None) -> None:
    """Read the house style now, so that a bad stil.toml is reported before any work."""
    load_style(templates_dir)


# ---------------------------------------------------------------------------------
# Fonts and the compiler


def _font_files(folder: Path | None) -> list[Path]:
    if folder is None:
        return []
    return sorted(p for p in folder.iterdir()
                  if p.suffix.lower() in _FONT_SUFFIXES and p.is_file() and not p.is_symlink())


@lru_cache(maxsize=8)
def _fonts(folders: tuple[str, ...]) -> Any:
    import typst

    # Typst's own embedded fonts stay as a fallback (DejaVu Sans Mono for code, symbols
    # Carlito lacks): they are part of the typst package, the same on every computer.
    return typst.Fonts(include_system_fonts=False, include_embedded_fonts=True,
                       font_paths=list(folders))


def fonts_for(style: Style) -> Any:
    own = [str(p) for p in _font_files(style.folder)]
    return _fonts((str(FONTS_DIR), *own))
