package dev.genq.provider;

/** A vendor task's state: still working, done with outputs, or failed for good. */
public sealed interface TaskState {

    record Running(int progressPercent) implements TaskState {
    }

    record Done(ProviderResult result) implements TaskState {
    }

    record Failed(ProviderException error) implements TaskState {
    }
}
