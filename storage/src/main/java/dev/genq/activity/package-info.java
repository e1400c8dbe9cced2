/**
 * The activity log: security-relevant events (sign-ins, key changes, top-ups, account states, admin
 * actions, exports and erasures) with who, which account, when and from where. Append-only in the
 * database itself; an erasure may only blank the source address and user agent.
 */
package dev.genq.activity;
