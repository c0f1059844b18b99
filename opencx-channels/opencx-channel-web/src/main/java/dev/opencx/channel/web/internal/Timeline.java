package dev.opencx.channel.web.internal;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.opencx.channel.ChannelContext;
import dev.opencx.channel.OutboundMessage;
import dev.opencx.conversation.ChannelId;
import dev.opencx.conversation.Message;
import dev.opencx.event.AgentJoined;
import dev.opencx.event.AgentReplied;
import dev.opencx.event.HandoffRequested;
import dev.opencx.event.MessageReceived;
import dev.opencx.event.ReplySent;
import dev.opencx.event.SessionClosed;
import dev.opencx.event.SessionEvent;
import dev.opencx.event.SessionResolved;
import dev.opencx.knowledge.Citation;
import dev.opencx.outbox.OutboxEntry;
import dev.opencx.outbox.OutboxKind;
import dev.opencx.pii.PiiDestination;
import dev.opencx.webhook.ServerSentEvent;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What the customer sees of a session, read from its event log: their messages, the AI's and the
 * agents' replies (with sources), the handoff notice, an agent joining, the end of the session.
 * Every item is identified by the sequence number of its event, so a client that reconnects with
 * the last id it saw gets exactly the items after it, also after a restart of the server.
 */
public final class Timeline {
    private static final int REMEMBERED = 10_000;

