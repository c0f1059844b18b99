package dev.opencx.responder;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.opencx.action.Action;
import dev.opencx.action.ActionParameter;
import dev.opencx.action.ActionRegistry;
import dev.opencx.action.ActionResult;
import dev.opencx.action.PendingAction;
import dev.opencx.action.SlotExtractor;
import dev.opencx.action.TurnActions;
import dev.opencx.autopilot.EmbeddingTopicClassifier;
import dev.opencx.autopilot.Topic;
import dev.opencx.autopilot.TopicClassification;
import dev.opencx.conversation.Author;
import dev.opencx.conversation.Message;
import dev.opencx.event.ActionAnswered;
import dev.opencx.handoff.HandoffReason;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The embedded responder's actions: which action a message asks for (a few-shot classifier over
 * each action's description and example utterances), its parameters filled from the message
 * ({@link SlotExtractor}), a question for each missing required value (answered in the next
 * message), the confirmation when the action requires one, then the call and the reply from the
 * action's template. Immutable and thread-safe.
 */
final class ActionIntents {
    private static final int CARRY_OVER_MESSAGES = 3;
    private static final java.util.regex.Pattern VALUES =
            java.util.regex.Pattern.compile("\\[[A-Z_]+_\\d+]|\\S+@\\S+|#?[\\p{L}\\-_/]*\\d[\\p{L}\\d\\-_/.,:]*");
    private final EmbeddingTopicClassifier classifier;

    ActionIntents(ActionRegistry actions, EmbeddingModel model, double threshold) {
        List<Topic> topics = new ArrayList<>();
        for (Action a : actions.all()) {
            if (a.settings().hidden()) {
                continue;
            }
            String description = a.description().equals(a.method() + " " + a.pathTemplate())
                    ? a.name().replace('_', ' ')
                    : a.description();
            List<String> examples = a.settings().examples().stream()
                    .map(ActionIntents::withoutValues)
                    .filter(e -> !e.isBlank())
                    .toList();
            topics.add(new Topic(a.name(), description, examples));
        }
        this.classifier = topics.isEmpty()
                ? null
                : EmbeddingTopicClassifier.builder(model)
                        .addTopics(topics)
                        .threshold(threshold)
                        .build();
    }

    /**
     * The reply when the message asks for an action (or answers one's question); empty otherwise.
     * The intent scores go into {@code ev} either way, for inspect mode.
     */
    Optional<Reply> respond(ResponderRequest req, Map<String, Object> ev) {
        TurnActions turn = req.actions();
        if (classifier == null || turn.offered().isEmpty()) {
            return Optional.empty();
        }
        String text = req.message().text();
        Optional<PendingAction> pending = turn.pending();
        if (pending.isPresent()) {
            Optional<Reply> answered = continuePending(req, pending.get(), ev);
            if (answered.isPresent()) {
                return answered;
            }
        }
        TopicClassification c = classifier.classify(withoutValues(text));
        ev.put("action_intent", c.topic());
        ev.put("action_intent_threshold", c.threshold());
        c.best().ifPresent(best -> {
            ev.put("action_intent_best", best.topic());
            ev.put("action_intent_score", round(best.score()));
        });
        if (c.isNone()) {
            return Optional.empty();
        }
        Optional<Action> action = turn.offered().get(c.topic());
        if (action.isEmpty()) {
            ev.put("action_intent", "");
            ev.put("action_not_offered", c.topic()); // known, but not for this channel or contact
            return Optional.empty();
        }
        Action a = action.get();
        ObjectNode args = SlotExtractor.extract(a, names(a), text, false);
        carryOver(req, a, args, ev);
        return Optional.of(proceed(req, a, args, ev, "action " + a.name() + " matched (" + c.explain() + ")"));
    }

    /**
     * Fills what the message leaves out ("cancel it") from the customer's last few messages ("where
     * is my order 1042?"), newest first; typed values only, never free text. A write action is
     * still confirmed with these values shown, so a wrong guess is caught by the customer.
     */
    private static void carryOver(ResponderRequest req, Action a, ObjectNode args, Map<String, Object> ev) {
        List<String> missing = missing(a, args);
        if (missing.isEmpty()) {
            return;
        }
        List<String> carried = new ArrayList<>();
        int seen = 0;
        List<Message> history = req.history();
        for (int i = history.size() - 1; i >= 0 && seen < CARRY_OVER_MESSAGES && !missing.isEmpty(); i--) {
            Message m = history.get(i);
            if (m.author() != Author.CUSTOMER) {
                continue;
            }
            seen++;
            ObjectNode found = SlotExtractor.extract(a, missing, m.text(), false);
            found.fieldNames().forEachRemaining(carried::add);
            args.setAll(found);
            missing = missing(a, args);
        }
        if (!carried.isEmpty()) {
            ev.put("carried_over", carried);
        }
    }

