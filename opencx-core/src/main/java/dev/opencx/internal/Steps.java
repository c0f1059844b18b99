package dev.opencx.internal;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.opencx.action.Action;
import dev.opencx.action.ActionResult;
import dev.opencx.action.ConfirmationDetector;
import dev.opencx.action.PendingAction;
import dev.opencx.action.TurnActions;
import dev.opencx.autopilot.AutopilotDecision;
import dev.opencx.autopilot.AutopilotPolicy;
import dev.opencx.autopilot.AutopilotSignals;
import dev.opencx.autopilot.TopicClassification;
import dev.opencx.channel.Channel;
import dev.opencx.channel.OutboundMessage;
import dev.opencx.channel.PartialReply;
import dev.opencx.channel.StreamingChannel;
import dev.opencx.conversation.Author;
import dev.opencx.conversation.Contact;
import dev.opencx.conversation.InboundMessage;
import dev.opencx.conversation.Message;
import dev.opencx.conversation.Session;
import dev.opencx.event.ActionAnswered;
import dev.opencx.event.AutopilotDecided;
import dev.opencx.event.HandoffRequested;
import dev.opencx.event.MessageForwarded;
import dev.opencx.event.MessageReceived;
import dev.opencx.event.PiiRedacted;
import dev.opencx.event.ReplySent;
import dev.opencx.event.SessionEvent;
import dev.opencx.event.TopicClassified;
import dev.opencx.handoff.Detection;
import dev.opencx.handoff.HandoffReason;
import dev.opencx.outbox.OutboxItem;
import dev.opencx.outbox.OutboxKind;
import dev.opencx.pipeline.Chain;
import dev.opencx.pipeline.Step;
import dev.opencx.pipeline.Turn;
import dev.opencx.pipeline.TurnResult;
import dev.opencx.pipeline.TurnResult.Outcome;
import dev.opencx.responder.Reply;
import dev.opencx.responder.ResponderRequest;
import dev.opencx.store.NewSession;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The built-in steps of the pipeline. */
public final class Steps {
    private static final Logger LOG = LoggerFactory.getLogger(Steps.class);

    private Steps() {}

    /** A built-in step: an interceptor that knows its {@link Step}. */
    public abstract static class BuiltIn implements RealChain.NamedInterceptor {
        final Runtime rt;
        final Step step;

        BuiltIn(Runtime rt, Step step) {
            this.rt = rt;
            this.step = step;
        }

        public Step step() {
            return step;
        }

        @Override
        public String name() {
            return "built-in step " + step;
        }
    }

    /** The session's PII handling for tools and actions; NONE when the channel redacts nothing. */
    static dev.opencx.pii.SessionPii sessionPii(Runtime rt, Session s) {
        if (!rt.pii().policy(s.channel()).isEnabled()) {
            return dev.opencx.pii.SessionPii.NONE;
        }
        return new dev.opencx.pii.SessionPii() {
            @Override
            public String reveal(String text, dev.opencx.pii.PiiDestination destination) {
                return rt.pii().reveal(s.id(), s.channel(), text, destination);
            }

            @Override
            public String redact(String text) {
                return rt.pii().redact(s.id(), s.channel(), text).text();
            }
        };
    }

    /** Every built-in step in order. */
    public static List<BuiltIn> all(Runtime rt) {
        return List.of(
                new Dedupe(rt),
                new ContactStep(rt),
                new SessionStep(rt),
                new Persist(rt),
                new OwnerCheck(rt),
                new Safety(rt),
                new Confirmation(rt),
                new Autopilot(rt),
                new ResponderStep(rt),
                new ConfidenceGate(rt),
                new Emit(rt));
    }

    static final class Dedupe extends BuiltIn {
        Dedupe(Runtime rt) {
            super(rt, Step.DEDUPE);
        }

        @Override
        public TurnResult intercept(Chain chain) {
            Optional<TurnResult> resend = Resends.check(rt, chain.turn());
            return resend.isPresent() ? resend.get() : chain.proceed();
        }
    }