    private final ChannelContext cx;
    private final ChannelId channel;
    private final Map<String, OutboundMessage> sent = new LinkedHashMap<>(256, 0.75f, false) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<String, OutboundMessage> eldest) {
            return size() > REMEMBERED;
        }
    };

    /**
     * The text of every handoff notice, by idempotency key, when the store drops a delivered entry's
     * payload (the in-memory store does: a reply's text is in the log, a notice's is nowhere else, and
     * {@link #sent} forgets it after {@value #REMEMBERED} later messages); null for stores that keep
     * it. A few hundred bytes per handoff, in a store that keeps every session in memory anyway.
     */
    private final Map<String, String> noticeTexts;

    public Timeline(ChannelContext cx, ChannelId channel) {
        this.cx = cx;
        this.channel = channel;
        this.noticeTexts = cx.dropsDeliveredPayloads() ? new ConcurrentHashMap<>() : null;
    }

    /**
     * Remembers a message the outbox handed to the channel: stores may drop a delivered entry's
     * payload, and the handoff notice's text lives nowhere else.
     */
    public void remember(OutboundMessage m) {
        synchronized (sent) {
            sent.put(m.idempotencyKey(), m);
        }
        if (noticeTexts != null && m.kind() == OutboundMessage.Kind.HANDOFF_NOTICE) {
            noticeTexts.put(m.idempotencyKey(), m.text());
        }
    }

    /** One visible item; {@code seq} is its id. */
    public record Item(long seq, String type, ObjectNode data) {
        public ServerSentEvent toEvent() {
            return ServerSentEvent.of(Long.toString(seq), type, Json.write(data));
        }
    }

    /**
     * Items after {@code afterSeq}, reading at most {@code limit} events.
     *
     * @param lastSeq the last event read (visible or not): where the next read starts
     */
    public record Page(List<Item> items, long lastSeq, boolean full) {}

    public Page read(String sessionId, long afterSeq, int limit) {
        List<SessionEvent> events = cx.timeline(sessionId, afterSeq, limit);
        List<Item> items = new ArrayList<>();
        Outbound outbound = null;
        long last = afterSeq;
        for (SessionEvent e : events) {
            last = e.seq();
            Item item;
            if (e.payload() instanceof MessageReceived mr) {
                item = message(
                        e,
                        "customer",
                        mr.message(),
                        cx.reveal(sessionId, mr.message().text(), PiiDestination.CUSTOMER));
                String ext = mr.message().externalId();
                String prefix = sessionId + ":";
                if (ext.startsWith(prefix)) {
                    item.data().put("clientMessageId", ext.substring(prefix.length()));
                }
            } else if (e.payload() instanceof ReplySent rs) {
                outbound = outbound == null ? outbound(sessionId) : outbound;
                item = message(e, "ai", rs.message(), outbound.text(sessionId, rs.message()));
                ArrayNode sources = item.data().putArray("sources");
                for (Citation c : rs.citations()) {
                    if (isWebLink(c.url())) {
                        sources.addObject()
                                .put("title", c.title().isBlank() ? c.url() : c.title())
                                .put("url", c.url());
                    }
                }
            } else if (e.payload() instanceof AgentReplied ar) {
                outbound = outbound == null ? outbound(sessionId) : outbound;
                item = message(e, "agent", ar.message(), outbound.text(sessionId, ar.message()));
            } else if (e.payload() instanceof HandoffRequested) {
                outbound = outbound == null ? outbound(sessionId) : outbound;
                item = item(e, "handoff");
                item.data().put("text", outbound.notice(sessionId, e.seq()));
            } else if (e.payload() instanceof AgentJoined) {
                item = item(e, "agent_joined");
            } else if (e.payload() instanceof SessionResolved) {
                item = item(e, "resolved");
            } else if (e.payload() instanceof SessionClosed) {
                item = item(e, "closed");
            } else {
                continue;
            }
            items.add(item);
        }
        return new Page(List.copyOf(items), last, events.size() >= limit);
    }

    private static Item item(SessionEvent e, String type) {
        ObjectNode o = Json.object();
        o.put("id", Long.toString(e.seq()));
        o.put("type", type);
        o.put("at", e.at().toString());
        return new Item(e.seq(), type, o);
    }

    private static Item message(SessionEvent e, String author, Message m, String text) {
        Item item = item(e, "message");
        item.data().put("messageId", m.id());
        item.data().put("author", author);
        item.data().put("text", text);
        item.data().put("at", m.at().toString());
        return item;
    }

    /** http and https only: the widget never renders another scheme as a link. */
    public static boolean isWebLink(String url) {
        String u = url.strip().toLowerCase(Locale.ROOT);
        return u.startsWith("https://") || u.startsWith("http://");
    }

    private Outbound outbound(String sessionId) {
        Map<String, String> byMessage = new HashMap<>();
        List<String> notices = new ArrayList<>();
        for (OutboxEntry o : cx.outbox(sessionId)) {
            if (!o.item().kind().equals(OutboxKind.CHANNEL_SEND)
                    || !o.item().target().equals(channel.value())) {
                continue;
            }
            OutboundMessage m;
            synchronized (sent) {
                m = sent.get(o.item().idempotencyKey());
            }
            if (m == null && !o.item().payload().isEmpty()) {
                try {
                    m = Json.MAPPER.readValue(o.item().payload(), OutboundMessage.class);
                } catch (IOException | RuntimeException ex) {
                    m = null; // an entry this version cannot read: fall back to the log's text
                }
            }
            if (m == null) {
                String notice =
                        noticeTexts == null ? null : noticeTexts.get(o.item().idempotencyKey());
                if (notice != null) {
                    notices.add(notice);
                }
                continue;
            }
            if (m.kind() == OutboundMessage.Kind.HANDOFF_NOTICE) {
                notices.add(m.text());
            } else {
                byMessage.put(m.messageId(), m.text());
            }
        }
        return new Outbound(byMessage, notices);
    }

    /** The texts the outbox sends for a session: exactly what the channel is given to deliver. */
    private final class Outbound {
        private final Map<String, String> byMessage;
        private final List<String> notices;

        Outbound(Map<String, String> byMessage, List<String> notices) {
            this.byMessage = byMessage;
            this.notices = notices;
        }

        String text(String sessionId, Message m) {
            return cx.reveal(sessionId, byMessage.getOrDefault(m.id(), m.text()), PiiDestination.CUSTOMER);
        }

        /** The notice queued with the n-th handoff of the session (handoffs and notices are stored together). */
        String notice(String sessionId, long handoffSeq) {
            int n = 0;
            for (SessionEvent e : cx.timeline(sessionId, 0, (int) Math.min(Integer.MAX_VALUE, handoffSeq))) {
                if (e.payload() instanceof HandoffRequested) {
                    n++;
                }
            }
            return n >= 1 && n <= notices.size()
                    ? cx.reveal(sessionId, notices.get(n - 1), PiiDestination.CUSTOMER)
                    : "";
        }
    }
}
