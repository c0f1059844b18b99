package dev.opencx.channel.twilio.voice;

import dev.opencx.channel.OutboundMessage;
import dev.opencx.conversation.Identity;
import dev.opencx.conversation.TicketNumber;
import dev.opencx.webhook.WebResponse;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * What the channel knows about one live call: its session, the texts waiting to be spoken at the
 * call's next TwiML response, the webhooks waiting for a reply, and where the turn loop stands.
 * Guarded by its own monitor; rebuilt from the session after a restart.
 */
final class Call {
    /** A text {@code send()} queued for the call's next TwiML response. */
    record Queued(String messageId, OutboundMessage.Kind kind, String text) {}

    /** A webhook waiting for the reply to the customer message stored at {@code seq}. */
    record Waiter(long seq, int waits, long deadlineNanos, CompletableFuture<WebResponse> future) {}

    final String callSid;
    final Identity caller;
    /** The session's BCP 47 locale; the language of everything said on the call. */
    final String locale;

    private String sessionId;
    private TicketNumber ticket;
    private int step;
    private int failures;
    private boolean transferring;
    private boolean ended;
    private boolean saidGoodbye;
    private Instant lastActivity;
    private final ArrayDeque<Queued> queue = new ArrayDeque<>();
    private final List<Waiter> waiters = new ArrayList<>();

    Call(String callSid, Identity caller, String locale, String sessionId, TicketNumber ticket, int step, Instant now) {
        this.callSid = callSid;
        this.caller = caller;
        this.locale = locale;
        this.sessionId = sessionId;
        this.ticket = ticket;
        this.step = step;
        this.lastActivity = now;
    }

    synchronized String sessionId() {
        return sessionId;
    }

    synchronized TicketNumber ticket() {
        return ticket;
    }

    /** The session changed (the old one was closed while the caller was on the line). */
    synchronized void rebind(String newSessionId, TicketNumber newTicket) {
        this.sessionId = newSessionId;
        this.ticket = newTicket;
    }

    /** A new step number for the URLs of the next TwiML response. */
    synchronized int nextStep() {
        return ++step;
    }

    /** Keeps step numbers increasing after a restart rebuilt the call from a request of step {@code n}. */
    synchronized void atLeast(int n) {
        step = Math.max(step, n);
    }

    synchronized int failed() {
        return ++failures;
    }

    synchronized void understood() {
        failures = 0;
    }

    synchronized boolean transferring() {
        return transferring;
    }

    synchronized void transferring(boolean on) {
        transferring = on;
    }

    synchronized boolean ended() {
        return ended;
    }

    /** Marks the call ended; returns false when it already was. */
    synchronized boolean end() {
        if (ended) {
            return false;
        }
        ended = true;
        return true;
    }

    synchronized boolean saidGoodbye() {
        return saidGoodbye;
    }

    synchronized void goodbye() {
        saidGoodbye = true;
    }

    synchronized void touch(Instant now) {
        lastActivity = now;
    }

    synchronized Instant lastActivity() {
        return lastActivity;
    }

    synchronized void enqueue(Queued q) {
        queue.add(q);
    }

    synchronized List<Queued> queued() {
        return List.copyOf(queue);
    }

    /** Takes every queued text, oldest first. */
    synchronized List<Queued> drain() {
        List<Queued> out = new ArrayList<>(queue);
        queue.clear();
        return out;
    }

    synchronized void await(Waiter w) {
        waiters.add(w);
    }

    synchronized List<Waiter> waiters() {
        waiters.removeIf(w -> w.future().isDone());
        return List.copyOf(waiters);
    }

    @Override
    public String toString() {
        return "Call{" + callSid + "}";
    }
}
