"""`iopkit kalender`: the follow-up meetings and report deadlines as an .ics file."""

from __future__ import annotations

from pathlib import Path

import typer


def kalender(
    spec_file: Path = typer.Argument(
        ..., metavar="FIL", show_default=False,
        help="Partnerskapsbeskrivningen (.yaml)."),
    output: Path = typer.Option(
        None, "--output", "-o", metavar="FIL", show_default=False,
        help="Kalenderfilen att skriva. Standard: FIL-kalender.ics bredvid FIL."),
    group_meetings: bool = typer.Option(
        False, "--partnerskapsgrupp",
        help="Ta också med partnerskapsgruppens möten (styrning.mötesfrekvens)."),
    date: str = typer.Option(
        None, "--datum", metavar="ÅÅÅÅ-MM-DD", show_default=False,
        help="Exportdatum (styr SEQUENCE och DTSTAMP). Standard: SOURCE_DATE_EPOCH, "
             "annars i dag."),
    force: bool = typer.Option(False, "--force", help="Skriv över en befintlig fil."),
) -> None:
    """Skriv en kalenderfil (.ics) med partnerskapets uppföljningsmöten och rapporter,
    att importera i Outlook eller en annan kalender.

    Uppföljningsmötena räknas från uppföljning.första_datum (eller avtalets start) med
    uppföljning.intervall till och med avtalsperiodens slut. Årsrapporten läggs på den
    dag som uppföljning.årsrapport anger (till exempel "senast den 31 januari varje år"),
    annars på avtalets årsdag (ett antaget datum, som händelsen säger), och den ekonomiska
    redovisningen på den dag som ekonomi.redovisning anger. Ett möte som infaller på en
    lördag, söndag eller helgdag (även midsommarafton, julafton och nyårsafton) flyttas
    till nästa vardag, en sista dag för en rapport till vardagen före (avtalets § 1). Alla
    händelser är heldagshändelser. Varje händelse har ett fast id och ett
    versionsnummer (SEQUENCE) som växer med exportdatumet, så en ny import efter en
    ändring uppdaterar händelserna i stället för att lägga till dubbletter.

    Slutstatus: 0 klart, 1 fel i filen, 2 fel i anropet eller filen kan inte läsas eller
    skrivas.
    """
    from ...calendar import (
        ACCOUNTS,
        ANNUAL_REPORT,
        FOLLOW_UP,
        GROUP_MEETING,
        plan_events,
        to_ics,
    )
    from ...files import check_can_write, portable_name, write_atomic
    from ...dates import default_date, parse_date_option
    from ...report import plural
    from .common import load_valid_specs

    (spec,) = load_valid_specs([spec_file])
    if output is None:
        output = spec_file.with_name(f"{portable_name(spec_file.stem)}-kalender.ics")
    exported = parse_date_option(date) if date is not None else default_date()
    check_can_write([output], force, inputs=[spec_file])
    events = plan_events(spec, group_meetings=group_meetings)
    write_atomic(output, to_ics(spec, events, exported), force=force)

    def count(kind: str) -> int:
        return sum(1 for e in events if e.kind == kind)

    parts = [plural(count(FOLLOW_UP), "uppföljningsmöte", "uppföljningsmöten"),
             plural(count(ANNUAL_REPORT), "årsrapport", "årsrapporter")]
    if count(ACCOUNTS):
        parts.append(plural(count(ACCOUNTS), "ekonomisk redovisning",
                            "ekonomiska redovisningar"))
    if group_meetings:
        parts.append(plural(count(GROUP_MEETING), "möte", "möten") + " i partnerskapsgruppen")
    summary = ", ".join(parts[:-1]) + " och " + parts[-1]
    typer.echo(f"Skrev {output}: {summary}.", err=True)
