package dev.opencx.event;

import com.fasterxml.jackson.annotation.JsonSubTypes;

/**
 * The events core writes: a documented, closed vocabulary. Each record below is a {@code
 * CoreEvent}, stored as JSON under the type name given here (the names never change: existing
 * databases hold them). Modules add their own payloads as {@link ModuleEvent}s under namespaced
 * names; they cannot add to this list, so a chain of {@code instanceof} checks (or a switch) over
 * core events stays complete.
 *
 * <table>
 * <caption>Core event types</caption>
 * <tr><th>type name</th><th>record</th></tr>
 * <tr><td>{@code session_opened}</td><td>{@link SessionOpened}</td></tr>
 * <tr><td>{@code message_received}</td><td>{@link MessageReceived}</td></tr>
 * <tr><td>{@code topic_classified}</td><td>{@link TopicClassified}</td></tr>
 * <tr><td>{@code autopilot_decided}</td><td>{@link AutopilotDecided}</td></tr>
 * <tr><td>{@code knowledge_retrieved}</td><td>{@link KnowledgeRetrieved}</td></tr>
 * <tr><td>{@code scenario_matched}</td><td>{@link ScenarioMatched}</td></tr>
 * <tr><td>{@code reply_sent}</td><td>{@link ReplySent}</td></tr>
 * <tr><td>{@code handoff_requested}</td><td>{@link HandoffRequested}</td></tr>
 * <tr><td>{@code handoff_delivered}</td><td>{@link HandoffDelivered}</td></tr>
 * <tr><td>{@code message_forwarded}</td><td>{@link MessageForwarded}</td></tr>
 * <tr><td>{@code agent_joined}</td><td>{@link AgentJoined}</td></tr>
 * <tr><td>{@code agent_replied}</td><td>{@link AgentReplied}</td></tr>
 * <tr><td>{@code message_delivered}</td><td>{@link MessageDelivered}</td></tr>
 * <tr><td>{@code delivery_failed}</td><td>{@link DeliveryFailed}</td></tr>
 * <tr><td>{@code delivery_updated}</td><td>{@link DeliveryUpdated}</td></tr>
 * <tr><td>{@code session_resolved}</td><td>{@link SessionResolved}</td></tr>
 * <tr><td>{@code session_closed}</td><td>{@link SessionClosed}</td></tr>
 * <tr><td>{@code turn_completed}</td><td>{@link TurnCompleted}</td></tr>
 * <tr><td>{@code model_called}</td><td>{@link ModelCalled}</td></tr>
 * <tr><td>{@code tool_called}</td><td>{@link ToolCalled}</td></tr>
 * <tr><td>{@code pii_redacted}</td><td>{@link PiiRedacted}</td></tr>
 * <tr><td>{@code action_called}</td><td>{@link ActionCalled}</td></tr>
 * <tr><td>{@code action_answered}</td><td>{@link ActionAnswered}</td></tr>
 * <tr><td>{@code note_added}</td><td>{@link NoteAdded}</td></tr>
 * </table>
 *
 * <p>The {@link JsonSubTypes} annotation below is the source of these names ({@link
 * EventTypes#core()} reads it).
 */
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
    @JsonSubTypes.Type(value = DeliveryUpdated.class, name = "delivery_updated"),
})
public sealed interface CoreEvent extends EventPayload
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
                DeliveryUpdated,
                ActionAnswered {}
