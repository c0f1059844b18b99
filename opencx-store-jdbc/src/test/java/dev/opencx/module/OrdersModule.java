package dev.opencx.module;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.opencx.OpenCx;
import dev.opencx.OpenCxException;
import dev.opencx.event.ModuleEvent;
import dev.opencx.outbox.OutboxItem;
import dev.opencx.outbox.OutboxKind;
import dev.opencx.spi.ModuleContext;
import dev.opencx.spi.OpenCxModule;
import java.io.IOException;
import java.util.List;
import java.util.Map;

// The module of opencx-core/README.md "Writing a module", compiled here: keep the two in sync.

/** An order of the session was flagged for review. */
record OrderFlagged(String orderId, String reason) implements ModuleEvent {}

/** The order system re-checked a flagged order. */
record OrderRechecked(String orderId, String status) implements ModuleEvent {}

/** The host application's order system (a fake in the tests). */
interface OrderService {
    /** Re-checks an order; the key makes a repeated call with the same key take effect once. */
    String recheck(String orderId, String idempotencyKey);
}

/** A module written outside core: its own events and its own outbox work. */
final class OrdersModule implements OpenCxModule {
    static final OutboxKind RECHECK = OutboxKind.of("acme.recheck_order");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final OrderService orders;

    OrdersModule(OrderService orders) {
        this.orders = orders;
    }

    @Override
    public String name() {
        return "acme-orders";
    }

    @Override
    public void setUp(ModuleContext ctx) {
        ctx.registerEventType("acme.order_flagged", OrderFlagged.class);
        ctx.registerEventType("acme.order_rechecked", OrderRechecked.class);
        ctx.registerNotices("dev.opencx.module.acme_orders", OrdersModule.class.getClassLoader());
        ctx.registerOutboxHandler(RECHECK, (entry, session) -> {
            String orderId = read(entry.item().payload()).get("orderId");
            String status = orders.recheck(orderId, entry.item().idempotencyKey());
            session.append(entry.sessionId(), new OrderRechecked(orderId, status));
        });
    }

    /** Flags an order in a session and queues its re-check, in one atomic step. */
    static void flag(OpenCx cx, String sessionId, String orderId, String reason) {
        cx.sessionAccess()
                .append(
                        sessionId,
                        new OrderFlagged(orderId, reason),
                        List.of(new OutboxItem(
                                RECHECK, "acme-orders", "recheck-" + orderId, write(Map.of("orderId", orderId)))));
    }

    private static String write(Map<String, String> payload) {
        try {
            return JSON.writeValueAsString(payload);
        } catch (IOException e) {
            throw OpenCxException.permanent("cannot write a re-check payload", e);
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, String> read(String payload) {
        try {
            return JSON.readValue(payload, Map.class);
        } catch (IOException e) {
            throw OpenCxException.permanent("corrupt re-check payload", e);
        }
    }
}
