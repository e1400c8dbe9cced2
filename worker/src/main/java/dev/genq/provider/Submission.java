package dev.genq.provider;

/** A started vendor task: its id at the vendor, and its state as the submit answered it. */
public record Submission(String taskId, TaskState state) {
}
