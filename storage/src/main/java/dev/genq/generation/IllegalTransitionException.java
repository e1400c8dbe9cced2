package dev.genq.generation;

import dev.genq.error.ErrorCode;
import dev.genq.error.GenqException;

/** A state change the state machine forbids, or one that lost a race with another writer. */
public class IllegalTransitionException extends GenqException {
    private final GenerationStatus from;
    private final GenerationStatus to;

    public IllegalTransitionException(GenerationStatus from, GenerationStatus to) {
        super(ErrorCode.INVALID_STATE, "generation cannot move from " + from + " to " + to);
        this.from = from;
        this.to = to;
    }

    public GenerationStatus from() {
        return from;
    }

    public GenerationStatus to() {
        return to;
    }
}
