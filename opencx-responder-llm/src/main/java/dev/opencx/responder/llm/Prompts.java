package dev.opencx.responder.llm;

import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.opencx.channel.ChannelCapabilities;
import dev.opencx.conversation.Author;
import dev.opencx.conversation.ChannelId;
import dev.opencx.conversation.Contact;
import dev.opencx.conversation.Identity;
import dev.opencx.conversation.Message;
import dev.opencx.conversation.Session;
import dev.opencx.knowledge.Passage;
import dev.opencx.knowledge.ScenarioMatcher;
import dev.opencx.knowledge.TrainingScenario;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** The system prompt and the trimmed history an {@link LlmResponder} sends. */
final class Prompts {
    /** Prefix of a team-approved answer's id in the context. */
    static final String SCENARIO_PREFIX = "scenario:";

    private Prompts() {}

    /**
     * A rough token count: one token per four characters, plus four per message for the role
     * markers. Good to within ~25% for English and most European languages with GPT/Claude
     * tokenizers; it is only used to trim history to a budget, never billed.
     */
    static int estimateTokens(String text) {
        return (text.codePointCount(0, text.length()) + 3) / 4 + 4;
    }

    /** The most recent messages whose estimated tokens fit the budget, oldest first; agent/system notes included as context. */
    static List<ChatMessage> history(List<Message> history, int tokenBudget) {
        List<ChatMessage> out = new ArrayList<>();
        int used = 0;
        for (int i = history.size() - 1; i >= 0; i--) {
            Message m = history.get(i);
            if (m.text().isBlank()) {
                continue;
            }
            ChatMessage cm =
                    switch (m.author()) {
                        case CUSTOMER -> UserMessage.from(m.text());
                        case AI -> AiMessage.from(m.text());
                        case AGENT -> AiMessage.from("[" + label(m) + "] " + m.text());
                        default -> null;
                    };
            if (cm == null) {
                continue;
            }
            int cost = estimateTokens(m.text());
            if (used + cost > tokenBudget) {
                break;
            }
            used += cost;
            out.add(cm);
        }
        Collections.reverse(out);
        // a conversation sent to a model should not start with the assistant
        while (!out.isEmpty() && out.get(0) instanceof AiMessage) {
            out.remove(0);
        }
        return out;
    }

    private static String label(Message m) {
        return m.author() == Author.AGENT
                ? "human agent " + m.authorId()
                : m.author().name();
    }

    /** Everything the system prompt is made of, for one turn. */
    record Input(
            String persona,
            List<TrainingScenario> rules,
            List<String> safetyRules,
            ChannelCapabilities capabilities,
            ChannelId channel,
            String locale,
            List<Passage> passages,
            int maxPassageChars,
            ScenarioMatcher.Match scenario,
            Session session,
            Contact contact,
            boolean shareIdentities,
            List<String> tools) {}

