"""The register in each format. Every writer takes the same `Register` (tables.py) and
returns bytes; the same input and date give the same bytes.

- xlsx: a real workbook (openpyxl): typed cells (dates as dates, kronor as numbers with a
  kronor format), a bold header row, frozen panes, filters, column widths; one sheet each
  for the agreements, the deadlines and de minimis per organisation;
- csv: UTF-8 with BOM and `;` as separator, dates ISO, so Excel on a Swedish Windows
  opens it right;
- html: one self-contained page (no CDN, no external file): sortable tables with a few
  lines of inline script; every value escaped;
- md: Markdown tables;
- ics: the deadlines as one calendar.
"""

from __future__ import annotations

import csv
import datetime as dt
import html
import io
import re
from typing import Any

from ..format import kronor, tal
from .tables import (
    CENTRAL_HEADER,
    DE_MINIMIS_HEADER,
    DEADLINE_HEADER,
    Register,
    agreement_header,
    agreement_rows,
    central_register_rows,
    de_minimis_rows,
    deadline_rows,
)

KRONOR_FORMAT = '#,##0 "kr"'
NUMBER_FORMAT = "#,##0"
DATE_FORMAT = "yyyy-mm-dd"


def _sheets(register: Register) -> list[tuple[str, list[str], list[list[Any]]]]:
    return [
        ("Avtal", agreement_header(register), agreement_rows(register)),
        (f"Frister {register.days} dagar", DEADLINE_HEADER, deadline_rows(register)),
        ("Stöd av mindre betydelse", DE_MINIMIS_HEADER, de_minimis_rows(register)),
    ]


def to_xlsx(register: Register) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    from ..writers.word.ooxml_package import read_package, zip_package

    workbook = Workbook()
    workbook.remove(workbook.active)
    stamp = dt.datetime.combine(register.today, dt.time(0, 0))
    workbook.properties.creator = "iopkit"
    workbook.properties.created = stamp
    workbook.properties.modified = stamp
    workbook.properties.title = "Idéburna offentliga partnerskap"
    for title, header, rows in _sheets(register):
        sheet = workbook.create_sheet(title[:31])
        sheet.append(header)
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for row in rows:
            sheet.append([_cell(v) for v in row])
        for column, name in enumerate(header, 1):
            letter = get_column_letter(column)
            kr = "(kr" in name
            euro = "(euro" in name
            for cell in sheet[letter][1:]:
                if isinstance(cell.value, dt.date):
                    cell.number_format = DATE_FORMAT
                elif kr and isinstance(cell.value, int):
                    cell.number_format = KRONOR_FORMAT
                elif euro and isinstance(cell.value, int):
                    cell.number_format = NUMBER_FORMAT
                elif isinstance(cell.value, float):
                    cell.number_format = "0.00"
            longest = max([len(str(name))] + [len(_shown(r[column - 1])) for r in rows])
            sheet.column_dimensions[letter].width = min(60, max(10, longest + 2))
        sheet.freeze_panes = "B2"
        if rows:
            sheet.auto_filter.ref = f"A1:{get_column_letter(len(header))}{len(rows) + 1}"
    out = io.BytesIO()
    workbook.save(out)
    # openpyxl stamps each zip entry, and the workbook's modified time, with the current
    # time: pin both to the date.
    when = f"{register.today.isoformat()}T00:00:00Z"
    members = [(name, re.sub(rb"(<dcterms:modified[^>]*>)[^<]*(</dcterms:modified>)",
                             lambda m: m.group(1) + when.encode() + m.group(2), data)
                if name == "docProps/core.xml" else data)
               for name, data in read_package(out.getvalue())]
    return zip_package(members, register.today)


def _cell(value: Any) -> Any:
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@"):
        return "'" + value  # never a formula from a spec's text
    return value


def _shown(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, int):
        return tal(value) + " kr"
    return str(value)


