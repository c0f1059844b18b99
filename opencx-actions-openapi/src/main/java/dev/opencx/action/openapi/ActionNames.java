package dev.opencx.action.openapi;

import java.util.Locale;

/**
 * Action names: an {@code operationId} made safe for a tool name, or a name derived from the method
 * and the path.
 *
 * <p>The derived name is the lower-case method, then each path segment in snake case, a {@code
 * {param}} segment becoming {@code by_param}, joined by {@code _}: {@code GET /orders/{orderId}/items}
 * is {@code get_orders_by_order_id_items}, {@code GET /} is {@code get}. Anything but letters and
 * digits becomes {@code _}. Names longer than 64 characters keep 55 and end with {@code _} and 8 hex
 * digits of a hash of the whole name. Collisions are resolved by the importer with {@code _2},
 * {@code _3}… in document order.
 */
final class ActionNames {
    static final int MAX = 64;

    private ActionNames() {}

    static String derive(String method, String path) {
        StringBuilder name = new StringBuilder(method.toLowerCase(Locale.ROOT));
        for (String segment : path.split("/")) {
            if (segment.isEmpty()) {
                continue;
            }
            name.append('_');
            if (segment.startsWith("{") && segment.endsWith("}")) {
                name.append("by_").append(snake(segment.substring(1, segment.length() - 1)));
            } else {
                name.append(snake(segment));
            }
        }
        String cleaned = name.toString()
                .replaceAll("[^a-z0-9]+", "_")
                .replaceAll("_+", "_")
                .replaceAll("^_|_$", "");
        return bounded(cleaned);
    }

    /** An operationId with every character a tool name cannot hold replaced by {@code _}. */
    static String sanitize(String operationId) {
        String cleaned = operationId.strip().replaceAll("[^A-Za-z0-9_-]", "_");
        return bounded(cleaned);
    }

    static String bounded(String name) {
        if (name.length() <= MAX) {
            return name;
        }
        return name.substring(0, MAX - 9) + "_" + String.format("%08x", name.hashCode());
    }

    /** {@code orderId} → {@code order_id}, {@code Order-Items} → {@code order_items}. */
    private static String snake(String text) {
        return text.replaceAll("([a-z0-9])([A-Z])", "$1_$2").toLowerCase(Locale.ROOT);
    }

    /** A name with a numeric suffix that fits in {@link #MAX}. */
    static String suffixed(String base, int n) {
        String suffix = "_" + n;
        String head = base.length() + suffix.length() > MAX ? base.substring(0, MAX - suffix.length()) : base;
        return head + suffix;
    }
}
