/**
 * The one error vocabulary of genq: machine-readable codes with their HTTP status, and the exception
 * that carries a code and a human message from any layer to the API's single JSON error shape.
 */
package dev.genq.error;
