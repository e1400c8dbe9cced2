package dev.genq.webhook;

import dev.genq.error.ErrorCode;
import dev.genq.error.GenqException;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Locale;

/**
 * Where genq may POST on a customer's behalf: http(s) URLs whose host resolves only to public
 * addresses. Loopback, private (RFC 1918, ULA), link-local (cloud metadata at 169.254.169.254),
 * carrier-grade NAT, multicast and unspecified addresses are refused, checked after DNS resolution
 * and again before each attempt (a name that later resolves inward is refused then). Loopback only
 * with {@code allowLoopback}, for tests.
 */
public final class UrlGuard {
    private final boolean allowLoopback;
    private final Resolver resolver;

    /** DNS, replaceable so the checks can be tested without it. */
    public interface Resolver {
        List<InetAddress> resolve(String host) throws UnknownHostException;
    }

    public UrlGuard(boolean allowLoopback) {
        this(allowLoopback, host -> List.of(InetAddress.getAllByName(host)));
    }

    public UrlGuard(boolean allowLoopback, Resolver resolver) {
        this.allowLoopback = allowLoopback;
        this.resolver = resolver;
    }

    /** The URL if genq may call it; else a 400 saying why. */
    public URI check(String url) {
        URI uri;
        try {
            uri = new URI(url == null ? "" : url.trim());
        } catch (URISyntaxException e) {
            throw refused("'url' is not a URL");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("https") && !scheme.equals("http")) {
            throw refused("'url' must be http or https");
        }
        if (uri.getRawUserInfo() != null) {
            throw refused("'url' must not carry a user or password");
        }
        String host = uri.getHost();
        if (host == null || host.isBlank()) {
            throw refused("'url' must name a host");
        }
        List<InetAddress> addresses;
        try {
            addresses = resolver.resolve(host.startsWith("[") ? host.substring(1, host.length() - 1) : host);
        } catch (UnknownHostException e) {
            throw refused("the host of 'url' does not resolve");
        }
        if (addresses.isEmpty()) {
            throw refused("the host of 'url' does not resolve");
        }
        for (InetAddress address : addresses) {
            if (!allowed(address)) {
                throw refused("the host of 'url' resolves to " + address.getHostAddress()
                    + ", which is not public (loopback, private, link-local and the like are refused)");
            }
        }
        return uri;
    }

    private boolean allowed(InetAddress a) {
        if (a.isLoopbackAddress()) {
            return allowLoopback;
        }
        if (a.isAnyLocalAddress() || a.isLinkLocalAddress() || a.isSiteLocalAddress() || a.isMulticastAddress()) {
            return false;
        }
        byte[] b = a.getAddress();
        if (a instanceof Inet4Address) {
            int first = b[0] & 0xff;
            int second = b[1] & 0xff;
            return first != 0 && first < 224 && !(first == 100 && second >= 64 && second < 128) // carrier-grade NAT
                && !(first == 192 && second == 0 && (b[2] & 0xff) == 0) && !(first == 198 && (second == 18 || second == 19));
        }
        if (a instanceof Inet6Address) {
            if ((b[0] & 0xfe) == 0xfc) {
                return false; // unique local fc00::/7
            }
            if (isMappedV4(b)) {
                try {
                    return allowed(InetAddress.getByAddress(new byte[] {b[12], b[13], b[14], b[15]}));
                } catch (UnknownHostException e) {
                    return false;
                }
            }
        }
        return true;
    }

    private static boolean isMappedV4(byte[] b) {
        for (int i = 0; i < 10; i++) {
            if (b[i] != 0) {
                return false;
            }
        }
        return (b[10] & 0xff) == 0xff && (b[11] & 0xff) == 0xff;
    }

    private static GenqException refused(String why) {
        return new GenqException(ErrorCode.INVALID_REQUEST, why);
    }
}
