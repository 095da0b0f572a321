"""The document kinds iopkit writes, registered in one place.

A document kind is a folder of Jinja templates, `iopkit/documents/<name>/templates/`,
rendered in file-name order, plus a context function that turns the checked spec (or,
for the amendment annex, two versions of it) into what the templates see. Every kind
goes the same way: context → Markdown (`render.templates`) → Word, HTML or PDF
(`render.pipeline`), and every kind can be overridden with `--mallar KATALOG`
(`KATALOG/<name>/<file>.md.j2`).

To add a kind: add one `DocumentKind` line to `KINDS` below and a folder of the same
name with its templates (`iopkit/documents/<name>/templates/`). Kinds whose `commands`
include "render" can be chosen with `iopkit render --dokument`.
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib import import_module
from typing import Any, Callable

from ..files import UsageProblem


@dataclass(frozen=True)
class DocumentKind:
    name: str  # the template folder and the file-name suffix: <spec>-<name>.docx
    subject: str  # Word's subject field and the end of the document title
    marker: str  # the right-hand text of the page header ("UTKAST")
    context: str  # "module:function" under iopkit building the template context
    commands: tuple[str, ...]  # the commands that write it
    short_title: str = ""  # the end of the document title, when not `subject`
    numbered: bool = False  # the text refers to its own §§ (documents/avtal/context.py)
    #: Rendered also when the rules found errors (the memo then says that the matter
    #: is not ready for decision); the other kinds need a spec without errors.
    with_errors: bool = False

    @property
    def title_end(self) -> str:
        return self.short_title or self.subject

    def context_builder(self) -> Callable[..., dict[str, Any]]:
        module, _, function = self.context.partition(":")
        builder: Callable[..., dict[str, Any]] = getattr(
            import_module(module, "iopkit"), function)
        return builder


SPEC_CONTEXT = ".render.pipeline:spec_context"

KINDS: tuple[DocumentKind, ...] = (
    DocumentKind("avtal", "Avtal om idéburet offentligt partnerskap (IOP)", "UTKAST",
                 SPEC_CONTEXT, ("render",), numbered=True),
    DocumentKind("checklista", "Checklista för IOP-processen", "CHECKLISTA",
                 ".documents.checklista.context:checklist_context", ("render",),
                 numbered=True),
    DocumentKind("tjansteskrivelse", "Tjänsteskrivelse om idéburet offentligt partnerskap "
                 "(IOP)", "TJÄNSTESKRIVELSE",
                 ".documents.tjansteskrivelse.context:memo_context", ("render",),
                 short_title="Tjänsteskrivelse", with_errors=True),
    DocumentKind("uppfoljning", "Uppföljning av idéburet offentligt partnerskap (IOP)",
                 "UPPFÖLJNING", ".documents.uppfoljning.context:followup_context",
                 ("uppfoljning", "render"),
                 short_title="Uppföljning"),
    DocumentKind("tillagg", "Ändringar och tillägg", "TILLÄGG",
                 ".documents.tillagg.context:annex_context", ("diff",)),
    DocumentKind("arsrapport", "Årsrapport för idéburet offentligt partnerskap (IOP)",
                 "ÅRSRAPPORT", ".documents.arsrapport.context:report_context", ("rapport",),
                 short_title="Årsrapport"),
)

#: What `iopkit render` writes without --dokument.
DEFAULT_DOCUMENTS = ("avtal", "checklista")


def kind(name: str) -> DocumentKind:
    for entry in KINDS:
        if entry.name == name:
            return entry
    raise KeyError(name)


def kind_names(command: str | None = None) -> list[str]:
    return [k.name for k in KINDS if command is None or command in k.commands]


def parse_documents(values: Any) -> tuple[str, ...]:
    """`--dokument avtal,tjansteskrivelse` (or the option repeated); default avtal and
    checklista. Raises UsageProblem naming the kinds that exist."""
    chosen: list[str] = []
    allowed = kind_names("render")
    for value in values or ():
        for item in str(value).split(","):
            name = item.strip().lower()
            if not name:
                continue
            if name not in allowed:
                hint = (" Tillägget till avtalet skapas med iopkit diff GAMMAL NY --format "
                        "docx." if name in kind_names("diff") else "")
                raise UsageProblem(f"Dokumentet {item.strip()!r} finns inte. Välj bland "
                                   f"{', '.join(allowed)} (flera går att ange med "
                                   f"komma).{hint}")
            if name not in chosen:
                chosen.append(name)
    return tuple(chosen) or DEFAULT_DOCUMENTS
