/**
 * The generic async HTTP adapter: submit a task, poll it, fetch its outputs, with every path and
 * field name configurable from the catalog route's options. Its defaults are genq's own protocol,
 * spoken by the built-in provider emulator; other settings fit vendors such as Kling or Runway.
 */
package dev.genq.provider.generic;
