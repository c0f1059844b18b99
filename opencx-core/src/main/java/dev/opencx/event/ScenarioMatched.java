package dev.opencx.event;

/** A SCENARIO_SPECIFIC training scenario matched the customer's question. */
public record ScenarioMatched(String scenarioId, String title, double similarity, double threshold)
        implements CoreEvent {}
