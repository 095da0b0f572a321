"""Helpers for the render tests: reading documents back as text, and the facts of a spec
that every rendered agreement and checklist must contain."""

from __future__ import annotations

import html.parser
import io
import zipfile
from pathlib import Path

from iopkit.format import datum_lang, kronor, lower_first, lower_start, antal_ord, manader, tal

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def norm(text: str) -> str:
    """Whitespace-insensitive form (line breaks in YAML block text, non-breaking spaces)."""
    return " ".join(text.split())


def docx_paragraphs(data: bytes | Path):
    """Every paragraph of a .docx, in body order, including table cells (python-docx)."""
    import docx

    source = io.BytesIO(data) if isinstance(data, bytes) else str(data)
    document = docx.Document(source)
    paragraphs = []
    for block in document.element.body.iterchildren():
        if block.tag == f"{W}p":
            paragraphs.append(docx.text.paragraph.Paragraph(block, document))
        elif block.tag == f"{W}tbl":
            table = docx.table.Table(block, document)
            for row in table.rows:
                for cell in row.cells:
                    paragraphs.extend(cell.paragraphs)
    return document, paragraphs


def section_labels(document) -> dict:
    """The § numbers Word shows before the agreement's headings (a list whose level
    text is "§ %1", bound to Heading 1): paragraph element -> "§ N ". The numbers
    count the list's paragraphs in body order, as Word and LibreOffice do."""
    numbering = document.part.numbering_part.element
    abstracts = {a.get(f"{W}abstractNumId") for a in numbering.findall(f"{W}abstractNum")
                 if (a.find(f"{W}lvl/{W}lvlText") is not None and
                     a.find(f"{W}lvl/{W}lvlText").get(f"{W}val").startswith("§"))}
    nums = {n.get(f"{W}numId") for n in numbering.findall(f"{W}num")
            if n.find(f"{W}abstractNumId").get(f"{W}val") in abstracts}
    styled = {}
    for style in document.styles.element.findall(f"{W}style"):
        num = style.find(f"{W}pPr/{W}numPr/{W}numId")
        if num is not None:
            styled[style.get(f"{W}styleId")] = num.get(f"{W}val")
    labels, count = {}, 0
    for p in document.element.body.iter(f"{W}p"):
        num = p.find(f"{W}pPr/{W}numPr/{W}numId")
        style = p.find(f"{W}pPr/{W}pStyle")
        num_id = num.get(f"{W}val") if num is not None else \
            styled.get(style.get(f"{W}val") if style is not None else "")
        if num_id in nums:
            count += 1
            labels[p] = f"§\u00a0{count} "
    return labels


def shown_text(paragraph, labels: dict) -> str:
    """A paragraph's text with the list number Word shows before it."""
    return labels.get(paragraph._p, "") + paragraph.text


def docx_headings(data: bytes | Path, style: str = "Heading 1") -> list[str]:
    """The headings of one style as Word shows them ("§ 7 Ekonomi")."""
    document, paragraphs = docx_paragraphs(data)
    labels = section_labels(document)
    return [shown_text(p, labels) for p in paragraphs if p.style.name == style]


def docx_text(data: bytes | Path) -> str:
    """The text as Word shows it, § numbers of the headings included."""
    document, paragraphs = docx_paragraphs(data)
    labels = section_labels(document)
    return "\n".join(shown_text(p, labels) for p in paragraphs)


