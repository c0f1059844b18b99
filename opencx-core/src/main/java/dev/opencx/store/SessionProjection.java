package dev.opencx.store;

import dev.opencx.conversation.Session;
import dev.opencx.conversation.SessionState;
import dev.opencx.event.AgentJoined;
import dev.opencx.event.AgentReplied;
import dev.opencx.event.HandoffRequested;
import dev.opencx.event.MessageReceived;
import dev.opencx.event.SessionClosed;
import dev.opencx.event.SessionEvent;
import dev.opencx.event.SessionResolved;
import dev.opencx.event.TopicClassified;
import dev.opencx.event.TurnCompleted;
import java.util.List;

/**
 * How a session's state follows from its events. Stores apply it on every append; {@link
 * #replay(Session, List)} rebuilds a session from its log.
 */
public final class SessionProjection {
    private SessionProjection() {}

    /** The session after one more event. */
    public static Session apply(Session s, SessionEvent e) {
        SessionState state = s.state();
        String assignee = s.assignee();
        String topic = s.topic();
        long lastMessageSeq = s.lastMessageSeq();
        long handledSeq = s.handledSeq();
        var p = e.payload();
        if (p instanceof MessageReceived) {
            lastMessageSeq = e.seq();
        } else if (p instanceof TopicClassified tc && !tc.topic().isEmpty()) {
            topic = tc.topic();
        } else if (p instanceof HandoffRequested) {
            if (state == SessionState.AI_ACTIVE) {
                state = SessionState.HANDED_OFF;
            }
        } else if (p instanceof AgentJoined aj) {
            state = SessionState.AGENT_ACTIVE;
            assignee = aj.agentId();
        } else if (p instanceof AgentReplied ar) {
            if (state == SessionState.AI_ACTIVE || state == SessionState.HANDED_OFF) {
                state = SessionState.AGENT_ACTIVE;
            }
            if (assignee.isEmpty()) {
                assignee = ar.message().authorId();
            }
        } else if (p instanceof SessionResolved) {
            state = SessionState.RESOLVED;
        } else if (p instanceof SessionClosed) {
            state = SessionState.CLOSED;
        } else if (p instanceof TurnCompleted tc) {
            handledSeq = Math.max(handledSeq, tc.messageSeq());
        }
        return new Session(
                s.id(),
                s.ticket(),
                s.channel(),
                s.contactId(),
                s.threadId(),
                state,
                assignee,
                topic,
                s.locale(),
                s.openedAt(),
                e.at(),
                e.seq(),
                lastMessageSeq,
                handledSeq);
    }

    /** Folds events (after the initial state's {@code lastSeq}) into a session. */
    public static Session replay(Session initial, List<SessionEvent> events) {
        Session s = initial;
        for (SessionEvent e : events) {
            if (e.seq() > s.lastSeq()) {
                s = apply(s, e);
            }
        }
        return s;
    }
}
