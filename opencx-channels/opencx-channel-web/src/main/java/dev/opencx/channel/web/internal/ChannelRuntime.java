package dev.opencx.channel.web.internal;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.opencx.OpenCxException;
import dev.opencx.SessionMessageLimitException;
import dev.opencx.channel.ChannelContext;
import dev.opencx.channel.MessageIdConflictException;
import dev.opencx.channel.OutboundMessage;
import dev.opencx.channel.PartialReply;
import dev.opencx.channel.ReceiveReceipt;
import dev.opencx.conversation.ChannelId;
import dev.opencx.conversation.Identity;
import dev.opencx.conversation.InboundMessage;
import dev.opencx.conversation.Session;
import dev.opencx.conversation.SessionState;
import dev.opencx.webhook.ServerSentEvent;
import dev.opencx.webhook.WebRequest;
import dev.opencx.webhook.WebResponse;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletionException;
import java.util.regex.Pattern;

/**
 * What a started HTTP channel shares between its endpoints: the channel context OpenCX gave it,
 * the timeline reader and the open event streams. Created by the channel's {@code start}.
 */
public final class ChannelRuntime implements AutoCloseable {
    private static final Pattern CLIENT_ID = Pattern.compile("[A-Za-z0-9_-]{1,64}");

    private final ChannelContext cx;
    private final ChannelId channel;
    private final Timeline timeline;
    private final StreamHub hub;

    public ChannelRuntime(ChannelContext cx, ChannelId channel, Duration heartbeat, long retryMillis) {
        this.cx = cx;
        this.channel = channel;
        this.timeline = new Timeline(cx, channel);
        this.hub = new StreamHub(
                channel.value(), timeline, id -> cx.session(id).map(Session::lastSeq), heartbeat, retryMillis, 8);
    }

    public ChannelContext cx() {
        return cx;
    }

    public StreamHub hub() {
        return hub;
    }

    /** An agent joined the session or it ended (Channel.sessionChanged): tell its streams. */
    public void sessionChanged(String sessionId) {
        hub.changed(sessionId);
    }

    /** The outbox delivered a message: remember its text and tell the session's streams. */
    public void delivered(OutboundMessage m) {
        timeline.remember(m);
        hub.changed(m.sessionId());
    }

    /** A session of this channel, or 404. */
    public Session session(String id) {
        if (!Requests.ID.matcher(id).matches()) {
            throw sessionNotFound(id);
        }
        return cx.session(id).filter(s -> s.channel().equals(channel)).orElseThrow(() -> sessionNotFound(id));
    }

    public static HttpError sessionNotFound(String id) {
        return new HttpError(404, "session_not_found", "there is no session '" + Requests.clip(id) + "' for you");
    }

    public ObjectNode sessionJson(Session s) {
        ObjectNode o = Json.object();
        o.put("id", s.id());
        o.put("ticket", s.ticket().toString());
        o.put("channel", s.channel().value());
        o.put("state", s.state().name());
        o.put("open", s.state().isOpen());
        o.put("locale", s.locale());
        o.put("openedAt", s.openedAt().toString());
        o.put("updatedAt", s.updatedAt().toString());
        o.put("lastEventId", Long.toString(s.lastSeq()));
        return o;
    }

    /** The session's visible items after the request's {@code after} (or {@code Last-Event-ID}). */
    public WebResponse messages(Session s, WebRequest r) {
        long after = Requests.after(r);
        int limit = Requests.intParam(r, "limit", 100, 1, 500);
        Timeline.Page page = timeline.read(s.id(), after, limit);
        ObjectNode o = Json.object();
        o.put("sessionId", s.id());
        ArrayNode items = o.putArray("items");
        page.items().forEach(i -> items.add(i.data()));
        o.put("lastEventId", Long.toString(page.lastSeq()));
        o.put("more", page.full());
        return Json.response(200, o);
    }

    /** A live {@code text/event-stream} of the session's items, resuming after {@code Last-Event-ID}. */
    public WebResponse events(Session s, WebRequest r) {
        long after = Requests.after(r);
        String id = s.id();
        return WebResponse.eventStream(stream -> hub.subscribe(id, after, stream));
    }