class _TextExtractor(html.parser.HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skip = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("style", "script", "title"):
            self.skip += 1
        if tag in ("p", "li", "td", "th", "h1", "h2", "h3", "h4", "br", "tr"):
            self.parts.append("\n")

    def handle_endtag(self, tag):
        if tag in ("style", "script", "title"):
            self.skip -= 1

    def handle_data(self, data):
        if not self.skip:
            self.parts.append(data)


def html_text(markup: str) -> str:
    """The text a browser shows for an HTML page (tags removed, entities decoded)."""
    extractor = _TextExtractor()
    extractor.feed(markup)
    return "".join(extractor.parts)


def markdown_text(markdown: str) -> str:
    """The text a Markdown viewer shows (CommonMark with tables, as iopkit writes it)."""
    from markdown_it import MarkdownIt

    return html_text(MarkdownIt("commonmark").enable("table").render(markdown))


def docx_part(data: bytes, name: str) -> bytes:
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        return package.read(name)


def agreement_facts(spec, draft=None) -> list[str]:
    """Every fact of a spec (iopkit.spec.model.Spec) that the agreement must state,
    as text (compared with `norm`). A decision's paragraf only when it is recorded
    before the draft's date `draft`: a planned meeting has no paragraf yet."""
    facts: list[str] = []
    add = facts.append
    ps = spec.partnership
    # The short name is not a fact of its own: the agreement defines it only when its
    # text uses it (R3 14).
    for value in (ps.name, ps.case_number, ps.background, ps.purpose,
                  ps.target_group, ps.scope_limits):
        if value:
            add(value)
    facts.extend(ps.policy_documents)
    for party in spec.parties:
        add(party.name)
        # A public party's legal form is not written out ("Organisationsform: kommun").
        add("Offentlig part" if party.is_public else f"Idéburen part ({party.type})")
        add(party.org_number)
        permit = party.ivo_permit
        if permit is not None and not isinstance(permit, str) and permit.date:
            # The map form in words: "beviljat den 12 september 2024" (issue 21).
            add(f"beviljat {datum_lang(permit.date)}")
        elif party.ivo_permit_text:
            add(party.ivo_permit_text)
        # A title in running text is in lower case ("enhetschef, enheten för …").
        title = lower_start(party.contact.title) if party.contact.title else None
        for value in (party.address, party.contact.name, title,
                      party.contact.email, party.contact.phone, party.idea):
            if value:
                add(value)
        for signatory in party.signatories:
            add(signatory.name)
            if signatory.title:
                add(signatory.title)
        add(f"För {party.name}")
    inventory = spec.needs_inventory
    add(datum_lang(inventory.date))
    add(inventory.method)
    facts.extend(inventory.sources)
    for need in inventory.needs:
        add(f"{need.id} {need.description}")
    for goal in spec.goals:
        add(f"{goal.id} {goal.description}")
        for indicator in goal.indicators:
            add(indicator.description)
            # After the colon the first letter is lower case unless the text starts with
            # a name (test_agreement_reading_2026_12_02): the fact is the rest.
            if indicator.target:
                add(f"riktvärde: {lower_first(indicator.target)}")
            if indicator.source:
                add(indicator.source[1:])
    for activity in spec.activities:
        add(activity.id)
        add(activity.description)
        responsible = spec.party(activity.responsible)
        add(responsible.name if responsible else activity.responsible)
    period = spec.period
    by_year = {id(r): r.by_year(period) for r in spec.resources}
    yearly_table = any(len(set(b.values())) > 1 for b in by_year.values() if b)
    for resource in spec.resources:
        add(resource.description[1:])  # after "lokaler:", in lower case unless a name
        add("ideellt arbete" if resource.type == "ideell tid" else resource.type)
        if by_year[id(resource)] is None:
            add("ej värderad")
        elif not yearly_table:  # under the header "Kronor per år": numbers without "kr"
            add(tal(resource.yearly))
        else:  # the year-by-year table: "Belopp i kronor", numbers without "kr"
            facts.extend(tal(v) for v in by_year[id(resource)].values())
            add(tal(sum(by_year[id(resource)].values())))
        if resource.hours_per_year is not None:
            add(tal(resource.hours_per_year))
    for party in spec.parties:
        own = [by_year[id(r)] for r in spec.resources if r.party == party.id]
        if own:
            add(f"Summa {party.name}")
            valued = [b for b in own if b is not None]
            if yearly_table:
                add(tal(sum(sum(b.values()) for b in valued)))
            else:
                add(tal(sum(next(iter(b.values())) for b in valued)))
    economy = spec.economy
    # § 7 writes the parties' "föreningen" as the defined "organisationen" (R5 18).
    from iopkit.documents.avtal.context import with_defined_term

    kinds = {"parter": [{"typ": p.type} for p in spec.parties],
             "idéburna_parter": [{"typ": p.type} for p in spec.parties if not p.is_public]}

    def in_section_7(text: str) -> str:
        return str(with_defined_term(text, kinds))

    if economy.other_grants:
        add(in_section_7(economy.other_grants))
    for resource in spec.resources:
        if resource.recipient:
            add(spec.party(resource.recipient).name)
    if spec.process:
        for decision in spec.process.decisions:
            add(decision.body)
            add(datum_lang(decision.date))
            if decision.section and (draft is None or decision.date < draft):
                add(decision.section)
    add(in_section_7(economy.disbursement))
    add(in_section_7(economy.reporting))
    add("betalas tillbaka" if economy.unused_funds == "återbetalas" else "får behållas")
    if economy.penalties:
        add("vite")
    add(spec.governance.decision_making)
    add(f"möts {spec.governance.meeting_frequency}")
    for party_id in spec.governance.group:
        add(spec.party(party_id).name)
    follow_up = spec.follow_up
    add(f"upp partnerskapet {follow_up.interval}")
    for value in (follow_up.annual_report, follow_up.evaluation):
        if value:
            add(value)
    if follow_up.first_date:
        add(datum_lang(follow_up.first_date))
    add(f"från och med {datum_lang(period.start)} till och med {datum_lang(period.end)}")
    if period.extension:
        add(period.extension)
    if period.notice_months:
        add(f"uppsägningstid på {antal_ord(period.notice_months, 'månad', 'månader', 'en')}")
    personal = spec.personal_data
    add("Personuppgifter och sekretess")  # always, even when the key is missing
    if personal and personal.processed is False:
        add("inga personuppgifter om deltagarna")
    if personal and personal.processed:
        if personal.responsibility == "biträde":
            add("personuppgiftsbiträde")
        elif personal.responsibility == "var för sig":
            add("personuppgiftsansvarig")
    for clause in spec.clauses:
        add(clause.heading)
        add(clause.text)
    facts.extend(spec.appendices)
    return facts


def checklist_facts(result) -> list[str]:
    """What the checklist must state: the legal assessments and every finding."""
    spec = result.spec
    facts = [spec.partnership.name, datum_lang(spec.needs_inventory.date)]
    if spec.legal and spec.legal.procurement:
        facts.append(spec.legal.procurement)
    if spec.legal and spec.legal.state_aid:
        facts.append(spec.legal.state_aid)
    for finding in result.findings:
        facts.extend([finding.code, finding.message])
        if finding.path_text:
            facts.append(finding.path_text)
        if finding.silenced:
            facts.append("undantagen")
    return facts


def missing(facts: list[str], text: str) -> list[str]:
    haystack = norm(text)
    return [fact for fact in facts if norm(fact) not in haystack]


def rendered_texts(runner, spec: Path, kinds: tuple[str, ...], date: str) -> dict[str, str]:
    """Render `kinds` of `spec` as Word with --datum `date`; each document's whole text,
    normalised, as a reader of the .docx sees it."""
    from conftest import run

    result = run(runner, "render", spec, "--dokument", ",".join(kinds), "-f", "docx",
                 "--datum", date, "--force")
    assert result.exit_code == 0, result.output
    return {kind: norm(docx_text(spec.with_name(f"{spec.stem}-{kind}.docx")))
            for kind in kinds}
