/**
 * The account its owner sees: its name and contact fields (rectifiable), its activity, its export
 * and its erasure. Admins reach the same operations for an account under /admin/v1/accounts.
 */
package dev.genq.api.account;
