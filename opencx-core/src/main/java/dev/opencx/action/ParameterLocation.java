package dev.opencx.action;

/** Where the value of an {@link ActionParameter} goes in the HTTP request. */
public enum ParameterLocation {
    /** Substituted into the path template ({@code /orders/{id}}), URL-encoded. */
    PATH,
    /** A query parameter. */
    QUERY,
    /** A request header. */
    HEADER,
    /** A cookie. */
    COOKIE,
    /**
     * A top-level property of the request body object (JSON, or form-urlencoded when the action's
     * {@link Action#requestContentType()} says so).
     */
    BODY_PROPERTY,
    /** The whole request body, when it is not an object (an array, a string, a {@code oneOf}). */
    BODY
}
