"""The readable Swedish report of `iopkit diff` without --format docx."""

from __future__ import annotations

from typing import Sequence

from .changes import NO_CHANGES, Change, count_text, grouped, quote


def render_text(changes: Sequence[Change], old_label: str, new_label: str,
                width: int = 100, findings: Sequence[str] = ()) -> str:
    """A readable Swedish report for the terminal: one line per change, by section, then
    the new version's findings (see iopkit.documents.tillagg.context.finding_lines)."""
    import textwrap

    if not changes:
        return f"Jämförde {old_label} med {new_label}: {NO_CHANGES}\n"
    lines = [f"Ändringar från {old_label} till {new_label}: {count_text(changes)}.", ""]
    for section, items in grouped(changes):
        lines.append(section)
        for change in items:
            marker = "=" if change.derived else change.kind.marker
            lines.append(textwrap.fill(change.sentence, width=width,
                                       initial_indent=f"  {marker} ",
                                       subsequent_indent="      "))
            if change.reworded and change.old:
                lines.append(textwrap.fill(f"Tidigare lydelse: {quote(change.old)}",
                                           width=width, initial_indent="      ",
                                           subsequent_indent="      "))
        lines.append("")
    lines.append("Tecken: + tillagt, - borttaget, ~ ändrat, = ny summa till följd av "
                 "ändringarna.")
    if findings:
        lines.append("")
        lines.append(f"Anmärkningar från iopkit check på {new_label}:")
        for line in findings:
            lines.append(textwrap.fill(line, width=width, initial_indent="  ",
                                       subsequent_indent="    "))
    return "\n".join(lines) + "\n"
