"""The problems iopkit explains to its user, and the exit status each one gives.

Library code raises these with a Swedish message that names the file, line or option and
says what to do; the CLI door (iopkit/cli/door.py) prints the message and exits with the
status from `exit_status`, the one place where errors become exit codes. Anything else
that escapes a command is a bug in iopkit: exit 3.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # only for annotations: errors.py imports nothing from iopkit at run time
    from .spec.findings import Finding

EXIT_OK = 0
#: A spec or template the user wrote has errors (also `check`'s "errors found").
EXIT_INVALID = 1
#: The call cannot be carried out: an option, a path, the file system.
EXIT_USAGE = 2
#: A bug in iopkit.
EXIT_INTERNAL = 3
#: Ctrl-C, as shells report a process ended by SIGINT.
EXIT_INTERRUPTED = 130


class IopkitError(Exception):
    """A problem iopkit can explain: str(error) is the Swedish message for the user."""


class UserInputError(IopkitError):
    """Something the user wrote (a spec, a template) is wrong: exit 1."""


class UsageError(IopkitError):
    """What was asked cannot be done (an option, a path, the file system): exit 2."""


class Interrupted(IopkitError):
    """Ctrl-C inside a command: the door says "Avbrutet." and exits 130."""

    def __init__(self) -> None:
        super().__init__("Avbrutet.")


# The specific problems. Their old names stay importable from the modules that raised
# them first (files, spec.loader). render.templates.TemplateProblem and
# render.pipeline.SpecHasErrors are UserInputErrors defined beside the code that raises them.


#: A problem with what the user asked for or with the file system (files.UsageProblem).
UsageProblem = UsageError


class InputProblem(UsageError):
    """An input is missing, not a regular file, or cannot be reached."""


class SpecIOError(UsageError):
    """A spec file could not be read at all (missing, a directory, no permission)."""


class SpecLoadError(UserInputError):
    """The file was read but is not a usable YAML mapping: one finding."""

    def __init__(self, finding: Finding):
        super().__init__(finding.message)
        self.finding = finding


# Most specific first: the door takes the first class an error is an instance of.
EXIT_STATUS: tuple[tuple[type[BaseException], int], ...] = (
    (Interrupted, EXIT_INTERRUPTED),
    (UsageError, EXIT_USAGE),
    (UserInputError, EXIT_INVALID),
)


def exit_status(error: BaseException) -> int:
    """The exit status for an error that reaches the door: 1, 2, 130, or 3 (a bug)."""
    for kind, status in EXIT_STATUS:
        if isinstance(error, kind):
            return status
    return EXIT_INTERNAL
