package dev.opencx.channel.web;

import dev.opencx.OpenCx;
import dev.opencx.channel.Channel;
import dev.opencx.channel.ChannelCapabilities;
import dev.opencx.channel.ChannelContext;
import dev.opencx.channel.DeliveryReceipt;
import dev.opencx.channel.OutboundMessage;
import dev.opencx.channel.web.internal.ChannelRuntime;
import dev.opencx.channel.web.internal.Checks;
import dev.opencx.channel.web.internal.RestApiEndpoints;
import dev.opencx.conversation.ChannelId;
import dev.opencx.conversation.Session;
import dev.opencx.webhook.Endpoint;
import dev.opencx.webhook.WebhookHandler;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The REST API channel ({@code api} by default): your servers open sessions for a contact, post
 * the contact's messages and read the replies, by polling or over server-sent events. Requests
 * carry an API key ({@code Authorization: Bearer <key>}, compared in constant time).
 *
 * <pre>{@code
 * RestApiChannel api = RestApiChannel.builder().apiKey(System.getenv("OPENCX_API_KEY")).build();
 * OpenCx cx = OpenCx.builder().channel(api).knowledge(knowledge).build();
 * WebServer server = WebServer.builder().port(8080).mount(api).build().start();
 * // curl -H "Authorization: Bearer $OPENCX_API_KEY" http://localhost:8080/api/v1/sessions/...
 * }</pre>
 *
 * <p>It uses the channel id {@code api}, like the core's programmatic {@code ApiChannel}: give one
 * of them another id ({@link Builder#id}) to use both. Register it with exactly one {@link OpenCx}.
 */
public final class RestApiChannel implements Channel, Endpoint {
    private final ChannelId id;
    private final Duration heartbeat;
    private final RestApiEndpoints endpoints;
    private volatile ChannelRuntime runtime;

    private RestApiChannel(Builder b) {
        this.id = b.id;
        this.heartbeat = b.heartbeat;
        this.endpoints = new RestApiEndpoints(id, () -> runtime, b.keys, b.maxBodyBytes);
    }

    public static Builder builder() {
        return new Builder();
    }

    @Override
    public ChannelId id() {
        return id;
    }

    /** Markdown text up to 16,000 characters. */
    @Override
    public ChannelCapabilities capabilities() {
        return new ChannelCapabilities(true, false, false, false, false, 16_000);
    }

    @Override
    public synchronized void start(ChannelContext cx) {
        Objects.requireNonNull(cx, "context");
        if (runtime != null) {
            throw new IllegalStateException("this RestApiChannel is already started by another OpenCx");
        }
        runtime = new ChannelRuntime(cx, id, heartbeat, 2000);
    }

    /** The message is in the session log (readable at once); open event streams are told. */
    @Override
    public DeliveryReceipt send(OutboundMessage message) {
        started().delivered(message);
        return new DeliveryReceipt(message.idempotencyKey());
    }

    /** Open event streams of the session are told at once that an agent joined or it ended. */
    @Override
    public void sessionChanged(Session session) {
        started().sessionChanged(session.id());
    }

    private ChannelRuntime started() {
        ChannelRuntime rt = runtime;
        if (rt == null) {
            throw new IllegalStateException(
                    "the API channel is not started: register it with OpenCx.builder().channel(api)");
        }
        return rt;
    }

    /**
     * The endpoints under {@code /v1} ({@code /v1/sessions…}); {@link WebServer.Builder#restApi}
     * mounts them at {@code /api}.
     */
    /** {@code /api}. */
    @Override
    public String mountPath() {
        return "/api";
    }

    @Override
    public WebhookHandler handler() {
        return endpoints;
    }

    @Override
    public void close() {
        ChannelRuntime rt = runtime;
        if (rt != null) {
            rt.close();
        }
    }

    /** Configures a {@link RestApiChannel}; at least one API key is required. */
    public static final class Builder {
        private ChannelId id = ChannelId.API;
        private final List<String> keys = new ArrayList<>();
        private Duration heartbeat = Duration.ofSeconds(15);
        private int maxBodyBytes = 64 * 1024;

        private Builder() {}

        /** The channel id (default {@code api}). */
        public Builder id(ChannelId id) {
            this.id = Objects.requireNonNull(id, "id");
            return this;
        }

        /** Adds an accepted API key (at least 16 characters); several keys allow rotation. */
        public Builder apiKey(String key) {
            Objects.requireNonNull(key, "apiKey");
            if (key.strip().length() < 16 || !key.equals(key.strip()) || key.contains(" ")) {
                throw new IllegalArgumentException(
                        "apiKey must be at least 16 characters without spaces, had " + key.length() + " characters");
            }
            keys.add(key);
            return this;
        }

        /** Comment sent on idle event streams (default 15 s, 100 ms to 5 min). */
        public Builder heartbeat(Duration every) {
            this.heartbeat = Checks.heartbeat(every);
            return this;
        }

        /** Largest request body accepted (default 64 KiB, 1 KiB to 16 MiB); larger ones get 413. */
        public Builder maxBodyBytes(int max) {
            this.maxBodyBytes = Checks.maxBodyBytes(max);
            return this;
        }

        /** @throws IllegalStateException when no API key was added */
        public RestApiChannel build() {
            if (keys.isEmpty()) {
                throw new IllegalStateException("RestApiChannel needs at least one API key: call apiKey(...)");
            }
            return new RestApiChannel(this);
        }
    }
}