def _csv(header: list[str], rows: list[list[Any]]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow(["" if v is None else v.isoformat() if isinstance(v, dt.date)
                         else f"{v:.2f}".replace(".", ",") if isinstance(v, float)
                         else _cell(v) if isinstance(v, str) else v for v in row])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def to_csv(register: Register) -> bytes:
    return _csv(agreement_header(register), agreement_rows(register))


def central_register_csv(register: Register) -> bytes:
    return _csv(CENTRAL_HEADER, central_register_rows(register))


def _display(value: Any, header: str) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, int) and "(kr" in header:
        return kronor(value)
    if isinstance(value, float) and header.startswith("Kurs"):
        return f"{value:.2f}".replace(".", ",")
    if isinstance(value, (int, float)):
        return tal(value)
    return str(value)


def to_markdown(register: Register) -> bytes:
    from ..writers.markdown import escape_inline

    lines = [f"# Idéburna offentliga partnerskap {register.today.isoformat()}", ""]
    lines += _summary_lines(register) + [""]
    for title, header, rows in _sheets(register):
        lines += [f"## {title}", ""]
        if not rows:
            lines += ["Inga.", ""]
            continue
        lines.append("| " + " | ".join(header) + " |")
        lines.append("|" + "---|" * len(header))
        for row in rows:
            lines.append("| " + " | ".join(escape_inline(_display(v, h)).replace("|", "\\|")
                                           for v, h in zip(row, header)) + " |")
        lines.append("")
    lines += _problem_lines(register, lambda t: escape_inline(t))
    return "\n".join(lines).rstrip("\n").encode("utf-8") + b"\n"


def _summary_lines(register: Register) -> list[str]:
    return [f"{len(register.agreements)} avtal, {len(register.organisations)} organisationer "
            f"med stöd av mindre betydelse, {len(register.deadlines)} frister de närmaste "
            f"{register.days} dagarna från {register.today.isoformat()}, "
            f"{len(register.warnings)} varningar."]


def _problem_lines(register: Register, escape: Any) -> list[str]:
    lines: list[str] = []
    if register.warnings:
        lines += ["## Varningar", ""] + [f"- {escape(w)}" for w in register.warnings] + [""]
    if register.broken or register.unreadable:
        lines += ["## Filer med fel (inte med i översikten)", ""]
        lines += [f"- {escape(b.file)}: {b.errors} fel. Första: {escape(b.first)}"
                  for b in register.broken]
        lines += [f"- {escape(f)}: {escape(m)}" for f, m in register.unreadable]
        lines.append("")
    lines += ["Stöd av mindre betydelse räknas per organisationsnummer över varje period om "
              "tre år bakåt från varje beviljandedatum. Stöd från andra givare och till "
              "företag som organisationen kontrollerar eller kontrolleras av ingår inte och "
              "måste läggas till. Beloppen är nominella; underrättelsen och det centrala "
              "registret anger bruttobidragsekvivalenten. Med budgetförbehåll räknas varje "
              "senare år från den 1 januari det året.", ""]
    rate_default = any(g.eur_rate_default for o in register.organisations for g in o.grants)
    if rate_default:
        from ..rules.settings import DEFAULT_EUR_RATE, DEFAULT_EUR_RATE_SOURCE

        lines += [escape(f"Eurobeloppen är uppskattade med iopkits standardkurs "
                         f"{tal(float(DEFAULT_EUR_RATE))} kr per euro ("
                         f"{DEFAULT_EUR_RATE_SOURCE.replace('`', '')})."), ""]
    return lines


_SCRIPT = """
document.querySelectorAll("table").forEach(function (table) {
  table.querySelectorAll("th").forEach(function (th, column) {
    var button = document.createElement("button");
    button.type = "button"; button.textContent = th.textContent; th.textContent = "";
    th.appendChild(button);
    button.addEventListener("click", function () {
      var body = table.tBodies[0], rows = Array.from(body.rows);
      var down = th.getAttribute("aria-sort") !== "ascending";
      table.querySelectorAll("th").forEach(function (h) { h.removeAttribute("aria-sort"); });
      th.setAttribute("aria-sort", down ? "ascending" : "descending");
      rows.sort(function (a, b) {
        var x = a.cells[column].dataset.sort || a.cells[column].textContent;
        var y = b.cells[column].dataset.sort || b.cells[column].textContent;
        var nx = Number(x), ny = Number(y);
        var c = (x !== "" && y !== "" && !isNaN(nx) && !isNaN(ny)) ? nx - ny
                : x.localeCompare(y, "sv");
        return down ? c : -c;
      });
      rows.forEach(function (r) { body.appendChild(r); });
    });
  });
});
"""


