package dev.opencx.examples.quickstart;

import dev.opencx.channel.Channel;
import dev.opencx.channel.ChannelCapabilities;
import dev.opencx.channel.DeliveryReceipt;
import dev.opencx.channel.InboundSink;
import dev.opencx.channel.OutboundMessage;
import dev.opencx.channel.ReceiveReceipt;
import dev.opencx.conversation.ChannelId;
import dev.opencx.conversation.Identity;
import dev.opencx.conversation.InboundMessage;
import dev.opencx.knowledge.Citation;
import java.io.PrintStream;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/**
 * A terminal channel: one customer types, replies are printed with their sources. Used by the
 * quickstart; handy for trying an agent by hand.
 */
public final class ConsoleChannel implements Channel {
    private final PrintStream out;
    private volatile Identity customer;
    private volatile InboundSink sink;

    /**
     * @param out where replies are printed
     * @param customer the identity of the person at the keyboard
     */
    public ConsoleChannel(PrintStream out, Identity customer) {
        this.out = Objects.requireNonNull(out, "out");
        this.customer = Objects.requireNonNull(customer, "customer");
    }

    /** From now on, typed lines come from another customer. */
    public void switchCustomer(Identity customer) {
        this.customer = Objects.requireNonNull(customer, "customer");
    }

    /** Sends one typed line as a customer message; completes once stored. */
    public CompletableFuture<ReceiveReceipt> type(String line) {
        InboundSink s = sink;
        if (s == null) {
            throw new IllegalStateException("console channel is not started: pass it to OpenCx.builder().channel(...)");
        }
        return s.receive(InboundMessage.builder(ChannelId.CONSOLE)
                .from(customer)
                .text(line)
                .build());
    }

    @Override
    public ChannelId id() {
        return ChannelId.CONSOLE;
    }

    @Override
    public ChannelCapabilities capabilities() {
        return new ChannelCapabilities(false, false, false, false, false, 8000);
    }

    @Override
    public void start(InboundSink sink) {
        this.sink = Objects.requireNonNull(sink, "sink");
    }

    @Override
    public DeliveryReceipt send(OutboundMessage m) {
        StringBuilder sb = new StringBuilder();
        String who =
                switch (m.kind()) {
                    case AI_REPLY -> "AI";
                    case AGENT_REPLY -> "Agent " + m.authorId();
                    case HANDOFF_NOTICE, SYSTEM_NOTICE -> "System";
                };
        sb.append(who).append(" [").append(m.ticket()).append("]: ").append(m.text());
        for (Citation c : m.sources()) {
            sb.append(System.lineSeparator()).append("  source: ").append(c.title());
            if (!c.url().isEmpty()) {
                sb.append(" <").append(c.url()).append('>');
            }
        }
        synchronized (out) {
            out.println(sb);
            out.flush();
        }
        return DeliveryReceipt.none();
    }
}