    static final class ContactStep extends BuiltIn {
        ContactStep(Runtime rt) {
            super(rt, Step.CONTACT);
        }

        @Override
        public TurnResult intercept(Chain chain) {
            InboundMessage in = chain.turn().inbound();
            // a name for a new contact is stored as the channel's PII policy says (see PiiGuard)
            chain.turn()
                    .contact(rt.store()
                            .findOrCreateContact(in.from(), rt.pii().nameToStore(in.channel(), in.displayName())));
            return chain.proceed();
        }
    }

    static final class SessionStep extends BuiltIn {
        SessionStep(Runtime rt) {
            super(rt, Step.SESSION);
        }

        @Override
        public TurnResult intercept(Chain chain) {
            Turn t = chain.turn();
            InboundMessage in = t.inbound();
            Optional<Session> open = rt.store().findOpenSession(t.contact().id(), in.channel(), in.threadId());
            String locale = !in.locale().isEmpty() ? in.locale() : LanguageGuesser.guess(in.text());
            t.session(open.orElseGet(() -> rt.store()
                    .openSession(new NewSession(
                            t.contact().id(), in.channel(), in.threadId(), locale.isEmpty() ? "en" : locale))));
            t.locale(locale);
            if (open.isEmpty() || !in.displayName().isEmpty()) {
                rt.pii().shareContactName(t.session(), t.contact(), in.displayName());
            }
            return chain.proceed();
        }
    }

    static final class Persist extends BuiltIn {
        Persist(Runtime rt) {
            super(rt, Step.PERSIST);
        }

        @Override
        public TurnResult intercept(Chain chain) {
            Turn t = chain.turn();
            InboundMessage in = t.inbound();
            rt.messageCap().check(rt.store(), t.session()); // a full session refuses before anything is stored
            Instant at = in.receivedAt() != null ? in.receivedAt() : rt.clock().instant();
            // PII is replaced by placeholders before anything is stored: the log and the AI see placeholders
            PiiGuard.Outcome pii = rt.pii().redact(t.session().id(), in.channel(), in.text());
            Message m =
                    new Message(Ids.newId(), Author.CUSTOMER, "", pii.text(), in.attachments(), in.externalId(), at);
            Optional<SessionEvent> e =
                    rt.store().appendInbound(t.session().id(), new MessageReceived(m), in.channel(), in.externalId());
            if (e.isEmpty()) {
                // delivered meanwhile by another thread, under another sender's lock
                return Resends.check(rt, t)
                        .orElseGet(() -> TurnResult.of(
                                Outcome.DUPLICATE, t, "channel '" + in.channel() + "' already delivered this message"));
            }
            if (!pii.counts().isEmpty()) {
                rt.store()
                        .append(
                                t.session().id(),
                                new PiiRedacted(m.id(), pii.counts(), pii.newPlaceholders(), pii.reversible()));
            }
            t.stored(m, e.get().seq());
            return chain.proceed();
        }
    }

    static final class OwnerCheck extends BuiltIn {
        OwnerCheck(Runtime rt) {
            super(rt, Step.OWNER_CHECK);
        }

        @Override
        public TurnResult intercept(Chain chain) {
            Turn t = chain.turn();
            Session fresh = rt.store().session(t.session().id()).orElseThrow();
            t.session(fresh);
            if (fresh.state().isOwnedByTeam()) {
                String payload = Outbox.json(Map.of("messageId", t.message().id()));
                t.stage(
                        new MessageForwarded(t.message().id(), rt.helpdesk().name()),
                        List.of(new OutboxItem(
                                OutboxKind.HELPDESK_APPEND,
                                rt.helpdesk().name(),
                                "fwd-" + t.message().id(),
                                payload)));
                return TurnResult.of(
                        Outcome.FORWARDED,
                        t,
                        "session " + fresh.ticket() + " is " + fresh.state() + ": the message went to "
                                + rt.helpdesk().name() + ", the AI stays silent");
            }
            if (!fresh.state().isOpen()) {
                return TurnResult.of(Outcome.STOPPED, t, "session " + fresh.ticket() + " is " + fresh.state());
            }
            return chain.proceed();
        }
    }

