package dev.opencx.spring.boot;

import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.Condition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.core.type.AnnotatedTypeMetadata;

/** Conditions on list properties, whichever way they are written ({@code a,b} or {@code [0]=a}). */
abstract class OnOpenCxList implements Condition {
    private final String name;
    private final Class<?> element;

    OnOpenCxList(String name, Class<?> element) {
        this.name = name;
        this.element = element;
    }

    @Override
    public boolean matches(ConditionContext context, AnnotatedTypeMetadata metadata) {
        return Binder.get(context.getEnvironment())
                .bind(name, Bindable.listOf(element))
                .map(list -> !list.isEmpty())
                .orElse(false);
    }

    /** At least one {@code opencx.api.keys}. */
    static final class ApiKeys extends OnOpenCxList {
        ApiKeys() {
            super("opencx.api.keys", String.class);
        }
    }

    /** The inbox on and at least one {@code opencx.inbox.agents}. */
    static final class InboxAgents extends OnOpenCxList {
        InboxAgents() {
            super("opencx.inbox.agents", OpenCxProperties.Agent.class);
        }

        @Override
        public boolean matches(ConditionContext context, AnnotatedTypeMetadata metadata) {
            boolean on = context.getEnvironment().getProperty("opencx.inbox.enabled", Boolean.class, true);
            return on && super.matches(context, metadata);
        }
    }
}
