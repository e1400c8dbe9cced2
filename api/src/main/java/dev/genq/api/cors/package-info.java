/**
 * Cross-origin access for the browser pages of configured sites: /v1 only (the admin API and its
 * console are same-origin), Bearer tokens only (no cookies, so no credentials mode).
 */
package dev.genq.api.cors;
