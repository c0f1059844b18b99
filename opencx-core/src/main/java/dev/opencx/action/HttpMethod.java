package dev.opencx.action;

import java.util.Locale;

/** The HTTP method of an {@link Action}. */
public enum HttpMethod {
    GET,
    HEAD,
    POST,
    PUT,
    PATCH,
    DELETE,
    OPTIONS,
    TRACE;

    /**
     * Whether repeating the call has the same effect as calling once, per RFC 9110: {@code GET},
     * {@code HEAD}, {@code PUT}, {@code DELETE}, {@code OPTIONS} and {@code TRACE}.
     */
    public boolean idempotentByDefault() {
        return this != POST && this != PATCH;
    }

    /**
     * The method of a name in any case ({@code "get"}, {@code "GET"}).
     *
     * @throws IllegalArgumentException naming the value when it is not an HTTP method
     */
    public static HttpMethod of(String name) {
        try {
            return valueOf(name.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new IllegalArgumentException("not an HTTP method: '" + name + "'");
        }
    }
}
