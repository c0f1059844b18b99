package dev.opencx.knowledge;

/** How a document's body is written. */
public enum BodyFormat {
    MARKDOWN,
    HTML,
    PLAIN
}
