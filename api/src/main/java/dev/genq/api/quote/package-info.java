/** /v1/quotes: a price for a model and inputs, binding until it expires. */
package dev.genq.api.quote;
