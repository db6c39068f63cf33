package io.chatplatform.auth.limit;

import io.vertx.core.http.HttpServerRequest;
import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * The client address the abuse limits count by. Quarkus resolves it ({@code quarkus.http.proxy.*}): the first
 * {@code X-Forwarded-For} address when the request comes from a trusted proxy ({@code AUTH_TRUSTED_PROXIES}), else the
 * TCP peer. An IPv6 address is cut to its /64 network: one subscriber usually gets a whole /64, so counting single IPv6
 * addresses would give an attacker 2^64 fresh ones.
 */
public final class ClientAddress {

    public static final String UNKNOWN = "unknown";

    private ClientAddress() {
    }

    /** The address as the device-session list shows it. */
    public static String of(HttpServerRequest request) {
        return request.remoteAddress() == null || request.remoteAddress().hostAddress() == null ? UNKNOWN
                : request.remoteAddress().hostAddress();
    }

    /** The key the limits count {@code address} under: IPv4 as is, IPv6 as its /64 ({@code 2001:db8:1:2::/64}). */
    public static String limitKey(String address) {
        if (address == null || address.indexOf(':') < 0) {
            return address == null ? UNKNOWN : address;
        }
        try {
            byte[] bytes = InetAddress.getByName(address.startsWith("[") ? address.substring(1, address.length() - 1) : address)
                    .getAddress();
            if (bytes.length != 16) {
                return InetAddress.getByAddress(bytes).getHostAddress();
            }
            StringBuilder network = new StringBuilder();
            for (int i = 0; i < 8; i += 2) {
                network.append(Integer.toHexString(((bytes[i] & 0xff) << 8) | (bytes[i + 1] & 0xff))).append(':');
            }
            return network.append(":/64").toString();
        } catch (UnknownHostException | IllegalArgumentException e) {
            return address;
        }
    }
}
