package dev.genq.generation;

/**
 * A status change that {@link GenerationStatus} allows, checked when it is made. Statements that
 * change the status of many rows at once bind theirs from one of these, so no SQL names a status
 * the state machine has not approved.
 */
record Transition(GenerationStatus from, GenerationStatus to) {
    Transition {
        if (!from.canMoveTo(to)) {
            throw new IllegalTransitionException(from, to);
        }
    }
}
