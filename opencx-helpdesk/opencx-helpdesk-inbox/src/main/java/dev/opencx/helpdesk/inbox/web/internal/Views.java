package dev.opencx.helpdesk.inbox.web.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.opencx.OpenCx;
import dev.opencx.conversation.Author;
import dev.opencx.conversation.Message;
import dev.opencx.conversation.Session;
import dev.opencx.conversation.SessionState;
import dev.opencx.event.ActionAnswered;
import dev.opencx.event.ActionCalled;
import dev.opencx.event.AgentJoined;
import dev.opencx.event.AgentReplied;
import dev.opencx.event.AutopilotDecided;
import dev.opencx.event.DeliveryFailed;
import dev.opencx.event.DeliveryUpdated;
import dev.opencx.event.EventPayload;
import dev.opencx.event.HandoffRequested;
import dev.opencx.event.KnowledgeRetrieved;
import dev.opencx.event.MessageForwarded;
import dev.opencx.event.MessageReceived;
import dev.opencx.event.ModelCalled;
import dev.opencx.event.ModuleEvent;
import dev.opencx.event.NoteAdded;
import dev.opencx.event.PiiRedacted;
import dev.opencx.event.ReplySent;
import dev.opencx.event.ScenarioMatched;
import dev.opencx.event.SessionClosed;
import dev.opencx.event.SessionEvent;
import dev.opencx.event.SessionResolved;
import dev.opencx.event.ToolCalled;
import dev.opencx.event.TopicClassified;
import dev.opencx.event.UnknownEvent;
import dev.opencx.helpdesk.inbox.InboxHelpdesk;
import dev.opencx.helpdesk.inbox.InboxTicket;
import dev.opencx.knowledge.Citation;
import dev.opencx.pii.PiiDestination;
import dev.opencx.store.EventCodec;
import dev.opencx.store.SessionQuery;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The JSON the inbox page reads: the lists (queue, claimed tickets, live AI sessions) and one
 * conversation with, for every AI reply or handoff, what the AI saw (the trace), all built from the
 * session log, a page at a time. Message and note texts are revealed for {@link PiiDestination#AGENT_VIEW} where the channel's
 * policy allows; placeholders that stay are left as placeholders for the page to mark. Every text is
 * data: the page renders it as text, never as HTML.
 */
public final class Views {
    public static final ObjectMapper JSON = EventCodec.newMapper();
    private static final Logger LOG = LoggerFactory.getLogger(Views.class);
    /** A PII placeholder as the redactor writes it: {@code [EMAIL_1]}. */
    private static final Pattern PLACEHOLDER = Pattern.compile("\\[[A-Z][A-Z0-9_]*_\\d+]");
    /** Live AI sessions listed, most recently active first. */
    static final int LIVE_LIMIT = 50;
    /** Events read at a time when a conversation page is built backwards. */
    static final int WINDOW_CHUNK = 256;
    /** Reading stops after this many events per item of the page (a turn with a long trace is cut short). */
    static final int MAX_EVENTS_PER_ITEM = 64;

    private final OpenCx cx;
    private final InboxHelpdesk inbox;

    public Views(OpenCx cx, InboxHelpdesk inbox) {
        this.cx = cx;
        this.inbox = inbox;
    }

    /** The queue, the claimed tickets and the live AI sessions. */
    public ObjectNode lists(Instant now) {
        ObjectNode out = JSON.createObjectNode();
        out.put("now", now.toString());
        ArrayNode queue = out.putArray("queue");
        for (InboxTicket t : inbox.queue()) {
            queue.add(ticket(t, now));
        }
        ArrayNode claimed = out.putArray("claimed");
        inbox.tickets().stream()
                .filter(t -> t.status() == InboxTicket.Status.CLAIMED)
                .sorted(Comparator.comparing(InboxTicket::openedAt))
                .forEach(t -> claimed.add(ticket(t, now)));
        ArrayNode live = out.putArray("live");
        List<Session> ai = new ArrayList<>(cx.store().sessions(SessionQuery.inStates(SessionState.AI_ACTIVE)));
        ai.sort(Comparator.comparing(Session::updatedAt).reversed());
        for (Session s : ai.subList(0, Math.min(LIVE_LIMIT, ai.size()))) {
            ObjectNode n = live.addObject();
            n.put("sessionId", s.id());
            n.put("ticket", s.ticket().toString());
            n.put("channel", s.channel().value());
            n.put("topic", s.topic());
            n.put("contactName", contactName(s.id()));
            n.put("updatedAt", s.updatedAt().toString());
            n.put("preview", preview(s));
        }
        return out;
    }

    private ObjectNode ticket(InboxTicket t, Instant now) {
        ObjectNode n = JSON.createObjectNode();
        n.put("ticket", t.ticket().toString());
        n.put("number", t.ticket().value());
        n.put("sessionId", t.sessionId());
        n.put("contactName", contactName(t.sessionId()));
        n.put("channel", t.channel() == null ? "" : t.channel().value());
        n.put("topic", t.topic());
        n.put("reason", t.reason() == null ? "" : t.reason().name());
        n.put("detail", t.detail());
        n.put("status", t.status().name());
        n.put("assignee", t.assignee());
        n.put("openedAt", t.openedAt().toString());
        n.put("waitingSeconds", Math.max(0, t.waiting(now).toSeconds()));
        String last = "";
        for (Message m : t.transcript()) {
            if (m.author() == Author.CUSTOMER) {
                last = m.text();
            }
        }
        n.put("preview", clip(reveal(t.sessionId(), last), 160));
        return n;
    }

    /** The newest customer message of a session, revealed and clipped, from its last events. */
    private String preview(Session s) {
        List<SessionEvent> tail = cx.store().events(s.id(), Math.max(0, s.lastSeq() - 16), 16);
        for (int i = tail.size() - 1; i >= 0; i--) {
            if (tail.get(i).payload() instanceof MessageReceived mr) {
                return clip(reveal(s.id(), mr.message().text()), 160);
            }
        }
        return "";
    }

    /**
     * One page of a conversation with its traces: the newest {@code limit} items older than the
     * cursor {@code before} ({@link Long#MAX_VALUE} for the latest), oldest first, and the cursor of
     * the page before it ({@code page.older}, null when there is none). Empty when the session does
     * not exist.
     */
    public Optional<ObjectNode> conversation(String sessionId, Instant now, long before, int limit) {
        Optional<Session> found = cx.session(sessionId);
        if (found.isEmpty()) {
            return Optional.empty();
        }
        Session s = found.get();
        ObjectNode out = JSON.createObjectNode();
        ObjectNode session = out.putObject("session");
        session.put("id", s.id());
        session.put("ticket", s.ticket().toString());
        session.put("number", s.ticket().value());
        session.put("state", s.state().name());
        session.put("channel", s.channel().value());
        session.put("topic", s.topic());
        session.put("assignee", s.assignee());
        session.put("contactName", contactName(s.id()));
        session.put("openedAt", s.openedAt().toString());
        session.put("updatedAt", s.updatedAt().toString());
        session.put("lastSeq", s.lastSeq());
        Optional<InboxTicket> ticket =
                inbox.ticket(s.ticket()).filter(t -> t.sessionId().equals(s.id()));
        if (ticket.isPresent()) {
            out.set("inbox", ticket(ticket.get(), now));
        } else {
            out.putNull("inbox");
        }
        List<SessionEvent> window = window(s, before, limit);
        ArrayNode all = items(s, window);
        ArrayNode page = JSON.createArrayNode();
        for (int i = Math.max(0, all.size() - limit); i < all.size(); i++) {
            page.add(all.get(i));
        }
        out.set("items", page);
        ObjectNode p = out.putObject("page");
        p.put("size", limit);
        if (all.size() > limit) {
            p.put("older", page.get(0).path("id").asText());
        } else {
            p.putNull("older");
        }
        return Optional.of(out);
    }

    /**
     * The events a page is built from, oldest first: read backwards from {@code before} in chunks
     * until they hold one item more than the page (so we know whether older ones exist) and start
     * with the customer message that began the turn of the page's first item (so its trace is
     * whole). Reads a bounded number of events however long the session is.
     */
    private List<SessionEvent> window(Session s, long before, int limit) {
        long end = Math.min(before, s.lastSeq() + 1); // events with seq < end
        List<SessionEvent> window = new ArrayList<>();
        long start = end;
        int items = 0;
        long budget = (long) (limit + 1) * MAX_EVENTS_PER_ITEM + WINDOW_CHUNK;
        while (start > 1 && budget > 0) {
            long from = Math.max(1, start - WINDOW_CHUNK);
            List<SessionEvent> chunk = new ArrayList<>();
            for (SessionEvent e : cx.store().events(s.id(), from - 1, (int) (start - from))) {
                if (e.seq() < start) {
                    chunk.add(e);
                }
            }
            window.addAll(0, chunk);
            budget -= chunk.size();
            start = from;
            items = 0;
            for (SessionEvent e : window) {
                if (isItem(e.payload())) {
                    items++;
                }
            }
            if (items > limit && tracesAreWhole(window, items - limit)) {
                break;
            }
        }
        return window;
    }

    /**
     * Whether every item of the page (the items after the first {@code older} of the window) has
     * its whole trace in the window: an AI reply or a handoff needs the customer message that began
     * its turn.
     */
    private static boolean tracesAreWhole(List<SessionEvent> window, int older) {
        int seen = 0;
        for (SessionEvent e : window) {
            EventPayload p = e.payload();
            if (p instanceof MessageReceived) {
                return true;
            }
            if (isItem(p) && ++seen > older && (p instanceof ReplySent || p instanceof HandoffRequested)) {
                return false;
            }
        }
        return true;
    }

    /** Events shown as an item of the conversation (the others feed the traces). */
    private static boolean isItem(EventPayload p) {
        return p instanceof MessageReceived
                || p instanceof ReplySent
                || p instanceof HandoffRequested
                || p instanceof AgentReplied
                || p instanceof AgentJoined
                || p instanceof MessageForwarded
                || p instanceof SessionResolved
                || p instanceof SessionClosed
                || p instanceof NoteAdded
                || p instanceof DeliveryFailed
                || (p instanceof DeliveryUpdated du && du.state() == DeliveryUpdated.State.FAILED)
                || p instanceof ModuleEvent
                || p instanceof UnknownEvent;
    }

    private ArrayNode items(Session s, List<SessionEvent> events) {
        ArrayNode items = JSON.createArrayNode();
        Trace trace = new Trace();
        for (SessionEvent e : events) {
            EventPayload p = e.payload();
            if (p instanceof MessageReceived mr) {
                trace = new Trace();
                items.add(message("customer", e, mr.message(), s));
            } else if (p instanceof ReplySent rs) {
                ObjectNode item = message("ai", e, rs.message(), s);
                item.set("trace", trace.withReply(rs).toJson(s));
                items.add(item);
            } else if (p instanceof HandoffRequested hr) {
                ObjectNode item = item("handoff", e);
                item.put("reason", hr.reason() == null ? "" : hr.reason().name());
                item.put("detail", reveal(s.id(), hr.detail()));
                item.put("summary", reveal(s.id(), hr.summary()));
                item.set("trace", trace.withHandoff(hr).toJson(s));
                items.add(item);
            } else if (p instanceof AgentReplied ar) {
                items.add(message("agent", e, ar.message(), s));
            } else if (p instanceof AgentJoined aj) {
                items.add(item("joined", e).put("agent", aj.agentId()));
            } else if (p instanceof MessageForwarded) {
                items.add(item("forwarded", e));
            } else if (p instanceof SessionResolved sr) {
                items.add(item("resolved", e).put("by", sr.by()));
            } else if (p instanceof SessionClosed sc) {
                items.add(item("closed", e).put("reason", sc.reason()));
            } else if (p instanceof NoteAdded n) {
                // stored redacted like the messages: revealed for agents where the policy allows
                items.add(item("note", e).put("author", n.agentId()).put("text", reveal(s.id(), n.text())));
            } else if (p instanceof DeliveryFailed df) {
                // the outbox gave up: the customer never got this message
                items.add(item("undelivered", e).put("error", df.error()).put("attempts", df.attempts()));
            } else if (p instanceof DeliveryUpdated du && du.state() == DeliveryUpdated.State.FAILED) {
                // the provider accepted the message, then reported it could not deliver it
                items.add(item("undelivered", e).put("error", du.error()).put("status", du.providerStatus()));
            } else if (p instanceof ModuleEvent || p instanceof UnknownEvent) {
                items.add(moduleEvent(e));
            } else {
                trace.add(p);
            }
        }
        return items;
    }

    /**
     * A module's event, shown generically: its type name and its stored fields. An event of a type no
     * module here registered (an {@link UnknownEvent}) is shown the same way, marked unknown.
     */
    private ObjectNode moduleEvent(SessionEvent e) {
        ObjectNode n = item("event", e);
        ObjectNode fields;
        if (e.payload() instanceof UnknownEvent u) {
            n.put("type", u.type());
            n.put("known", false);
            fields = safeFields(u);
        } else {
            EventCodec codec = EventCodec.of(cx.eventTypes());
            n.put("type", codec.typeName(e.payload()));
            n.put("known", true);
            try {
                fields = (ObjectNode) JSON.readTree(codec.encode(e.payload()));
                fields.remove("type");
            } catch (IOException | RuntimeException ex) {
                fields = JSON.createObjectNode();
            }
        }
        n.set("fields", fields);
        return n;
    }

    private static ObjectNode safeFields(UnknownEvent u) {
        try {
            return u.fields();
        } catch (IllegalStateException ex) {
            return JSON.createObjectNode().put("json", u.json());
        }
    }

    private ObjectNode message(String kind, SessionEvent e, Message m, Session s) {
        ObjectNode n = item(kind, e);
        n.put("author", m.authorId());
        n.put("text", reveal(s.id(), m.text()));
        return n;
    }

    private static ObjectNode item(String kind, SessionEvent e) {
        ObjectNode n = JSON.createObjectNode();
        n.put("kind", kind);
        n.put("id", String.valueOf(e.seq()));
        n.put("at", e.at().toString());
        return n;
    }

    /** What the AI saw during one turn, collected from the events after the customer's message. */
    private final class Trace {
        private final List<EventPayload> events = new ArrayList<>();
        private ReplySent reply;
        private HandoffRequested handoff;

        void add(EventPayload p) {
            events.add(p);
        }

        Trace withReply(ReplySent r) {
            this.reply = r;
            return this;
        }

        Trace withHandoff(HandoffRequested h) {
            this.handoff = h;
            return this;
        }

        ObjectNode toJson(Session s) {
            ObjectNode t = JSON.createObjectNode();
            ArrayNode passages = t.putArray("passages");
            ArrayNode scenarios = t.putArray("scenarios");
            ArrayNode actions = t.putArray("actions");
            ArrayNode answers = t.putArray("answers");
            ArrayNode tools = t.putArray("tools");
            ArrayNode models = t.putArray("models");
            for (EventPayload p : events) {
                if (p instanceof TopicClassified tc) {
                    ObjectNode topic = t.putObject("topic");
                    topic.put("topic", tc.topic());
                    topic.put("threshold", tc.threshold());
                    topic.put("method", tc.method());
                    ArrayNode scores = topic.putArray("scores");
                    tc.scores()
                            .forEach(sc ->
                                    scores.addObject().put("topic", sc.topic()).put("score", sc.score()));
                } else if (p instanceof AutopilotDecided ad) {
                    ObjectNode a = t.putObject("autopilot");
                    a.put("outcome", ad.outcome() == null ? "" : ad.outcome().name());
                    a.put("reason", ad.reason() == null ? "" : ad.reason().name());
                    a.put("explanation", ad.explanation());
                    a.set("evidence", evidence(ad.evidence()));
                } else if (p instanceof KnowledgeRetrieved kr) {
                    t.put("query", reveal(s.id(), kr.query()));
                    for (KnowledgeRetrieved.Hit h : kr.passages()) {
                        ObjectNode hit = passages.addObject();
                        hit.put("passageId", h.passageId());
                        hit.put("documentId", h.documentId());
                        hit.put("title", h.title());
                        hit.put("score", h.score());
                        ObjectNode signals = hit.putObject("signals");
                        h.signals().forEach(signals::put);
                    }
                } else if (p instanceof ScenarioMatched sm) {
                    scenarios
                            .addObject()
                            .put("scenarioId", sm.scenarioId())
                            .put("title", sm.title())
                            .put("similarity", sm.similarity())
                            .put("threshold", sm.threshold());
                } else if (p instanceof ActionCalled ac) {
                    ObjectNode a = actions.addObject();
                    a.put("action", ac.action());
                    a.put("trigger", ac.trigger());
                    a.put("outcome", ac.outcome());
                    a.put("status", ac.status());
                    a.put("latencyMs", ac.latencyMs());
                    a.put("attempts", ac.attempts());
                    a.put("request", reveal(s.id(), ac.request()));
                    a.put("explanation", reveal(s.id(), ac.explanation()));
                    ArrayNode problems = a.putArray("problems");
                    ac.problems().forEach(problems::add);
                    ArrayNode ignored = a.putArray("ignoredArguments");
                    ac.ignoredArguments().forEach(ignored::add);
                } else if (p instanceof ActionAnswered aa) {
                    answers.addObject()
                            .put("action", aa.action())
                            .put("answer", aa.answer())
                            .put("detail", reveal(s.id(), aa.detail()));
                } else if (p instanceof ToolCalled tc) {
                    ObjectNode tool = tools.addObject();
                    tool.put("name", tc.name());
                    tool.put("arguments", reveal(s.id(), tc.arguments()));
                    tool.put("result", clip(reveal(s.id(), tc.result()), 2000));
                    tool.put("latencyMs", tc.latencyMs());
                    tool.put("outcome", tc.outcome());
                    tool.put("round", tc.round());
                    tool.put("request", reveal(s.id(), tc.request()));
                } else if (p instanceof ModelCalled mc) {
                    ObjectNode m = models.addObject();
                    m.put("model", mc.model());
                    m.put("provider", mc.provider());
                    m.put("round", mc.round());
                    m.put("latencyMs", mc.latencyMs());
                    if (mc.inputTokens() != null) {
                        m.put("inputTokens", mc.inputTokens());
                    }
                    if (mc.outputTokens() != null) {
                        m.put("outputTokens", mc.outputTokens());
                    }
                    m.put("outcome", mc.outcome());
                    m.put("error", mc.error());
                } else if (p instanceof PiiRedacted pr) {
                    ObjectNode pii = t.putObject("pii");
                    ObjectNode counts = pii.putObject("counts");
                    pr.counts().forEach(counts::put);
                    pii.put("reversible", pr.reversible());
                }
            }
            if (reply != null) {
                ObjectNode r = t.putObject("reply");
                r.put("confidence", reply.confidence());
                r.put("threshold", reply.threshold());
                r.put("explanation", reply.explanation());
                ArrayNode citations = r.putArray("citations");
                for (Citation c : reply.citations()) {
                    citations.addObject().put("title", c.title()).put("url", c.url());
                }
                r.set("evidence", evidence(reply.evidence()));
                if (reply.pending() != null) {
                    ObjectNode pending = r.putObject("pending");
                    pending.put("action", reply.pending().action());
                    pending.put("summary", reveal(s.id(), reply.pending().summary()));
                    pending.put("awaitsConfirmation", reply.pending().awaitsConfirmation());
                    ArrayNode missing = pending.putArray("missing");
                    reply.pending().missing().forEach(missing::add);
                    pending.put("expiresAt", reply.pending().expiresAt().toString());
                }
            }
            if (handoff != null) {
                ObjectNode h = t.putObject("handoff");
                h.put("reason", handoff.reason() == null ? "" : handoff.reason().name());
                h.put("detail", reveal(s.id(), handoff.detail()));
                h.set("evidence", evidence(handoff.evidence()));
            }
            return t;
        }
    }

    private static JsonNode evidence(Map<String, Object> evidence) {
        try {
            return JSON.valueToTree(evidence);
        } catch (IllegalArgumentException e) {
            ObjectNode fallback = JSON.createObjectNode();
            evidence.forEach((k, v) -> fallback.put(k, String.valueOf(v)));
            return fallback;
        }
    }

    /** The text with the placeholders the channel's policy reveals to agents replaced by their values. */
    private String reveal(String sessionId, String text) {
        if (text == null || !PLACEHOLDER.matcher(text).find()) {
            return text == null ? "" : text; // nothing to reveal: no look-up in the vault
        }
        try {
            return cx.reveal(sessionId, text, PiiDestination.AGENT_VIEW);
        } catch (RuntimeException e) {
            LOG.warn(
                    "cannot reveal PII for the inbox (session {}): {}",
                    sessionId,
                    e.getClass().getSimpleName());
            return text;
        }
    }

    /** The session's contact name as agents may see it (a redacted name is revealed per the channel's policy). */
    private String contactName(String sessionId) {
        try {
            return cx.contactName(sessionId, PiiDestination.AGENT_VIEW);
        } catch (RuntimeException e) {
            LOG.warn(
                    "cannot read the contact name for the inbox (session {}): {}",
                    sessionId,
                    e.getClass().getSimpleName());
            return "";
        }
    }

    private static String clip(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max - 1) + "…";
    }
}