    /** Takes the values the previous reply asked for; empty when the message does not give them. */
    private Optional<Reply> continuePending(ResponderRequest req, PendingAction p, Map<String, Object> ev) {
        TurnActions turn = req.actions();
        Optional<Action> action = turn.offered().get(p.action());
        ev.put("pending_action", p.action());
        ev.put("asked_for", p.missing());
        if (action.isEmpty()) {
            req.log().accept(new ActionAnswered(p.id(), p.action(), "dropped", "the action is no longer offered", ev));
            return Optional.empty();
        }
        Action a = action.get();
        ObjectNode given = SlotExtractor.extract(
                a, p.missing(), req.message().text(), p.missing().size() == 1);
        if (given.isEmpty()) {
            req.log()
                    .accept(new ActionAnswered(
                            p.id(), p.action(), "dropped", "the message gives none of the values asked for", ev));
            return Optional.empty();
        }
        ObjectNode args = p.parsedArguments();
        args.setAll(given);
        List<String> filled = new ArrayList<>();
        given.fieldNames().forEachRemaining(filled::add);
        ev.put("filled", filled);
        req.log().accept(new ActionAnswered(p.id(), p.action(), "values", "values given: " + filled, ev));
        return Optional.of(proceed(req, a, args, ev, "values for pending action " + a.name() + ": " + filled));
    }

    /** Asks for what is missing, proposes when confirmation is required, else calls and replies. */
    private Reply proceed(ResponderRequest req, Action a, ObjectNode args, Map<String, Object> ev, String why) {
        TurnActions turn = req.actions();
        List<String> missing = missing(a, args);
        List<String> refused = new ArrayList<>();
        if (missing.isEmpty()) {
            // a value the schema refuses (40 where at most 10 are allowed) is asked for again
            for (String problem : turn.check(a, args)) {
                for (String name : names(a)) {
                    if (problem.startsWith(name + " ") && args.has(name)) {
                        args.remove(name);
                        missing.add(name);
                        refused.add(problem);
                    }
                }
            }
            if (missing.isEmpty() && !turn.check(a, args).isEmpty()) {
                ev.put("problems", turn.check(a, args));
                return Reply.noAnswer(
                        HandoffReason.MISSING_ACTION, why + "; the call cannot be made: " + turn.check(a, args), ev);
            }
        }
        if (!missing.isEmpty()) {
            ev.put("missing", missing);
            String question = turn.propose(a, args, missing);
            if (!refused.isEmpty()) {
                ev.put("refused", refused);
                question = capitalize(String.join("; ", refused)) + ". " + question;
            }
            return Reply.answer(question, 0.9, List.of(), why + "; asking for " + missing.get(0), ev);
        }
        if (a.requiresConfirmation()) {
            return Reply.answer(
                    turn.propose(a, args, List.of()), 0.9, List.of(), why + "; asking the customer to confirm", ev);
        }
        ActionResult result = turn.call(a, args, "embedded");
        Reply r = turn.reply(a, args, result);
        Map<String, Object> merged = new LinkedHashMap<>(ev);
        merged.putAll(r.evidence());
        return new Reply(r.text(), r.confidence(), r.citations(), r.handoff(), why + "; " + r.explanation(), merged);
    }

    /** The parameters the conversation may fill: not contact-bound. */
    private static List<String> names(Action a) {
        return a.parameters().stream()
                .filter(p -> !p.isContactBound())
                .map(ActionParameter::name)
                .toList();
    }

    /** Required parameters without a value, in the action's order. */
    private static List<String> missing(Action a, ObjectNode args) {
        List<String> out = new ArrayList<>();
        for (ActionParameter p : a.parameters()) {
            JsonNode v = args.get(p.name());
            if (p.required() && !p.isContactBound() && (v == null || v.isNull())) {
                out.add(p.name());
            }
        }
        return out;
    }

    /**
     * The message without its values (numbers, ids, e-mails, PII placeholders): "change my order
     * 1042 to 40" and "change my order" mean the same action, and the values would only pull the
     * similarity down.
     */
    static String withoutValues(String text) {
        return VALUES.matcher(text).replaceAll(" ").replaceAll("\\s+", " ").strip();
    }

    private static String capitalize(String s) {
        return s.isEmpty() ? s : Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }

    private static double round(double v) {
        return Math.round(v * 1000) / 1000.0;
    }

    @Override
    public String toString() {
        return "ActionIntents[" + (classifier == null ? "none" : classifier.topicNames()) + "]";
    }
}
