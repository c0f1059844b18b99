package dev.opencx.autopilot;

/** A topic and how well a text matches it, 0 to 1. */
public record TopicScore(String topic, double score) {}
