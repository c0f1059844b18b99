package dev.opencx.knowledge;

import java.util.List;
import java.util.Objects;

/**
 * A rule or an exact answer the team trained the AI with.
 *
 * <ul>
 *   <li>{@link Kind#BEHAVIORAL}: an always-active rule of tone or conduct ({@code instruction}),
 *       given to LLM responders.
 *   <li>{@link Kind#SCENARIO_SPECIFIC}: an exact {@code answer} sent when the customer's question
 *       matches one of the {@code triggers} closely enough.
 * </ul>
 *
 * @param id stable id
 * @param kind behavioural rule or exact answer
 * @param title short name shown in inspect mode
 * @param triggers example questions that trigger it (SCENARIO_SPECIFIC: at least one)
 * @param answer the exact answer (SCENARIO_SPECIFIC), empty otherwise
 * @param instruction the rule (BEHAVIORAL), empty otherwise
 * @param locale BCP 47 tag of the triggers and answer
 */
public record TrainingScenario(
        String id, Kind kind, String title, List<String> triggers, String answer, String instruction, String locale) {

    /** The two kinds of scenario. */
    public enum Kind {
        BEHAVIORAL,
        SCENARIO_SPECIFIC
    }

    public TrainingScenario {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(kind, "kind");
        title = title == null ? id : title;
        triggers = triggers == null ? List.of() : List.copyOf(triggers);
        answer = answer == null ? "" : answer;
        instruction = instruction == null ? "" : instruction;
        locale = locale == null || locale.isBlank() ? "en" : locale;
        if (kind == Kind.SCENARIO_SPECIFIC && (triggers.isEmpty() || answer.isBlank())) {
            throw new IllegalArgumentException(
                    "scenario '" + id + "' is SCENARIO_SPECIFIC: it needs triggers and an answer");
        }
        if (kind == Kind.BEHAVIORAL && instruction.isBlank()) {
            throw new IllegalArgumentException("scenario '" + id + "' is BEHAVIORAL: it needs an instruction");
        }
    }

    public static TrainingScenario exactAnswer(String id, String answer, String... triggers) {
        return new TrainingScenario(id, Kind.SCENARIO_SPECIFIC, id, List.of(triggers), answer, "", "en");
    }

    public static TrainingScenario rule(String id, String instruction) {
        return new TrainingScenario(id, Kind.BEHAVIORAL, id, List.of(), "", instruction, "en");
    }
}
