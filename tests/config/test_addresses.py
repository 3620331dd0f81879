"""The client's address: from the proxy's header only when the connection is a trusted proxy."""

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.test import RequestFactory

from config.addresses import client_address
from config.env import env_networks

PROXY, CLIENT = "192.0.2.10", "203.0.113.7"


def address(settings, trusted, remote, forwarded=None):
    settings.TRUSTED_PROXIES = trusted
    headers = {"HTTP_X_FORWARDED_FOR": forwarded} if forwarded is not None else {}
    return client_address(RequestFactory().get("/", REMOTE_ADDR=remote, **headers))


def test_a_forged_forwarding_header_is_ignored_when_no_proxy_is_trusted(settings):
    assert address(settings, [], CLIENT, forwarded="10.9.9.9") == CLIENT


def test_a_forged_header_is_ignored_from_a_client_that_is_not_a_trusted_proxy(settings):
    # The client reaches the web server directly and claims to be the proxy's client.
    assert address(settings, [PROXY], CLIENT, forwarded=f"10.9.9.9, {PROXY}") == CLIENT


def test_the_header_names_the_client_when_the_connection_is_a_trusted_proxy(settings):
    assert address(settings, [PROXY], PROXY, forwarded=CLIENT) == CLIENT


def test_an_address_the_client_wrote_before_the_proxys_is_not_believed(settings):
    # The proxy appends the address it saw; whatever the client sent sits to its left.
    assert address(settings, [PROXY], PROXY, forwarded=f"10.9.9.9, {CLIENT}") == CLIENT


def test_a_chain_of_trusted_proxies_is_walked_back_to_the_first_untrusted_hop(settings):
    chain = f"10.9.9.9, {CLIENT}, 198.51.100.4"
    assert address(settings, [PROXY, "198.51.100.0/24"], PROXY, forwarded=chain) == CLIENT


def test_a_malformed_hop_stops_the_walk_at_the_last_trusted_proxy(settings):
    assert address(settings, [PROXY], PROXY, forwarded=f"{CLIENT}, not-an-address") == PROXY


def test_without_a_header_the_trusted_proxy_itself_is_the_address(settings):
    assert address(settings, [PROXY], PROXY) == PROXY


def test_ipv4_mapped_ipv6_addresses_match_ipv4_ranges(settings):
    assert address(settings, ["192.0.2.0/24"], f"::ffff:{PROXY}", forwarded=CLIENT) == CLIENT


def test_a_malformed_trusted_proxies_setting_stops_the_process_naming_it(monkeypatch):
    monkeypatch.setenv("TRUSTED_PROXIES", "10.0.0.1, proxy.example.org")
    with pytest.raises(ImproperlyConfigured, match="TRUSTED_PROXIES: 'proxy.example.org'"):
        env_networks("TRUSTED_PROXIES")


def test_the_audit_log_records_the_real_address_behind_the_trusted_proxy(
    client, settings, inspector
):
    from django.urls import reverse

    from audit.models import AuditEvent
    from tests.constants import PASSWORD

    settings.TRUSTED_PROXIES = [PROXY]
    for password in ("wrong", PASSWORD):
        client.post(reverse("login"), {"username": "inspector1", "password": password},
                    REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=CLIENT)  # fmt: skip

    recorded = AuditEvent.objects.filter(username="inspector1").values_list("action", "address")
    assert sorted(recorded) == [("sign_in", CLIENT), ("sign_in_failed", CLIENT)]
