/**
 * The single error shape {"error":{"code","message"}} for genq's errors and the framework's alike,
 * on every role's HTTP server (the worker's webhooks and every role's health answer the same way),
 * so this package is not gated to the api role.
 */
package dev.genq.http;
