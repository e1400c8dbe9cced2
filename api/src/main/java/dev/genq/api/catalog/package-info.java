/** /v1/models: the catalog as clients see it: kinds, input schemas and prices. */
package dev.genq.api.catalog;
