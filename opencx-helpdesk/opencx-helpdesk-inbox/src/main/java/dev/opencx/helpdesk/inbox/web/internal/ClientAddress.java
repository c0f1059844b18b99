package dev.opencx.helpdesk.inbox.web.internal;

import dev.opencx.webhook.WebRequest;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The client's address for sign-in throttling: the address the server saw, or, when that is one
 * of the configured trusted proxies, the nearest address in {@code X-Forwarded-For} that is not a
 * trusted proxy (a client can prepend anything to the header, so only the hops the trusted proxies
 * appended count).
 */
public final class ClientAddress {
    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
    private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f]*:[0-9A-Fa-f:.]{1,62}");

    private ClientAddress() {}

    /**
     * The canonical text of an IP literal ({@code 10.0.0.1}, {@code 2001:db8:0:0:0:0:0:1}), or null
     * when {@code s} is not one. Never looks a name up.
     */
    public static String canonical(String s) {
        if (s == null) {
            return null;
        }
        String a = s.strip();
        if (a.startsWith("[") && a.endsWith("]")) {
            a = a.substring(1, a.length() - 1);
        }
        int zone = a.indexOf('%');
        if (zone >= 0) {
            a = a.substring(0, zone);
        }
        if (IPV4.matcher(a).matches()) {
            StringBuilder sb = new StringBuilder();
            for (String octet : a.split("\\.")) {
                int v = Integer.parseInt(octet);
                if (v > 255) {
                    return null;
                }
                sb.append(sb.length() == 0 ? "" : ".").append(v);
            }
            return sb.toString();
        }
        if (!IPV6.matcher(a).matches()) {
            return null;
        }
        try {
            // with a ':' the JDK parses an IPv6 literal and never looks a name up
            return InetAddress.getByName(a).getHostAddress();
        } catch (UnknownHostException e) {
            return null;
        }
    }

    /** The client of {@code request}, given the canonical addresses of the trusted proxies. */
    static String of(WebRequest request, Set<String> trustedProxies) {
        String remote = request.remoteAddress();
        String canonicalRemote = canonical(remote);
        if (trustedProxies.isEmpty() || canonicalRemote == null || !trustedProxies.contains(canonicalRemote)) {
            return canonicalRemote == null ? remote : canonicalRemote;
        }
        List<String> values = request.headers().getOrDefault("X-Forwarded-For", List.of());
        for (int v = values.size() - 1; v >= 0; v--) {
            String[] hops = values.get(v).split(",");
            for (int i = hops.length - 1; i >= 0; i--) {
                String hop = canonical(hops[i]);
                if (hop == null) {
                    return canonicalRemote; // garbage where a proxy should have written an address
                }
                if (!trustedProxies.contains(hop)) {
                    return hop;
                }
            }
        }
        return canonicalRemote;
    }
}
