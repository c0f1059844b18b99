package dev.opencx.action.openapi;

/** Why one operation cannot be mapped; caught per operation and reported, never thrown to users. */
final class SkipOperation extends RuntimeException {
    private static final long serialVersionUID = 1L;

    SkipOperation(String reason) {
        super(reason, null, false, false);
    }
}
