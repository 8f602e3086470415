"""Route handlers, one module per resource provider. Importing this package registers them all.

Order matters only where patterns overlap: specific routes are registered before generic ones
(``generic`` last)."""

from . import identity, resources  # noqa: F401
from . import network, compute, containerservice, containerregistry, authorization, recoveryservices  # noqa: F401
