"""Headless `vm apply` ends with the ssh commands, as the wizard's done screen does (issue 19 item 21): over IPv4
and IPv6, naming the private key with -i when azwizard knows where it is."""

from __future__ import annotations

import re
from pathlib import Path

import cli_helpers
import pytest
from cli_helpers import EXAMPLES, main_in_process

from azwizard.sshconfig import ssh_commands

data_dir = cli_helpers.data_dir


def test_vm_apply_prints_the_ssh_commands(data_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    res = main_in_process(["--demo", "vm", "apply", str(EXAMPLES / "yolo-vm.toml"), "--yes"], capsys)
    assert res.code == 0, res.err
    ip4 = re.search(r"Public IPv4 address Yolo-IPv4: (\S+)", res.out)
    ip6 = re.search(r"Public IPv6 address Yolo-IPv6: (\S+)", res.out)
    assert ip4 and ip6, res.out
    connect = res.out[res.out.index("Connect:"):]
    assert f"  ssh azureuser@{ip4.group(1)}\n" in connect and f"  ssh -6 azureuser@{ip6.group(1)}\n" in connect


def test_the_commands_name_the_key_quoted_for_the_shell() -> None:
    assert ssh_commands("me", "1.2.3.4", "2001:db8::4", Path("/home/a b/.ssh/id")) == [
        "ssh -i '/home/a b/.ssh/id' me@1.2.3.4", "ssh -6 -i '/home/a b/.ssh/id' me@2001:db8::4"]
    assert ssh_commands("me", "1.2.3.4", None, None) == ["ssh me@1.2.3.4"]