    static String system(Input in) {
        StringBuilder sb = new StringBuilder();
        sb.append(in.persona().strip()).append("\n\n");

        sb.append("# How to answer\n");
        sb.append(
                "- Answer only from the CONTEXT below (help-center passages, team-approved answers, what is known about the customer)");
        sb.append(in.tools().isEmpty() ? ".\n" : " and the results of the tools you call.\n");
        if (!in.tools().isEmpty()) {
            sb.append(
                    "- Call a tool as soon as you know its values. Do not ask the customer to confirm first: the system asks them itself before any tool that changes something runs.\n");
        }
        sb.append(
                "- If they do not contain the answer, do not guess: set needs_human to true with handoff_reason \"missing_knowledge\".\n");
        sb.append(
                "- In \"citations\", list the id (in square brackets) of every context item your answer uses. Never cite an id that is not in the context; do not mention ids in the answer.\n");
        sb.append(
                "- When a team-approved answer matches the question, give it as written (translated to the customer's language if needed).\n");
        sb.append("- Answer in the customer's language (")
                .append(in.locale())
                .append(" unless the customer writes in another).\n");
        sb.append(
                "- If answering needs an action you do not have (looking up or changing an order, an account, a payment), set needs_human with \"missing_tools\".\n");
        sb.append(
                "- If you cannot tell what the customer wants, ask one short clarifying question as your answer; if it is still unclear after that, set needs_human with \"unclear_request\".\n");
        sb.append("- If the customer asks for a person, set needs_human with \"user_request\".\n");
        sb.append("- If the message touches a prohibited topic, set needs_human with \"prohibited_topic\".\n");
        sb.append(
                "- \"confidence\" is your probability, from 0 to 1, that the answer is correct and fully supported by the context.\n\n");

        if (!in.rules().isEmpty()) {
            sb.append("# Rules from the team (always follow them)\n");
            for (TrainingScenario r : in.rules()) {
                sb.append("- ").append(oneLine(r.instruction())).append('\n');
            }
            sb.append('\n');
        }

        sb.append("# Safety\n");
        for (String rule : in.safetyRules()) {
            sb.append("- ").append(oneLine(rule)).append('\n');
        }
        sb.append('\n');

        sb.append("# Format\n").append(format(in.capabilities(), in.channel())).append("\n\n");

        sb.append("# Output\n");
        sb.append("Reply with one JSON object and nothing else:\n");
        sb.append(
                "{\"answer\": \"text for the customer\", \"citations\": [\"id\"], \"confidence\": 0.9, \"needs_human\": false, \"handoff_reason\": \"none\"}\n");
        sb.append("handoff_reason is one of: ").append(String.join(", ", AnswerParser.CATEGORIES));
        sb.append(". When needs_human is true the answer may be empty.\n\n");

        sb.append("# CONTEXT\n");
        sb.append("## Help-center passages\n");
        if (in.passages().isEmpty()) {
            sb.append("(none found for this question)\n");
        }
        for (Passage p : in.passages()) {
            sb.append('[').append(p.id()).append("] ").append(p.title());
            if (!p.heading().isBlank()) {
                sb.append(" > ").append(p.heading());
            }
            if (!p.url().isBlank()) {
                sb.append(" (").append(p.url()).append(')');
            }
            sb.append('\n').append(clip(p.text().strip(), in.maxPassageChars())).append("\n\n");
        }
        if (in.scenario() != null) {
            TrainingScenario s = in.scenario().scenario();
            sb.append("## Team-approved answer\n");
            sb.append('[')
                    .append(SCENARIO_PREFIX)
                    .append(s.id())
                    .append("] ")
                    .append(s.title())
                    .append(" (for questions like \"")
                    .append(oneLine(in.scenario().trigger()))
                    .append("\")\n")
                    .append(s.answer().strip())
                    .append("\n\n");
        }
        sb.append("## The customer\n");
        Contact c = in.contact();
        if (!c.displayName().isBlank()) {
            sb.append("- name: ").append(oneLine(c.displayName())).append('\n');
        }
        Set<String> kinds = new LinkedHashSet<>();
        for (Identity i : c.identities()) {
            if (in.shareIdentities()) {
                sb.append("- ")
                        .append(i.type().name().toLowerCase(Locale.ROOT))
                        .append(": ")
                        .append(i.value())
                        .append('\n');
            } else {
                kinds.add(i.type().name().toLowerCase(Locale.ROOT));
            }
        }
        if (!kinds.isEmpty()) {
            sb.append("- known contact details: ")
                    .append(String.join(", ", kinds))
                    .append(" (not shown)\n");
        }
        Session s = in.session();
        sb.append("- ticket ")
                .append(s.ticket())
                .append(" on the ")
                .append(s.channel().value())
                .append(" channel, language ")
                .append(in.locale())
                .append('\n');
        return sb.toString();
    }

    /** The channel's format limits in words. */
    static String format(ChannelCapabilities caps, ChannelId channel) {
        StringBuilder sb = new StringBuilder();
        if (channel.equals(ChannelId.PHONE)) {
            sb.append(
                    "Your answer is spoken aloud on a phone call: one to three short sentences, no lists, no links, no symbols, no Markdown.");
        } else if (channel.equals(ChannelId.SMS)) {
            sb.append(
                    "Your answer is sent as an SMS: plain text only (no Markdown), as short as possible, ideally under 300 characters.");
        } else if (caps.markdown()) {
            sb.append(
                    "The channel renders Markdown: use it when it helps (short lists, **bold** for key facts, [links](url)). Keep paragraphs short.");
        } else {
            sb.append(
                    "The channel shows plain text only: no Markdown (no asterisks, #, or bullet symbols); write links as bare URLs.");
        }
        sb.append(" The answer must be at most ")
                .append(Math.min(caps.maxTextLength(), 4000))
                .append(" characters.");
        return sb.toString();
    }

    static String clip(String s, int max) {
        return s.length() <= max ? s : s.substring(0, Math.max(0, max - 1)).strip() + "…";
    }

    private static String oneLine(String s) {
        return s.replaceAll("\\s+", " ").strip();
    }
}
