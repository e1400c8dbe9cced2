/**
 * What the API writes to the activity log: sign-ins (a key or token first seen from an address and
 * user agent within the hour), the routes marked {@link dev.genq.api.activity.Audited}, and every
 * admin action.
 */
package dev.genq.api.activity;