def to_html(register: Register) -> bytes:
    esc = html.escape
    parts = ["<!DOCTYPE html>", '<html lang="sv">', "<head>", '<meta charset="utf-8">',
             f"<title>Idéburna offentliga partnerskap {register.today.isoformat()}</title>",
             "<style>body{font-family:Calibri,Carlito,sans-serif;margin:2em}"
             "table{border-collapse:collapse;margin-bottom:2em}"
             "th,td{border:1px solid #999;padding:.25em .5em;text-align:left}"
             "th button{font:inherit;font-weight:bold;background:none;border:0;cursor:pointer}"
             "td.num{text-align:right}</style>", "</head>", "<body>",
             f"<h1>Idéburna offentliga partnerskap {register.today.isoformat()}</h1>"]
    parts += [f"<p>{esc(line)}</p>" for line in _summary_lines(register)]
    for title, header, rows in _sheets(register):
        parts.append(f"<h2>{esc(title)}</h2>")
        if not rows:
            parts.append("<p>Inga.</p>")
            continue
        parts.append("<table><thead><tr>" + "".join(f'<th scope="col">{esc(h)}</th>'
                                                    for h in header) + "</tr></thead><tbody>")
        for row in rows:
            cells = []
            for value, name in zip(row, header):
                sort = (value.isoformat() if isinstance(value, dt.date)
                        else str(value) if isinstance(value, (int, float)) else "")
                attrs = f' data-sort="{esc(sort)}"' if sort else ""
                cls = ' class="num"' if isinstance(value, (int, float)) else ""
                cells.append(f"<td{attrs}{cls}>{esc(_display(value, name))}</td>")
            parts.append("<tr>" + "".join(cells) + "</tr>")
        parts.append("</tbody></table>")
    for line in _problem_lines(register, esc):
        if line.startswith("## "):
            parts.append(f"<h2>{line[3:]}</h2>")
        elif line.startswith("- "):
            parts.append(f"<p>{line[2:]}</p>")
        elif line:
            parts.append(f"<p>{line}</p>")
    parts += [f"<script>{_SCRIPT}</script>", "</body>", "</html>", ""]
    return "\n".join(parts).encode("utf-8")


def to_ics(register: Register) -> bytes:
    """Every deadline in the register's horizon as one calendar (all-day events)."""
    import uuid

    from icalendar import Calendar, Event

    from ..calendar import PRODID, UID_DOMAIN, UID_NAMESPACE

    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", "IOP: frister för alla partnerskap")
    stamp = dt.datetime.combine(register.today, dt.time(0, 0), tzinfo=dt.timezone.utc)
    for row in register.deadlines:
        event = Event()
        identity = f"{row.case_number or row.agreement}\n{row.file}\n{row.what}\n{row.date}"
        event.add("uid", f"{uuid.uuid5(UID_NAMESPACE, identity.casefold())}@{UID_DOMAIN}")
        event.add("dtstamp", stamp)
        event.add("dtstart", row.date)
        event.add("dtend", row.date + dt.timedelta(days=1))
        event.add("summary", f"{row.what[:1].upper()}{row.what[1:]}: {row.agreement}")
        event.add("description", f"Idéburet offentligt partnerskap: {row.agreement}"
                                 + (f" (diarienummer {row.case_number})" if row.case_number
                                    else "") + ".")
        event.add("transp", "TRANSPARENT")
        cal.add_component(event)
    return bytes(cal.to_ical())
