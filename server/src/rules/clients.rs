//! Who a request comes from, for the rate limits, the connection caps and bans: the
//! peer, or the reader a trusted reverse proxy reports. No address is ever stored.

use axum::http::HeaderMap;
use std::net::IpAddr;

/// The client a request comes from: the peer, or, when the peer is a trusted proxy, the
/// right-most address in `X-Forwarded-For` that is not itself a trusted proxy.
pub fn client_ip(peer: IpAddr, headers: &HeaderMap, trusted: &[IpAddr]) -> IpAddr {
    if !trusted.contains(&peer) {
        return peer;
    }
    let forwarded = headers
        .get_all("x-forwarded-for")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .filter_map(|a| a.trim().parse::<IpAddr>().ok())
        .collect::<Vec<_>>();
    forwarded.into_iter().rev().find(|ip| !trusted.contains(ip)).unwrap_or(peer)
}

/// What the rate limit and the connection caps count by: an IPv4 address, or the /64
/// network of an IPv6 address (one household or device gets a whole /64, so counting
/// single IPv6 addresses would give it unlimited posts). An IPv4-mapped IPv6 address
/// counts as its IPv4 address.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ClientKey {
    /// An IPv4 address.
    V4(std::net::Ipv4Addr),
    /// The first 64 bits of an IPv6 address.
    V6Net(u64),
}

impl ClientKey {
    /// The key of an address.
    pub fn of(ip: IpAddr) -> ClientKey {
        match ip {
            IpAddr::V4(v4) => ClientKey::V4(v4),
            IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
                Some(v4) => ClientKey::V4(v4),
                None => ClientKey::V6Net((u128::from(v6) >> 64) as u64),
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    fn forwarded(value: &str) -> HeaderMap {
        let mut h = HeaderMap::new();
        h.insert("x-forwarded-for", HeaderValue::from_str(value).expect("header"));
        h
    }

    #[test]
    fn the_peer_is_the_client_unless_it_is_a_trusted_proxy() {
        let peer: IpAddr = "10.0.0.5".parse().expect("ip");
        let h = forwarded("203.0.113.9");
        assert_eq!(client_ip(peer, &h, &[]), peer, "an untrusted peer cannot claim another address");
        assert_eq!(client_ip(peer, &h, &[peer]), "203.0.113.9".parse::<IpAddr>().expect("ip"));
    }

    #[test]
    fn ipv6_clients_are_counted_by_their_64_network() {
        let ip = |s: &str| s.parse::<IpAddr>().expect("ip");
        assert_eq!(ClientKey::of(ip("2001:db8:1:2::1")), ClientKey::of(ip("2001:db8:1:2:ffff:ffff:ffff:ffff")));
        assert_ne!(ClientKey::of(ip("2001:db8:1:2::1")), ClientKey::of(ip("2001:db8:1:3::1")));
        assert_eq!(ClientKey::of(ip("::ffff:198.51.100.7")), ClientKey::of(ip("198.51.100.7")));
        assert_ne!(ClientKey::of(ip("198.51.100.7")), ClientKey::of(ip("198.51.100.8")));
    }

    #[test]
    fn the_right_most_untrusted_forwarded_address_is_the_client() {
        let proxy: IpAddr = "10.0.0.5".parse().expect("ip");
        let cdn: IpAddr = "10.0.0.6".parse().expect("ip");
        let h = forwarded("1.1.1.1, 198.51.100.7, 10.0.0.6");
        assert_eq!(client_ip(proxy, &h, &[proxy, cdn]), "198.51.100.7".parse::<IpAddr>().expect("ip"));
        assert_eq!(client_ip(proxy, &forwarded("garbage"), &[proxy]), proxy);
    }
}
