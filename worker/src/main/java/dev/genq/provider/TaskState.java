package dev.genq.provider;

import io.micronaut.core.annotation.Nullable;

/** A vendor task's state: still working, done with outputs, or failed for good. */
public sealed interface TaskState {

    /** Still working; {@code queuePosition} when the vendor says where in its queue the task waits. */
    record Running(int progressPercent, @Nullable Integer queuePosition) implements TaskState {
        public Running(int progressPercent) {
            this(progressPercent, null);
        }
    }

    record Done(ProviderResult result) implements TaskState {
    }

    record Failed(ProviderException error) implements TaskState {
    }
}
