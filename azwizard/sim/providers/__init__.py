"""Route handlers, one module per resource provider. Importing this package registers them all.

Order matters where patterns overlap: the first registered route that matches wins, so the shared
routes (login, operation status, resource groups, locks) come first."""

# isort: off
from . import identity, resources, deployments  # noqa: F401
from . import network, compute, containerservice, containerregistry, authorization, recoveryservices  # noqa: F401
from . import containerregistry_credentials, managedidentity, resourcegraph, costmanagement  # noqa: F401
from . import containerservice_upgrades, monitor  # noqa: F401
# isort: on
