package dev.opencx.internal;

import dev.opencx.autopilot.AutopilotPolicy;
import dev.opencx.autopilot.TopicClassifier;
import dev.opencx.channel.Channel;
import dev.opencx.conversation.ChannelId;
import dev.opencx.handoff.FrustrationDetector;
import dev.opencx.handoff.Helpdesk;
import dev.opencx.handoff.HumanRequestDetector;
import dev.opencx.pipeline.TurnListener;
import dev.opencx.responder.Responder;
import dev.opencx.store.ConversationStore;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BiFunction;

/** Everything one OpenCx client is made of; built by {@code OpenCx.Builder}. */
public record Runtime(
        ConversationStore store,
        Map<ChannelId, Channel> channels,
        Helpdesk helpdesk,
        Responder responder,
        AtomicReference<AutopilotPolicy> policy,
        TopicClassifier topicClassifier,
        TopicClassifier prohibitedClassifier,
        HumanRequestDetector humanRequestDetector,
        FrustrationDetector frustrationDetector,
        Clock clock,
        int maxMessageChars,
        List<TurnListener> listeners,
        BiFunction<String, String, String> notices,
        PiiGuard pii,
        Map<ChannelId, java.util.Optional<TopicClassifier>> channelProhibited,
        AgentActions actions,
        MessageCap messageCap,
        Modules modules) {

    /** The prohibited-topic classifier of a channel: its own override, else the global one (null when none). */
    public TopicClassifier prohibitedFor(ChannelId channel) {
        java.util.Optional<TopicClassifier> own = channelProhibited.get(channel);
        return own != null ? own.orElse(null) : prohibitedClassifier;
    }

    /** A customer-facing notice ({@code handoff}, {@code cannot_help}, …) in a locale, with {ticket} filled. */
    public String notice(String key, String locale, String ticket) {
        return notices.apply(key, locale).replace("{ticket}", ticket);
    }

    /** A notice with {ticket} and the given {name} variables filled. */
    public String notice(String key, String locale, String ticket, Map<String, String> vars) {
        String text = notice(key, locale, ticket);
        for (Map.Entry<String, String> v : vars.entrySet()) {
            text = text.replace("{" + v.getKey() + "}", v.getValue());
        }
        return text;
    }
}
