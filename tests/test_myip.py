from azwizard.myip import DEMO_ADDRESS, detect_public_ipv4


def test_demo_mode_never_touches_the_network_and_uses_a_documentation_address() -> None:
    assert detect_public_ipv4(demo=True) == DEMO_ADDRESS
    import ipaddress

    assert ipaddress.ip_address(DEMO_ADDRESS) in ipaddress.ip_network("203.0.113.0/24")
