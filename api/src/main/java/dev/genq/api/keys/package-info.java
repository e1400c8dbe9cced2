/**
 * What an account manages itself: its API keys (/v1/keys: make, list with last use, revoke, rotate
 * with an overlap) and the short-lived browser tokens made from a key (/v1/tokens); and the
 * people's admin keys (/admin/v1/keys).
 */
package dev.genq.api.keys;