    static final class Safety extends BuiltIn {
        Safety(Runtime rt) {
            super(rt, Step.SAFETY);
        }

        @Override
        public TurnResult intercept(Chain chain) {
            Turn t = chain.turn();
            dev.opencx.autopilot.TopicClassifier prohibited =
                    rt.prohibitedFor(t.session().channel());
            if (prohibited != null && !t.isHandedOff()) {
                TopicClassification c = prohibited.classify(t.message().text());
                if (!c.isNone()) {
                    Map<String, Object> ev = new LinkedHashMap<>();
                    ev.put("prohibited_topic", c.topic());
                    ev.put("score", c.scores().get(0).score());
                    ev.put("threshold", c.threshold());
                    t.handOff(
                            HandoffReason.PROHIBITED_TOPIC, "the message touches a prohibited topic: " + c.topic(), ev);
                }
            }
            return chain.proceed();
        }
    }

    /**
     * Answers the action the AI's previous reply proposed ("shall I go ahead?"): an explicit yes
     * makes the call and sets the turn's reply; a no cancels it (and a message that says more goes
     * on through autopilot); anything else, a handoff or a late answer drops it. Every outcome is an
     * {@link ActionAnswered} event.
     */
    static final class Confirmation extends BuiltIn {
        Confirmation(Runtime rt) {
            super(rt, Step.CONFIRMATION);
        }

        @Override
        public TurnResult intercept(Chain chain) {
            Turn t = chain.turn();
            AgentActions actions = rt.actions();
            Optional<PendingAction> open = t.previousPending();
            if (actions == null || open.isEmpty() || t.reply() != null) {
                return chain.proceed();
            }
            PendingAction p = open.get();
            if (t.isHandedOff()) {
                t.record(new ActionAnswered(p.id(), p.action(), "dropped", "the session was handed off", Map.of()));
                return chain.proceed();
            }
            if (!p.awaitsConfirmation()) {
                return chain.proceed(); // the responder takes the missing values (TurnActions.pending)
            }
            // "no", "ok", "sí": too short to tell the language by; answer in the session's
            t.locale(t.session().locale());
            ConfirmationDetector.Result answer =
                    actions.confirmations().detect(t.message().text(), t.locale());
            Map<String, Object> ev = new LinkedHashMap<>();
            ev.put("answer", answer.answer().name().toLowerCase(Locale.ROOT));
            ev.put("cue", answer.cue());
            ev.put("more", answer.more());
            boolean bare = answer.answer() != ConfirmationDetector.Answer.OTHER && !answer.more();
            if (p.isExpired(rt.clock().instant())) {
                ev.put("expired_at", p.expiresAt().toString());
                t.record(new ActionAnswered(p.id(), p.action(), "expired", "answered after " + p.expiresAt(), ev));
                if (bare) {
                    t.reply(Reply.answer(
                            rt.notice(
                                    "action_expired",
                                    t.locale(),
                                    t.session().ticket().toString()),
                            1.0,
                            List.of(),
                            "the answer to the proposed action " + p.action() + " came after it expired",
                            ev));
                }
                return chain.proceed();
            }
            switch (answer.answer()) {
                case YES -> {
                    t.record(new ActionAnswered(
                            p.id(), p.action(), "confirmed", "explicit yes: \"" + answer.cue() + "\"", ev));
                    TurnActions turnActions = TurnActionsImpl.of(rt, t);
                    Optional<Action> action = turnActions.offered().get(p.action());
                    if (action.isEmpty()) {
                        t.handOff(
                                HandoffReason.MISSING_ACTION,
                                "the confirmed action " + p.action() + " is no longer offered in this session",
                                ev);
                        return chain.proceed();
                    }
                    ObjectNode args = p.parsedArguments();
                    ActionResult result =
                            ((TurnActionsImpl) turnActions).callWithKey(action.get(), args, "confirmation", p.id());
                    t.reply(turnActions.reply(action.get(), args, result));
                }
                case NO -> {
                    t.record(new ActionAnswered(p.id(), p.action(), "declined", "no: \"" + answer.cue() + "\"", ev));
                    if (!answer.more()) {
                        t.reply(Reply.answer(
                                rt.notice(
                                        "action_declined",
                                        t.locale(),
                                        t.session().ticket().toString()),
                                1.0,
                                List.of(),
                                "the customer declined the proposed action " + p.action(),
                                ev));
                    }
                }
                case OTHER -> t.record(new ActionAnswered(
                        p.id(),
                        p.action(),
                        "dropped",
                        "no explicit yes or no: the message is handled as a new request",
                        ev));
            }
            return chain.proceed();
        }
    }

