"""Existing VMs that azwizard did not make: read a VM's network as it is (``read.py``), check it against the
notes (``doctor.py``), and add IPv6 to an IPv4-only VM as read-modify-write updates (``ipv6.py``). The demo's
IPv4-only VM, made with plain PUTs as a portal user would, is in ``legacy.py``."""
