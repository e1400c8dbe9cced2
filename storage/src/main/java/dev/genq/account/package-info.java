/**
 * Accounts and their API keys. Keys are random, shown once, and stored as SHA-256 digests; an
 * in-process cache keeps the key → account lookup off PostgreSQL for hot paths such as status polls.
 */
package dev.genq.account;