    static final class Autopilot extends BuiltIn {
        Autopilot(Runtime rt) {
            super(rt, Step.AUTOPILOT);
        }

        @Override
        public TurnResult intercept(Chain chain) {
            Turn t = chain.turn();
            if (!t.isHandedOff() && t.reply() != null) {
                t.record(new AutopilotDecided(
                        AutopilotDecision.Outcome.AI_REPLIES,
                        null,
                        "the turn was answered before autopilot: " + t.reply().explanation(),
                        Map.of()));
                return chain.proceed();
            }
            if (t.isHandedOff()) {
                t.record(new AutopilotDecided(
                        AutopilotDecision.Outcome.HANDOFF,
                        t.handoffReason(),
                        "handed off before autopilot: " + t.handoffDetail(),
                        t.handoffEvidence()));
                return chain.proceed();
            }
            String text = t.message().text();
            TopicClassification topic = null;
            if (rt.topicClassifier() != null) {
                topic = rt.topicClassifier().classify(text);
                t.record(new TopicClassified(
                        topic.topic(), topic.scores().stream().limit(3).toList(), topic.threshold(), topic.method()));
                t.topic(topic.topic());
            }
            List<String> previous = t.previousCustomerTexts();
            Detection human = rt.humanRequestDetector().detect(text);
            int earlier = 0;
            if (human.detected()) {
                for (String p : previous) {
                    if (rt.humanRequestDetector().detect(p).detected()) {
                        earlier++;
                    }
                }
            }
            Detection frustration = rt.frustrationDetector().detect(text, previous, t.previousReplyText());
            AutopilotPolicy policy = rt.policy().get();
            AutopilotDecision d =
                    policy.decide(new AutopilotSignals(t.session().channel(), topic, human, frustration, earlier));
            t.decision(d);
            t.record(new AutopilotDecided(d.outcome(), d.reason(), d.explain(), d.evidence()));
            if (d.isHandoff()) {
                t.handOff(d.reason(), d.explain(), d.evidence());
            }
            return chain.proceed();
        }
    }

    static final class ResponderStep extends BuiltIn {
        ResponderStep(Runtime rt) {
            super(rt, Step.RESPONDER);
        }

        @Override
        public TurnResult intercept(Chain chain) {
            Turn t = chain.turn();
            StreamRelay relay = null;
            if (!t.isHandedOff() && t.reply() == null) {
                Channel channel = rt.channels().get(t.session().channel());
                Contact contact = rt.pii()
                        .forModel(
                                rt.store().contact(t.session().contactId()).orElse(t.contact()),
                                t.session().channel());
                if (channel instanceof StreamingChannel sc
                        && channel.capabilities().streaming()) {
                    relay = new StreamRelay(sc, t);
                }
                try {
                    ResponderRequest req = new ResponderRequest(
                            t.session(),
                            contact,
                            t.message(),
                            new LazyHistory(t::history),
                            t.locale(),
                            t.topic(),
                            channel.capabilities(),
                            t::record,
                            relay,
                            sessionPii(rt, t.session()),
                            TurnActionsImpl.of(rt, t));
                    Reply r = rt.responder().respond(req);
                    if (r == null) {
                        throw new NullPointerException(
                                "responder " + rt.responder().getClass().getName() + " returned null");
                    }
                    t.reply(r);
                } catch (RuntimeException e) {
                    LOG.warn("responder failed for session {}: {}", t.session().ticket(), e.toString());
                    t.handOff(
                            HandoffReason.RESPONDER_ERROR,
                            "the responder failed: " + e.getClass().getSimpleName(),
                            Map.of("error", String.valueOf(e.getMessage())));
                }
            }
            if (relay == null) {
                return chain.proceed();
            }
            boolean replied = false;
            try {
                TurnResult result = chain.proceed();
                replied = result.outcome() == Outcome.REPLIED;
                return result;
            } finally {
                if (!replied) {
                    relay.discard();
                }
            }
        }
    }

