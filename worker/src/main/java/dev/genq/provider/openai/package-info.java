/**
 * OpenAI Images: {@code POST /v1/images/generations}, answered synchronously with {@code b64_json}
 * or {@code url} data, and errors as {@code {"error":{"message","type","param","code"}}}.
 */
package dev.genq.provider.openai;
