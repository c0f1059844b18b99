package dev.opencx.action.openapi;

import dev.opencx.action.ImportReport.SkipCategory;

/** Why one operation cannot be mapped; caught per operation and reported, never thrown to users. */
final class SkipOperation extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final SkipCategory category;

    SkipOperation(SkipCategory category, String reason) {
        super(reason, null, false, false);
        this.category = category;
    }

    SkipCategory category() {
        return category;
    }
}