    /**
     * Relays a responder's partial text to a streaming channel, best-effort: the first exception
     * the channel throws is logged and ends the stream for this turn.
     */
    static final class StreamRelay implements java.util.function.Consumer<String> {
        private final StreamingChannel channel;
        private final Turn turn;
        private int index;
        private boolean broken;

        StreamRelay(StreamingChannel channel, Turn turn) {
            this.channel = channel;
            this.turn = turn;
        }

        @Override
        public synchronized void accept(String text) {
            if (text == null || text.isEmpty()) {
                return;
            }
            push(PartialReply.Kind.DELTA, text);
        }

        /** Tells the channel the draft will not become the reply (only when something was streamed). */
        synchronized void discard() {
            if (index > 0) {
                push(PartialReply.Kind.DISCARD, "");
            }
        }

        private void push(PartialReply.Kind kind, String text) {
            if (broken) {
                return;
            }
            Session s = turn.session();
            try {
                channel.partialReply(new PartialReply(
                        kind,
                        s.id(),
                        s.ticket(),
                        turn.inbound().from(),
                        s.threadId(),
                        turn.message().externalId(),
                        index++,
                        text));
            } catch (RuntimeException e) {
                broken = true;
                LOG.warn(
                        "channel '{}' failed to show a partial reply for session {}; streaming stops for this turn: {}",
                        channel.id(),
                        s.ticket(),
                        e.toString());
            }
        }
    }

    static final class ConfidenceGate extends BuiltIn {
        ConfidenceGate(Runtime rt) {
            super(rt, Step.CONFIDENCE_GATE);
        }

        @Override
        public TurnResult intercept(Chain chain) {
            Turn t = chain.turn();
            Reply r = t.reply();
            if (!t.isHandedOff() && r != null) {
                AutopilotPolicy policy = rt.policy().get();
                Map<String, Object> ev = new LinkedHashMap<>(r.evidence());
                ev.put("confidence", r.confidence());
                ev.put("confidence_threshold", policy.confidenceThreshold());
                if (r.asksForHuman()) {
                    if (policy.handsOffOn(r.handoff())) {
                        t.handOff(r.handoff(), r.explanation(), ev);
                    } else {
                        t.reply(Reply.answer(
                                rt.notice(
                                        "cannot_help",
                                        t.locale(),
                                        t.session().ticket().toString()),
                                0,
                                List.of(),
                                "no confident answer and preset " + policy.preset() + " does not hand off: "
                                        + r.explanation(),
                                ev));
                    }
                } else if (r.confidence() < policy.confidenceThreshold()) {
                    t.handOff(
                            HandoffReason.LOW_CONFIDENCE,
                            String.format(
                                    Locale.ROOT,
                                    "confidence %.2f is below the threshold %.2f: %s",
                                    r.confidence(),
                                    policy.confidenceThreshold(),
                                    r.explanation()),
                            ev);
                }
            }
            return chain.proceed();
        }
    }

