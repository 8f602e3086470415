"""The simulated AKS clusters' certificate authority and certificates (``cryptography``).

AKS gives every cluster its own CA; the kubeconfig of ``listClusterUserCredential`` carries it as
``certificate-authority-data`` with the user's client certificate and key (``client-certificate-data``,
``client-key-data``) and a token (https://learn.microsoft.com/rest/api/aks/managed-clusters/list-cluster-user-credentials).
The simulator keeps one CA (an ECDSA P-256 key, self-signed) in its state (``sim.extra["kube_ca"]``, as it keeps
its token-signing key), so a kubeconfig fetched in a later session is the same; each cluster's client certificate
is made once and kept likewise. The API server's certificate is made per process for the name a client asks for
(SNI: the cluster's FQDN, sent as ``tls-server-name``), signed by that CA. Nothing here is a real credential: it
opens only the simulator's loopback Kubernetes API.
"""

from __future__ import annotations

import datetime as dt
import ipaddress
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .core import ArmSim

_LIFETIME = dt.timedelta(days=3650)  # AKS cluster CAs are valid for 30 years; 10 is plenty here


def _now() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc) - dt.timedelta(minutes=5)  # a little slack for clock skew


def _new_key() -> Any:
    from cryptography.hazmat.primitives.asymmetric import ec

    return ec.generate_private_key(ec.SECP256R1())


def _pem_key(key: Any) -> str:
    from cryptography.hazmat.primitives import serialization

    return str(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                 serialization.NoEncryption()).decode())


def _pem_cert(cert: Any) -> str:
    from cryptography.hazmat.primitives import serialization

    return str(cert.public_bytes(serialization.Encoding.PEM).decode())


def _name(common_name: str, org: str | None = None) -> Any:
    from cryptography import x509
    from cryptography.x509.oid import NameOID

    attrs = [x509.NameAttribute(NameOID.COMMON_NAME, common_name)]
    if org:
        attrs.insert(0, x509.NameAttribute(NameOID.ORGANIZATION_NAME, org))
    return x509.Name(attrs)


def ca(sim: ArmSim) -> tuple[str, str]:
    """(certificate PEM, key PEM) of the simulator's cluster CA, made on first use and kept in its state."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes

    with sim.lock:
        kept = sim.extra.get("kube_ca")
        if isinstance(kept, dict) and kept.get("cert") and kept.get("key"):
            return str(kept["cert"]), str(kept["key"])
        key = _new_key()
        subject = _name("ca")  # AKS cluster CAs are named "ca"
        cert = (x509.CertificateBuilder().subject_name(subject).issuer_name(subject).public_key(key.public_key())
                .serial_number(x509.random_serial_number()).not_valid_before(_now())
                .not_valid_after(_now() + _LIFETIME)
                .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
                .add_extension(x509.KeyUsage(digital_signature=True, content_commitment=False, key_encipherment=False,
                                             data_encipherment=False, key_agreement=False, key_cert_sign=True,
                                             crl_sign=True, encipher_only=False, decipher_only=False), critical=True)
                .sign(key, hashes.SHA256()))
        pair = {"cert": _pem_cert(cert), "key": _pem_key(key)}
        sim.extra["kube_ca"] = pair
        return pair["cert"], pair["key"]


def _leaf(sim: ArmSim, subject: Any, *, server_names: tuple[str, ...] = (), client: bool = False) -> tuple[str, str]:
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.x509.oid import ExtendedKeyUsageOID

    ca_cert_pem, ca_key_pem = ca(sim)
    ca_cert = x509.load_pem_x509_certificate(ca_cert_pem.encode())
    ca_key = serialization.load_pem_private_key(ca_key_pem.encode(), password=None)
    key = _new_key()
    builder = (x509.CertificateBuilder().subject_name(subject).issuer_name(ca_cert.subject)
               .public_key(key.public_key()).serial_number(x509.random_serial_number())
               .not_valid_before(_now()).not_valid_after(_now() + _LIFETIME)
               .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
               .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.CLIENT_AUTH if client
                                                     else ExtendedKeyUsageOID.SERVER_AUTH]), critical=False))
    if server_names:
        alt: list[x509.GeneralName] = []
        for n in server_names:
            try:
                alt.append(x509.IPAddress(ipaddress.ip_address(n)))
            except ValueError:
                alt.append(x509.DNSName(n))
        builder = builder.add_extension(x509.SubjectAlternativeName(alt), critical=False)
    cert = builder.sign(ca_key, hashes.SHA256())  # type: ignore[arg-type]
    return _pem_cert(cert), _pem_key(key)


def server_cert(sim: ArmSim, *names: str) -> tuple[str, str]:
    """(certificate PEM, key PEM) for the API server answering ``names`` (FQDNs or IP addresses); not kept."""
    return _leaf(sim, _name(names[0] if names else "apiserver"), server_names=names or ("127.0.0.1",))


def client_cert(sim: ArmSim, cluster_id: str, user: str) -> tuple[str, str]:
    """(certificate PEM, key PEM) of ``user`` on the cluster, made once and kept in the simulator's state. AKS's
    user certificates name the user ``masterclient`` in the ``system:masters`` group for the admin and
    ``clusterUser`` otherwise; here the kubeconfig's user name."""
    with sim.lock:
        kept = sim.extra.setdefault("kube_clients", {})
        key = f"{cluster_id.lower()}|{user}"
        if key not in kept:
            cert, pem = _leaf(sim, _name(user, "system:masters" if user.startswith("clusterAdmin") else None),
                              client=True)
            kept[key] = {"cert": cert, "key": pem}
        return str(kept[key]["cert"]), str(kept[key]["key"])
