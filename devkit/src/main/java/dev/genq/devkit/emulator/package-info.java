/**
 * A provider emulator speaking genq's generic async protocol over real HTTP: submit a task, poll it
 * until it ends, download its outputs. Latency and faults are set per request (by
 * directives in the prompt), and it counts what it saw so tests can assert the vendor's side.
 */
package dev.genq.devkit.emulator;
