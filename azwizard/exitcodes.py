"""The command line's exit codes (docs/cli.md, "Exit codes"), in one module that both the argument parser
(cli.py) and the commands (headless/) import, so neither imports the other for them (issue 20)."""

from __future__ import annotations

EXIT_OK = 0
EXIT_FINDINGS = 1  # blocking findings or cleanup blockers: nothing was created or deleted
EXIT_USAGE = 2  # a bad option, a profile error, an az command azwizard cannot read, no confirmation
EXIT_AZURE = 3  # sign-in, the subscription, or a resource that failed
EXIT_CHANGED = 4  # apply: a resource changed in Azure after the plan read it (412); plan again
EXIT_BUSY = 5  # another azwizard process is applying the same VM or cluster (azwizard/run/lock.py): nothing sent
EXIT_INTERRUPTED = 130  # Ctrl+C
