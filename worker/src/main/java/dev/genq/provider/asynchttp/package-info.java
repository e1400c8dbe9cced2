/**
 * The generic async HTTP wire format (submit a task, poll it, fetch its outputs), spoken by the
 * built-in provider emulator and by vendors that follow the same shape.
 */
package dev.genq.provider.asynchttp;
