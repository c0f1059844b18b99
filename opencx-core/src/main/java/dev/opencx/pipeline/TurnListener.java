package dev.opencx.pipeline;

/**
 * Hears about every completed turn: a reply sent, a handoff, a message forwarded to the team.
 * Called on the turn's thread after the outcome is stored; keep it quick and do not throw.
 */
@FunctionalInterface
public interface TurnListener {
    void onTurnCompleted(TurnResult result);
}
