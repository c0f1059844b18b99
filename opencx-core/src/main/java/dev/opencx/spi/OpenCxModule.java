package dev.opencx.spi;

/**
 * One object a jar provides to plug into OpenCX without editing core, in the spirit of a Jackson
 * {@code Module}: {@code OpenCx.builder().module(m)} calls {@link #setUp} once, during {@code
 * build()}, and the module registers what it adds through the {@link ModuleContext}: its own session
 * event types and its own kinds of outbox work with their handlers.
 *
 * <pre>{@code
 * public final class OrdersModule implements OpenCxModule {
 *     static final OutboxKind RECHECK = OutboxKind.of("acme.recheck_order");
 *
 *     public String name() { return "acme-orders"; }
 *
 *     public void setUp(ModuleContext ctx) {
 *         ctx.registerEventType("acme.order_flagged", OrderFlagged.class);
 *         ctx.registerOutboxHandler(RECHECK, (entry, session) -> orders.recheck(entry.item().payload()));
 *     }
 * }
 * }</pre>
 *
 * <p>Contract: {@link #name()} is stable, not blank and unique among the modules of one {@code
 * OpenCx} (a second module with the same name fails the build, naming it). {@link #setUp} only
 * registers; it must not start threads or call the client, which does not exist yet. What it throws
 * fails {@code build()}.
 */
public interface OpenCxModule {

    /** The module's name, for errors and logs ({@code acme-orders}); unique within one {@code OpenCx}. */
    String name();

    /**
     * Registers what the module adds. Called once per {@code OpenCx} being built.
     *
     * @param context where to register, never null; valid only during this call
     */
    void setUp(ModuleContext context);
}