    /**
     * Stores a customer message of the session: 202 with the receipt, 409 when the session is no
     * longer open or the {@code clientMessageId} was used for a different message, 429 when it
     * already holds the most messages a session takes, 400 for a message the client refuses. Nothing
     * is stored on an error. A resend (the same {@code clientMessageId} and text) is 202 with {@code
     * "duplicate": true} and the original's {@code messageId} and {@code eventId}.
     */
    public WebResponse post(Session s, Identity from, ObjectNode body) {
        String text = Json.requiredString(body, "text");
        Optional<String> clientId =
                Json.matching(body, "clientMessageId", CLIENT_ID, "1 to 64 letters, digits, '-' or '_'");
        if (!s.state().isOpen()) {
            throw new HttpError(
                    409,
                    "session_closed",
                    "session " + s.ticket() + " is " + s.state() + "; open a new session to write again");
        }
        InboundMessage in;
        try {
            in = InboundMessage.builder(channel)
                    .from(from)
                    .threadId(s.threadId())
                    .text(text)
                    .externalId(clientId.map(c -> s.id() + ":" + c).orElse(""))
                    .build();
        } catch (IllegalArgumentException e) {
            throw HttpError.badRequest(e.getMessage());
        }
        ReceiveReceipt receipt;
        try {
            receipt = cx.receive(in).join();
        } catch (CompletionException e) {
            throw mapReceiveFailure(e.getCause() == null ? e : e.getCause(), clientId);
        } catch (IllegalArgumentException | IllegalStateException | OpenCxException e) {
            throw mapReceiveFailure(e, clientId);
        }
        String sessionId = receipt.sessionId().isEmpty() ? s.id() : receipt.sessionId();
        hub.changed(sessionId);
        if (!receipt.duplicate() && s.state() == SessionState.AI_ACTIVE) {
            ObjectNode typing = Json.object().put("active", true).put("after", Long.toString(receipt.seq()));
            hub.push(sessionId, ServerSentEvent.transientEvent("typing", Json.write(typing)));
        }
        ObjectNode o = Json.object();
        o.put("sessionId", sessionId);
        o.put("messageId", receipt.messageId());
        o.put("eventId", Long.toString(receipt.seq()));
        o.put("duplicate", receipt.duplicate());
        clientId.ifPresent(c -> o.put("clientMessageId", c));
        return Json.response(202, o);
    }

    private static HttpError mapReceiveFailure(Throwable t, Optional<String> clientId) {
        if (t instanceof SessionMessageLimitException full) {
            // a quota of messages, not a malformed request (400) nor one too large (413: a client
            // would shrink the text, which cannot help); no Retry-After: only a new session helps
            return new HttpError(429, "session_message_limit", full.getMessage());
        }
        if (t instanceof MessageIdConflictException) {
            return new HttpError(
                    409,
                    "message_id_conflict",
                    "clientMessageId '" + clientId.orElse("") + "' was already used for a different message in this"
                            + " session; resend the same text to get its receipt again, or send a new message with"
                            + " a new clientMessageId");
        }
        if (t instanceof IllegalArgumentException) {
            return HttpError.badRequest(t.getMessage());
        }
        if (t instanceof OpenCxException ox && ox.isRetriable()) {
            return new HttpError(
                            503,
                            "unavailable",
                            "the message could not be stored now; retry it with the same clientMessageId")
                    .header("Retry-After", "1");
        }
        if (t instanceof IllegalStateException) {
            return new HttpError(503, "unavailable", "the service is shutting down; retry later")
                    .header("Retry-After", "5");
        }
        if (t instanceof RuntimeException re) {
            throw re;
        }
        throw new IllegalStateException(t);
    }

    /** Shows a draft of the AI reply while it is written (or removes it). */
    public void partialReply(PartialReply p) {
        if (p.kind() == PartialReply.Kind.DELTA) {
            ObjectNode o = Json.object().put("index", p.index()).put("text", p.text());
            hub.push(p.sessionId(), ServerSentEvent.transientEvent("draft", Json.write(o)));
        } else {
            hub.push(p.sessionId(), ServerSentEvent.transientEvent("draft_discard", "{}"));
        }
    }

    @Override
    public void close() {
        hub.close();
    }
}