    /** Records the turn's handoff, opens the ticket and tells the customer, in one atomic append. */
    public static TurnResult emitHandoff(Runtime rt, Turn t) {
        Session s = t.session();
        String summary = Emit.summary(t);
        Map<String, Object> open = new LinkedHashMap<>();
        open.put("reason", t.handoffReason().name());
        open.put("detail", t.handoffDetail());
        open.put("summary", summary);
        String noticeId = Ids.newId();
        OutboundMessage notice = new OutboundMessage(
                noticeId,
                s.id(),
                s.ticket(),
                s.channel(),
                t.inbound().from(),
                s.threadId(),
                OutboundMessage.Kind.HANDOFF_NOTICE,
                Author.SYSTEM,
                "",
                rt.notice("handoff", t.locale(), s.ticket().toString()),
                List.of(),
                t.message().externalId(),
                "msg-" + noticeId);
        t.stage(
                new HandoffRequested(t.handoffReason(), t.handoffDetail(), summary, t.handoffEvidence()),
                List.of(
                        new OutboxItem(
                                OutboxKind.HELPDESK_OPEN,
                                rt.helpdesk().name(),
                                "open-" + s.id() + "-" + t.messageSeq(),
                                Outbox.json(open)),
                        new OutboxItem(
                                OutboxKind.CHANNEL_SEND,
                                s.channel().value(),
                                notice.idempotencyKey(),
                                Outbox.json(notice))));
        return new TurnResult(
                Outcome.HANDED_OFF,
                s.id(),
                s.ticket(),
                t.message().id(),
                t.handoffReason(),
                "",
                0,
                List.of(),
                t.handoffDetail());
    }

    static final class Emit extends BuiltIn {
        Emit(Runtime rt) {
            super(rt, Step.EMIT);
        }

        @Override
        public TurnResult intercept(Chain chain) {
            Turn t = chain.turn();
            Session s = t.session();
            if (t.isHandedOff()) {
                return emitHandoff(rt, t);
            }
            Reply r = t.reply();
            if (r == null) {
                return chain.proceed();
            }
            Message m = new Message(
                    Ids.newId(),
                    Author.AI,
                    "",
                    r.text(),
                    List.of(),
                    "",
                    rt.clock().instant());
            OutboundMessage out = new OutboundMessage(
                    m.id(),
                    s.id(),
                    s.ticket(),
                    s.channel(),
                    t.inbound().from(),
                    s.threadId(),
                    OutboundMessage.Kind.AI_REPLY,
                    Author.AI,
                    "",
                    r.text(),
                    r.citations(),
                    t.message().externalId(),
                    "msg-" + m.id());
            t.stage(
                    new ReplySent(
                            m,
                            r.confidence(),
                            rt.policy().get().confidenceThreshold(),
                            r.citations(),
                            r.explanation(),
                            r.evidence(),
                            t.leftPending().orElse(null)),
                    List.of(new OutboxItem(
                            OutboxKind.CHANNEL_SEND, s.channel().value(), out.idempotencyKey(), Outbox.json(out))));
            return new TurnResult(
                    Outcome.REPLIED,
                    s.id(),
                    s.ticket(),
                    t.message().id(),
                    null,
                    r.text(),
                    r.confidence(),
                    r.citations(),
                    r.explanation());
        }

        private static String summary(Turn t) {
            List<String> customer = new ArrayList<>(t.previousCustomerTexts());
            customer.add(t.message().text());
            String first = clip(customer.get(0));
            String last = clip(customer.get(customer.size() - 1));
            StringBuilder sb = new StringBuilder();
            sb.append(customer.size()).append(customer.size() == 1 ? " customer message" : " customer messages");
            if (!t.topic().isEmpty()) {
                sb.append(" about ").append(t.topic());
            }
            sb.append(". First: \"").append(first).append('"');
            if (customer.size() > 1) {
                sb.append(" Last: \"").append(last).append('"');
            }
            sb.append(" Handoff: ")
                    .append(t.handoffReason().name().toLowerCase(Locale.ROOT).replace('_', ' '))
                    .append('.');
            return sb.toString();
        }

        private static String clip(String s) {
            String one = s.replaceAll("\\s+", " ").strip();
            return one.length() <= 160 ? one : one.substring(0, 157) + "...";
        }
    }
}
