"""What the user chose, as frozen dataclasses with the seed notes' defaults. Screens build them, rules
check them, plans turn them into ARM requests; nothing here talks to Azure."""
