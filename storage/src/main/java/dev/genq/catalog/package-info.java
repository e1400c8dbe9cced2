/**
 * What can be generated and what it costs: models with their kind, input schema, provider route
 * and price per unit; the validation that turns a request's inputs into normalized inputs and a
 * unit count; and quotes, which fix a price for a few minutes.
 */
package dev.genq.catalog;
