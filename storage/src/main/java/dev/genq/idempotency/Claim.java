package dev.genq.idempotency;

import java.util.UUID;

/** What claiming an idempotency key found. */
public sealed interface Claim {

    /** The key is this request's now; complete it in the work's transaction. */
    record Claimed(String scope, String key, UUID owner) implements Claim {
    }

    /** The key's request finished before: answer with its response again. */
    record Replay(int status, String body) implements Claim {
    }

    /** The key was used with another request body. */
    record Mismatch() implements Claim {
    }

    /** The key's first request is still being worked on. */
    record InProgress() implements Claim {
    }
}
