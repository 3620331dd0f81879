"""The client's real address, read from the proxy's header only for proxies the deployment trusts.

Behind the TLS proxy every request arrives from the proxy's address, and the address of
the person is in the `X-Forwarded-For` header that the proxy appends to. Anyone can send
that header, so it is believed only when the connection itself comes from a trusted proxy
(settings.TRUSTED_PROXIES), and then only as far back as the chain of trusted proxies
goes: the right-most address that is not a trusted proxy is the client (as nginx's
`real_ip_recursive`). django-ipware's trusted-proxy option matches proxies written inside
the header and never the connecting peer, so a client reaching the web server directly
could forge it; hence this function.
"""

import ipaddress
from functools import lru_cache

from django.conf import settings

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


def client_address(request) -> str | None:
    """Return the address of the person behind `request`."""
    peer = _address(request.META.get("REMOTE_ADDR", ""))
    trusted = trusted_networks(tuple(settings.TRUSTED_PROXIES))
    if peer is None or not _within(peer, trusted):
        return str(peer) if peer is not None else None
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    for hop in reversed([part.strip() for part in forwarded.split(",") if part.strip()]):
        address = _address(hop)
        if address is None:  # a malformed entry: nothing left of it can be believed
            break
        peer = address
        if not _within(address, trusted):
            break
    return str(peer)


@lru_cache(maxsize=8)
def trusted_networks(entries: tuple[str, ...]) -> tuple[Network, ...]:
    """Return the networks named by addresses or CIDR ranges; ValueError names a bad one."""
    networks = []
    for entry in entries:
        try:
            networks.append(ipaddress.ip_network(entry, strict=False))
        except ValueError:
            raise ValueError(f"{entry!r} is not an IP address or CIDR range") from None
    return tuple(networks)


def _address(text: str):
    try:
        address = ipaddress.ip_address(text.strip().strip("[]"))
    except ValueError:
        return None
    return address.ipv4_mapped or address if address.version == 6 else address


def _within(address, networks) -> bool:
    return any(address.version == net.version and address in net for net in networks)
