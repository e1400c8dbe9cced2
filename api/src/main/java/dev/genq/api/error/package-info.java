/** The single error shape {"error":{"code","message"}} for genq's errors and the framework's alike. */
package dev.genq.api.error;
