package dev.opencx.internal;

import dev.opencx.event.EventTypes;
import dev.opencx.event.ModuleEvent;
import dev.opencx.outbox.OutboxHandler;
import dev.opencx.outbox.OutboxKind;
import dev.opencx.spi.ModuleContext;
import dev.opencx.spi.OpenCxModule;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/** What the modules of one OpenCx registered: their event types and outbox handlers. */
public final class Modules {
    private final List<String> names;
    private final EventTypes eventTypes;
    private final Map<OutboxKind, OutboxHandler> handlers;
    private final List<NoticeBundle> noticeBundles;

    /** A module's resource bundle of customer-facing texts. */
    public record NoticeBundle(String baseName, ClassLoader loader) {}

    private Modules(
            List<String> names,
            EventTypes eventTypes,
            Map<OutboxKind, OutboxHandler> handlers,
            List<NoticeBundle> noticeBundles) {
        this.names = List.copyOf(names);
        this.eventTypes = eventTypes;
        this.handlers = Map.copyOf(handlers);
        this.noticeBundles = List.copyOf(noticeBundles);
    }

    /** No modules. */
    public static Modules none() {
        return new Modules(List.of(), EventTypes.core(), Map.of(), List.of());
    }

    /**
     * Sets the modules up, in order.
     *
     * @throws IllegalArgumentException naming the module when a registration is refused
     */
    public static Modules setUp(List<OpenCxModule> modules) {
        List<String> names = new ArrayList<>();
        EventTypes[] types = {EventTypes.core()};
        Map<OutboxKind, OutboxHandler> handlers = new LinkedHashMap<>();
        Map<OutboxKind, String> handlerOwners = new LinkedHashMap<>();
        List<NoticeBundle> bundles = new ArrayList<>();
        for (OpenCxModule m : modules) {
            String name = m.name();
            names.add(name);
            Context ctx = new Context(name, types, handlers, handlerOwners, bundles);
            try {
                m.setUp(ctx);
            } finally {
                ctx.open = false;
            }
        }
        return new Modules(names, types[0], handlers, bundles);
    }

    public List<String> names() {
        return names;
    }

    public EventTypes eventTypes() {
        return eventTypes;
    }

    /** The modules' notice bundles, in registration order. */
    public List<NoticeBundle> noticeBundles() {
        return noticeBundles;
    }

    /** The handler of a module kind, or null. */
    public OutboxHandler handler(OutboxKind kind) {
        return handlers.get(kind);
    }

    private static final class Context implements ModuleContext {
        private final String module;
        private final EventTypes[] types;
        private final Map<OutboxKind, OutboxHandler> handlers;
        private final Map<OutboxKind, String> owners;
        private final List<NoticeBundle> bundles;
        private volatile boolean open = true;

        Context(
                String module,
                EventTypes[] types,
                Map<OutboxKind, OutboxHandler> handlers,
                Map<OutboxKind, String> owners,
                List<NoticeBundle> bundles) {
            this.module = module;
            this.types = types;
            this.handlers = handlers;
            this.owners = owners;
            this.bundles = bundles;
        }

        @Override
        public String moduleName() {
            return module;
        }

        @Override
        public <T extends ModuleEvent> void registerEventType(String typeName, Class<T> type) {
            requireOpen("registerEventType");
            try {
                types[0] = types[0].with(typeName, type);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("module '" + module + "': " + e.getMessage(), e);
            }
        }

        @Override
        public void registerOutboxHandler(OutboxKind kind, OutboxHandler handler) {
            requireOpen("registerOutboxHandler");
            Objects.requireNonNull(kind, "kind");
            Objects.requireNonNull(handler, "handler");
            if (kind.isCore()) {
                throw new IllegalArgumentException("module '" + module + "': outbox kind " + kind
                        + " is core's; register a kind of your own, e.g. OutboxKind.of(\"acme.recheck_order\")");
            }
            String owner = owners.get(kind);
            if (owner != null) {
                throw new IllegalArgumentException("module '" + module + "': outbox kind '" + kind
                        + "' already has a handler, registered by module '" + owner + "'");
            }
            owners.put(kind, module);
            handlers.put(kind, handler);
        }

        @Override
        public void registerNotices(String baseName, ClassLoader loader) {
            requireOpen("registerNotices");
            Objects.requireNonNull(baseName, "baseName");
            Objects.requireNonNull(loader, "loader");
            if (baseName.isBlank()) {
                throw new IllegalArgumentException("module '" + module + "': notice bundle base name is blank");
            }
            bundles.add(new NoticeBundle(baseName, loader));
        }

        private void requireOpen(String what) {
            if (!open) {
                throw new IllegalStateException("module '" + module + "' called " + what
                        + " after setUp returned; register everything during setUp");
            }
        }
    }
}
