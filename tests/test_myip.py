import ipaddress

from azwizard.myip import DEMO_ADDRESS, detect_public_ipv4


def test_demo_mode_never_touches_the_network_and_uses_one_public_address_for_every_journey() -> None:
    from azwizard.screens.aks.journey import DEMO_PUBLIC_IPV4

    assert detect_public_ipv4(demo=True) == DEMO_ADDRESS
    assert DEMO_PUBLIC_IPV4 == DEMO_ADDRESS  # the VM's NSG source and the AKS authorized range agree
    assert ipaddress.ip_address(DEMO_ADDRESS).is_global  # so the AKS rules accept it
