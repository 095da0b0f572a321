"""`iopkit mallar KATALOG`: the built-in templates and the Word base document, copied out
so that a kommun can edit its clauses and house style and pass them back with
`--mallar KATALOG` and `--referens-docx KATALOG/grund.docx`.

Every template folder (`KATALOG/avtal/`, `KATALOG/checklista/` … one per document kind)
is copied with its helper files (`_*.md.j2`), the Word base document as
`KATALOG/grund.docx`, and the house style of the PDF (fonts, colours, margins, logo) as
`KATALOG/typst/stil.toml` with an example logo beside it (writers/pdf/typst_pdf.py). Nothing is overwritten without `force`, and nothing is written
through a symbolic link or outside KATALOG.
"""

from __future__ import annotations

from pathlib import Path

from ..files import UsageProblem, prepare_targets, write_set
from .templates import SUFFIX, builtin_dir, builtin_folders
from ..writers.pdf.typst_style import DATA_DIR, STYLE_FOLDER, STYLE_NAME

WORD_BASE_NAME = "grund.docx"
#: The Word base document: its styles, header and footer (`--referens-docx`).
WORD_BASE = Path(__file__).resolve().parent.parent / "templates" / "_word" / WORD_BASE_NAME
#: The PDF's house style and an example logo for it (`--mallar` reads typst/stil.toml).
PDF_STYLE = DATA_DIR / "stil.toml"
PDF_LOGO = DATA_DIR / "logotyp.svg"


def export_files() -> list[tuple[Path, Path]]:
    """(source, path relative to KATALOG) for every file `mallar` copies."""
    files = []
    for folder in builtin_folders():
        for source in sorted(builtin_dir(folder).iterdir()):
            if source.is_file() and source.name.endswith(SUFFIX):
                files.append((source, Path(folder) / source.name))
    files.append((WORD_BASE, Path(WORD_BASE_NAME)))
    files.append((PDF_STYLE, Path(STYLE_FOLDER) / STYLE_NAME))
    files.append((PDF_LOGO, Path(STYLE_FOLDER) / PDF_LOGO.name))
    return files


def export_templates(directory: Path, force: bool = False) -> list[Path]:
    """Copy every template and the Word base document into `directory` (created when
    missing). Returns the paths written. Raises files.UsageProblem (exit 2) when a file
    exists and `force` is not set, or the directory cannot be used; nothing is written
    then."""
    files = export_files()
    targets = [directory / relative for _, relative in files]
    if directory.exists() or directory.is_symlink():
        if not directory.is_dir():
            raise UsageProblem(f"{directory} finns redan och är ingen katalog. Ange en ny "
                               "eller befintlig katalog.")
        if not force:
            existing = [t for t in targets if t.exists() or t.is_symlink()]
            if existing:
                raise UsageProblem(
                    f"{existing[0]} finns redan" + (f" (och {len(existing) - 1} filer till)"
                                                    if len(existing) > 1 else "") +
                    ". Ange en annan katalog, eller --force för att skriva över dem med de "
                    "inbyggda mallarna (dina ändringar i dem går då förlorade).")
    folders = sorted({t.parent for t in targets}, key=str)
    for folder in folders:
        if folder.is_symlink():
            raise UsageProblem(f"{folder} är en symbolisk länk. Mallarna skrivs bara i "
                               "vanliga kataloger; ange en annan katalog.")
    for folder in folders:
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except FileExistsError:
            raise UsageProblem(f"{folder} finns redan och är ingen katalog.") from None
        except OSError as exc:
            from ..files import describe_os_error

            raise UsageProblem(f"Katalogen {folder} kunde inte skapas "
                               f"({describe_os_error(exc)}).") from None
    prepare_targets(targets, force)
    outputs = [(target, source.read_bytes()) for (source, _), target in zip(files, targets)]
    write_set(outputs, force)
    return targets
