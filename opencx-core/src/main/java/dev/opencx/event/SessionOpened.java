package dev.opencx.event;

import dev.opencx.conversation.ChannelId;
import dev.opencx.conversation.TicketNumber;

/** The first event of every session. */
public record SessionOpened(String contactId, ChannelId channel, TicketNumber ticket, String threadId, String locale)
        implements CoreEvent {}
