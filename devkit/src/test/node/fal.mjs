// fal's official client (npm "@fal-ai/client") driving genq's fal emulator through the calls an
// integrator makes and the faults the emulator offers. Every queue status must carry what the
// client's types require (read from its own types/common.d.ts), and be what isQueueStatus accepts.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { createFalClient, isCompletedQueueStatus, isQueueStatus } from "@fal-ai/client";
import { check, expect, finish, missing, requiredFields, sleep } from "./check.mjs";

const env = process.env;
const ENDPOINT = "fal-ai/flux/dev";
const answers = []; // [url, HTTP status] of every answer the client got
const clientWith = (credentials) => createFalClient({
  credentials,
  // fal's client builds https://queue.fal.run URLs; its request middleware is the documented way to send them elsewhere.
  requestMiddleware: async (request) => ({ ...request, url: request.url.replace("https://queue.fal.run", env.BASE_URL) }),
  fetch: async (url, init) => {
    const response = await fetch(url, init);
    answers.push([String(url), response.status]);
    return response;
  },
});
const fal = clientWith(env.KEY);
const entry = createRequire(import.meta.url).resolve("@fal-ai/client");
const dts = readFileSync(join(dirname(entry), "types", "common.d.ts"), "utf8");
const REQUIRED = {
  IN_QUEUE: requiredFields(dts, "InQueueQueueStatus"),
  IN_PROGRESS: requiredFields(dts, "InProgressQueueStatus"),
  COMPLETED: requiredFields(dts, "CompletedQueueStatus"),
};
const marker = () => Math.random().toString(36).slice(2);

function typed(status, where) {
  expect(isQueueStatus(status), `${where}: isQueueStatus is false on ${JSON.stringify(status)}`);
  const fields = REQUIRED[status.status];
  expect(fields, `${where}: status ${status.status} is none the client's types name`);
  const absent = missing(status, fields);
  expect(absent.length === 0, `${where}: ${status.status} lacks ${absent.join(", ")} (the client's types require them)`);
}

async function refusal(call) {
  try {
    await call();
  } catch (e) {
    return e;
  }
  throw new Error("expected a refusal");
}

await check("a submit is IN_QUEUE with its request id and URLs; statuses are typed, 202 until COMPLETED, logs when asked", async () => {
  const queued = await fal.queue.submit(ENDPOINT, { input: { prompt: `a fox ${marker()} [latency=400]` } });
  typed(queued, "submit");
  expect(queued.status === "IN_QUEUE" && typeof queued.queue_position === "number", `submit: ${JSON.stringify(queued)}`);
  const seen = new Set();
  let status;
  do {
    status = await fal.queue.status(ENDPOINT, { requestId: queued.request_id, logs: true });
    typed(status, "status");
    expect(status.request_id === queued.request_id, "the status names its request");
    seen.add(status.status);
    const [url, code] = answers[answers.length - 1];
    expect(url.includes("/status") && code === (status.status === "COMPLETED" ? 200 : 202), `${status.status} answered ${code}`);
    await sleep(30);
  } while (status.status !== "COMPLETED");
  expect(seen.has("IN_PROGRESS") && isCompletedQueueStatus(status), `went through ${[...seen]}`);
  expect(status.logs.length > 0 && status.logs[0].message && status.metrics, "logs (asked for) and metrics");
  const result = await fal.queue.result(ENDPOINT, { requestId: queued.request_id });
  expect(result.requestId === queued.request_id && result.data.images.length === 1, `result ${JSON.stringify(result)}`);
  const file = await fetch(result.data.images[0].url);
  expect(file.headers.get("content-type") === result.data.images[0].content_type, "the file is of the type the result names");
});

await check("subscribe() polls to the result", async () => {
  const updates = [];
  const result = await fal.subscribe(ENDPOINT, { input: { prompt: `subscribe ${marker()} [latency=200]` }, logs: true, pollInterval: 50,
    onQueueUpdate: (u) => updates.push(u.status) });
  expect(result.data.images[0].url.startsWith("http") && updates.includes("COMPLETED"), `updates ${updates}`);
});

await check("a failed request's result is a ValidationError with typed details", async () => {
  const queued = await fal.queue.submit(ENDPOINT, { input: { prompt: `fail ${marker()} [fail] [latency=50]` } });
  await sleep(120);
  const error = await refusal(() => fal.queue.result(ENDPOINT, { requestId: queued.request_id }));
  expect(error.name === "ValidationError" && error.status === 422, `got ${error}`);
  expect(error.body.detail[0].type && error.body.detail[0].msg, `detail ${JSON.stringify(error.body)}`);
});

await check("a cancelled request completes, and its result says it was cancelled", async () => {
  const queued = await fal.queue.submit(ENDPOINT, { input: { prompt: `cancel ${marker()} [latency=2000]` } });
  await fal.queue.cancel(ENDPOINT, { requestId: queued.request_id });
  const status = await fal.queue.status(ENDPOINT, { requestId: queued.request_id });
  typed(status, "cancelled");
  expect(status.status === "COMPLETED", `status ${status.status}`);
  const error = await refusal(() => fal.queue.result(ENDPOINT, { requestId: queued.request_id }));
  expect(error.name === "ApiError" && error.body.error_type === "client_cancelled", `got ${error} ${JSON.stringify(error.body)}`);
});

await check("an unknown endpoint, an unknown request and a wrong key are refused", async () => {
  const unknown = await refusal(() => fal.queue.submit("fal-ai/no-such-model", { input: { prompt: "x" } }));
  expect(unknown.status === 404, `unknown endpoint: ${unknown}`);
  const lost = await refusal(() => fal.queue.status(ENDPOINT, { requestId: "00000000-0000-0000-0000-000000000000" }));
  expect(lost.status === 404, `unknown request: ${lost}`);
  const stranger = await refusal(() => clientWith("key-unknown").queue.submit(ENDPOINT, { input: { prompt: "who" } }));
  expect(stranger.status === 401, `wrong key: ${stranger}`);
});

await check("throttling is retried by the client", async () => {
  const queued = await fal.queue.submit(ENDPOINT, { input: { prompt: `throttle ${env.THROTTLE_MARKER} [throttle=1]` } });
  typed(queued, "after a 429");
});

finish();
