"""The command-line front end of the engine (``azwizard vm|aks plan|apply``, ``check``, ``cleanup``): the same
specs, rules, plans, runner and cleanup engine the terminal UI uses, with text, JSON, az and ARM output.

Nothing here imports the Azure SDK or Textual at import time; each command imports what it needs."""
