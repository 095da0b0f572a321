"""The one way every benchmark prints its Markdown block and, with --out, puts it into
RESULTS.md between its own BEGIN/END markers (replacing an older block, else appending)."""
from __future__ import annotations

from pathlib import Path


def publish(block: str, out: Path | None, begin: str, end: str) -> None:
    print(block)
    if out is None:
        return
    text = out.read_text(encoding="utf-8") if out.exists() else ""
    if begin in text and end in text:
        text = text[:text.index(begin)] + block + text[text.index(end) + len(end):]
    else:
        text = text.rstrip("\n") + "\n\n" + block + "\n"
    out.write_text(text, encoding="utf-8")
