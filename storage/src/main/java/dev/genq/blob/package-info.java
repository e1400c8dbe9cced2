/**
 * S3-compatible object storage, the only home of generation outputs: streaming uploads under
 * server-made keys, and short-lived presigned GET URLs so the API never proxies result bytes.
 */
package dev.genq.blob;
