package dev.opencx.test;

import dev.opencx.conversation.Message;
import dev.opencx.conversation.TicketNumber;
import dev.opencx.handoff.HandoffTicket;
import dev.opencx.handoff.Helpdesk;
import dev.opencx.handoff.HelpdeskListener;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A fake {@link Helpdesk} for tests: records opened tickets and appended messages (idempotently, as
 * the SPI requires), and lets the test act as an agent through {@link #agent()}.
 *
 * <pre>{@code
 * RecordingHelpdesk helpdesk = new RecordingHelpdesk();
 * // ... a session is handed off ...
 * helpdesk.agent().agentReplied(ticket, "maria", "Hi, Maria here.", "reply-1");
 * }</pre>
 */
public class RecordingHelpdesk implements Helpdesk {
    private final Map<TicketNumber, HandoffTicket> opened = new ConcurrentHashMap<>();
    private final List<Message> appended = new CopyOnWriteArrayList<>();
    private volatile HelpdeskListener listener;

    @Override
    public String name() {
        return "recording";
    }

    @Override
    public void start(HelpdeskListener listener) {
        this.listener = listener;
    }

    @Override
    public String openTicket(HandoffTicket ticket) {
        opened.putIfAbsent(ticket.ticket(), ticket);
        return "T-" + ticket.ticket().value();
    }

    @Override
    public void appendMessage(String ticketRef, TicketNumber ticket, Message message) {
        synchronized (appended) {
            if (appended.stream().noneMatch(m -> m.id().equals(message.id()))) {
                appended.add(message);
            }
        }
    }

    /** The ticket opened for a ticket number, if any. */
    public Optional<HandoffTicket> ticket(TicketNumber ticket) {
        return Optional.ofNullable(opened.get(ticket));
    }

    /** Every ticket opened, by ticket number. */
    public Map<TicketNumber, HandoffTicket> tickets() {
        return Map.copyOf(opened);
    }

    /** Customer messages appended to tickets after the handoff, in order. */
    public List<Message> appended() {
        return List.copyOf(appended);
    }

    /** Acts as the helpdesk's agents (joined, replied, resolved). */
    public HelpdeskListener agent() {
        HelpdeskListener l = listener;
        if (l == null) {
            throw new IllegalStateException("the helpdesk is not started: pass it to OpenCx.builder().helpdesk(...)");
        }
        return l;
    }
}
