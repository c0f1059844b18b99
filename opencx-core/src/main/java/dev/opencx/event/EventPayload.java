package dev.opencx.event;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;

/**
 * What happened in a session. Each payload is an immutable record; the store wraps it in a {@link
 * SessionEvent} with a sequence number. Payloads record the <em>why</em> of every decision (scores,
 * thresholds, matched items) so that inspect mode, analytics and insights can read them later.
 *
 * <p>Payloads are stored as JSON with a {@code type} property; new payload types may be added in
 * later versions, so readers should ignore types they do not know.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
    @JsonSubTypes.Type(value = SessionOpened.class, name = "session_opened"),
    @JsonSubTypes.Type(value = MessageReceived.class, name = "message_received"),
    @JsonSubTypes.Type(value = TopicClassified.class, name = "topic_classified"),
    @JsonSubTypes.Type(value = AutopilotDecided.class, name = "autopilot_decided"),
    @JsonSubTypes.Type(value = KnowledgeRetrieved.class, name = "knowledge_retrieved"),
    @JsonSubTypes.Type(value = ScenarioMatched.class, name = "scenario_matched"),
    @JsonSubTypes.Type(value = ReplySent.class, name = "reply_sent"),
    @JsonSubTypes.Type(value = HandoffRequested.class, name = "handoff_requested"),
    @JsonSubTypes.Type(value = HandoffDelivered.class, name = "handoff_delivered"),
    @JsonSubTypes.Type(value = MessageForwarded.class, name = "message_forwarded"),
    @JsonSubTypes.Type(value = AgentJoined.class, name = "agent_joined"),
    @JsonSubTypes.Type(value = AgentReplied.class, name = "agent_replied"),
    @JsonSubTypes.Type(value = MessageDelivered.class, name = "message_delivered"),
    @JsonSubTypes.Type(value = DeliveryFailed.class, name = "delivery_failed"),
    @JsonSubTypes.Type(value = SessionResolved.class, name = "session_resolved"),
    @JsonSubTypes.Type(value = SessionClosed.class, name = "session_closed"),
    @JsonSubTypes.Type(value = TurnCompleted.class, name = "turn_completed"),
    @JsonSubTypes.Type(value = ModelCalled.class, name = "model_called"),
    @JsonSubTypes.Type(value = ToolCalled.class, name = "tool_called"),
    @JsonSubTypes.Type(value = PiiRedacted.class, name = "pii_redacted"),
    @JsonSubTypes.Type(value = ActionCalled.class, name = "action_called"),
    @JsonSubTypes.Type(value = ActionAnswered.class, name = "action_answered"),
    @JsonSubTypes.Type(value = NoteAdded.class, name = "note_added"),
})
public sealed interface EventPayload
        permits SessionOpened,
                MessageReceived,
                TopicClassified,
                AutopilotDecided,
                KnowledgeRetrieved,
                ScenarioMatched,
                ReplySent,
                HandoffRequested,
                HandoffDelivered,
                MessageForwarded,
                AgentJoined,
                AgentReplied,
                MessageDelivered,
                DeliveryFailed,
                SessionResolved,
                SessionClosed,
                TurnCompleted,
                ModelCalled,
                ToolCalled,
                PiiRedacted,
                ActionCalled,
                NoteAdded,
                ActionAnswered {}
