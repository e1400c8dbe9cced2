/**
 * The SMM panel API v2 that upstream reseller panels speak: form-encoded {@code action=add|status|
 * cancel|balance}; orders end Completed, Partial (with {@code remains}) or Canceled.
 */
package dev.genq.provider.smm;
