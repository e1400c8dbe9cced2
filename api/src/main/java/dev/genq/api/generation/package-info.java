/** /v1/generations: submit (price, reserve, enqueue), status with presigned output URLs, history, cancel. */
package dev.genq.api.generation;
