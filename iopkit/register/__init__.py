"""All of a kommun's partnerships at once (`iopkit oversikt`): the register of
agreements, the deadlines across them, and de minimis aid per organisation across every
agreement, with the rows the central de minimis register needs.

- `collect`: find and check every spec (and follow-up file) under the given folders;
- `deminimis`: grants per organisation and the three-year windows against the ceilings;
- `tables`: the register, deadlines and de minimis as plain rows (one source for every
  format);
- `writers`: Excel (openpyxl), CSV for a Swedish Excel, self-contained HTML, Markdown,
  iCalendar.
"""
