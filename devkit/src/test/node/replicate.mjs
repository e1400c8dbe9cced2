// Replicate's official client (npm "replicate") driving genq's Replicate emulator through the calls an
// integrator makes and the faults the emulator offers. Every prediction must carry what the client's
// types require (read from its own index.d.ts), and every webhook must pass its validateWebhook.
import { readFileSync } from "node:fs";
import { createServer } from "node:http";
import { createRequire } from "node:module";
import Replicate from "replicate";
import { check, expect, finish, missing, requiredFields, sleep } from "./check.mjs";

const { validateWebhook } = Replicate;
const env = process.env;
const replicate = new Replicate({ auth: env.KEY, baseUrl: `${env.BASE_URL}/v1`, useFileOutput: false });
const dts = readFileSync(createRequire(import.meta.url).resolve("replicate/index.d.ts"), "utf8");
const required = requiredFields(dts, "Prediction");
const MODEL = "black-forest-labs/flux-schnell";
const ENDED = new Set(["succeeded", "failed", "canceled", "aborted"]);
const marker = () => Math.random().toString(36).slice(2);

/** Waits as the client does, but also stops on statuses its wait() does not know as final (aborted). */
async function ended(prediction) {
  return replicate.wait(prediction, { interval: 50 }, (p) => ENDED.has(p.status));
}

function typed(p, where) {
  const absent = missing(p, required);
  expect(absent.length === 0, `${where}: the prediction lacks ${absent.join(", ")} (the client's types require them)`);
  expect(typeof p.urls.get === "string" && typeof p.urls.cancel === "string", `${where}: urls.get and urls.cancel`);
  expect(p.source === "api" && p.data_removed === false, `${where}: source and data_removed`);
}

// A receiver for webhooks, as an integrator runs one.
const deliveries = [];
const receiver = createServer((req, res) => {
  let body = "";
  req.on("data", (chunk) => (body += chunk));
  req.on("end", () => {
    deliveries.push({ headers: req.headers, body });
    res.writeHead(204).end();
  });
});
await new Promise((resolve) => receiver.listen(0, "127.0.0.1", resolve));
const webhook = `http://127.0.0.1:${receiver.address().port}/replicate`;

await check("a model's prediction carries every field the client's types require, its input as sent", async () => {
  const input = { prompt: `a fox ${marker()} [latency=200]`, num_outputs: 2, guidance: 3.5, nested: { a: [1, 2] } };
  const created = await replicate.predictions.create({ model: MODEL, input });
  typed(created, "created");
  expect(created.status === "starting", `a new prediction is starting, not ${created.status}`);
  expect(created.model === MODEL, `model ${created.model}`);
  expect(JSON.stringify(created.input) === JSON.stringify(input), `input echoed as ${JSON.stringify(created.input)}`);
  const done = await ended(created);
  typed(done, "succeeded");
  expect(done.status === "succeeded", `status ${done.status}`);
  expect(Array.isArray(done.output) && done.output.length === 2, `two image URLs, got ${JSON.stringify(done.output)}`);
  expect(done.started_at && done.completed_at && done.metrics && done.metrics.predict_time >= 0, "started_at, completed_at, metrics");
  await sleep(30);
  const again = await replicate.predictions.get(done.id);
  expect(again.completed_at === done.completed_at, "completed_at does not move once ended");
  const file = await fetch(done.output[0]);
  const bytes = new Uint8Array(await file.arrayBuffer());
  expect(file.headers.get("content-type") === "image/png" && bytes[1] === 0x50 && bytes[2] === 0x4e, "the output is a PNG");
});

await check("run() returns the output", async () => {
  const output = await replicate.run(MODEL, { input: { prompt: `run ${marker()} [latency=50]` }, wait: { mode: "poll", interval: 50 } });
  expect(Array.isArray(output) && output[0].startsWith("http"), `output ${JSON.stringify(output)}`);
});

await check("a pinned version names its model; an unknown version is refused", async () => {
  const created = await replicate.predictions.create({ version: env.VERSION_ID, input: { prompt: `pinned ${marker()}` } });
  typed(created, "pinned");
  expect(created.model === env.VERSION_MODEL && created.version === env.VERSION_ID, `model ${created.model}, version ${created.version}`);
  let error;
  try {
    await replicate.predictions.create({ version: "0".repeat(64), input: { prompt: "nobody" } });
  } catch (e) {
    error = e;
  }
  expect(error && error.response && error.response.status === 422, `422 for an unknown version, got ${error}`);
});

await check("a cancelled prediction stays cancelled, however often and late it is asked", async () => {
  const created = await replicate.predictions.create({ model: MODEL, input: { prompt: `cancel ${marker()} [latency=300]` } });
  const cancelled = await replicate.predictions.cancel(created.id);
  typed(cancelled, "cancelled");
  expect(cancelled.status === "canceled", `status ${cancelled.status}`);
  await sleep(400);
  const again = await replicate.predictions.cancel(created.id);
  const read = await replicate.predictions.get(created.id);
  expect(again.status === "canceled" && read.status === "canceled" && read.output === null, `then ${again.status} / ${read.status}`);
  expect(read.completed_at === cancelled.completed_at, "completed_at fixed at the cancel");
});

await check("failed and aborted predictions end as the client's types name them", async () => {
  const doomed = await replicate.predictions.create({ model: MODEL, input: { prompt: `fail ${marker()} [fail] [latency=50]` } });
  const thrown = await ended(doomed).then(() => null, (e) => e); // the client's wait() throws on a failed prediction
  expect(thrown && /Prediction failed/.test(thrown.message), `wait() on a failed prediction: ${thrown}`);
  const failed = await replicate.predictions.get(doomed.id);
  expect(failed.status === "failed" && typeof failed.error === "string", `failed: ${failed.status} ${failed.error}`);
  const aborted = await ended(await replicate.predictions.create({ model: MODEL, input: { prompt: `abort ${marker()} [aborted] [latency=50]` } }));
  typed(aborted, "aborted");
  expect(aborted.status === "aborted" && !aborted.started_at, `aborted: ${aborted.status}, started_at ${aborted.started_at}`);
});

await check("throttling is retried by the client; refusals and a wrong key are ApiErrors", async () => {
  const throttled = await replicate.predictions.create({ model: MODEL, input: { prompt: `throttle ${env.THROTTLE_MARKER} [throttle=1]` } });
  typed(throttled, "after a 429");
  for (const [prompt, status, auth] of [[`reject ${marker()} [reject]`, 400, env.KEY], [`who ${marker()}`, 401, "r8_unknown"]]) {
    let error;
    try {
      await new Replicate({ auth, baseUrl: `${env.BASE_URL}/v1` }).predictions.create({ model: MODEL, input: { prompt } });
    } catch (e) {
      error = e;
    }
    expect(error && error.name === "ApiError" && error.response.status === status, `${status} expected, got ${error}`);
  }
});

await check("webhooks for start, logs, output and completed pass validateWebhook; a forged one does not", async () => {
  const created = await replicate.predictions.create({
    model: MODEL, input: { prompt: `hooks ${marker()} [latency=200]` }, webhook,
    webhook_events_filter: ["start", "logs", "output", "completed"],
  });
  const forged = await replicate.predictions.create({ model: MODEL, input: { prompt: `forged ${marker()} [latency=50] [webhook-badsig]` }, webhook,
    webhook_events_filter: ["completed"] });
  const deadline = Date.now() + 5000;
  const mine = (id) => deliveries.filter((d) => JSON.parse(d.body).id === id);
  while ((mine(created.id).length < 4 || mine(forged.id).length < 1) && Date.now() < deadline) {
    await sleep(50);
  }
  const events = mine(created.id);
  expect(events.length === 4, `4 deliveries, got ${events.length}`);
  for (const d of events) {
    const valid = await validateWebhook({ id: d.headers["webhook-id"], timestamp: d.headers["webhook-timestamp"],
      signature: d.headers["webhook-signature"], body: d.body, secret: env.WEBHOOK_SECRET });
    expect(valid === true, `a delivery failed validateWebhook: ${d.body.slice(0, 80)}`);
    typed(JSON.parse(d.body), "webhook body");
  }
  const statuses = events.map((d) => JSON.parse(d.body).status);
  expect(statuses[0] === "starting" && statuses[statuses.length - 1] === "succeeded", `statuses in order: ${statuses}`);
  const bad = mine(forged.id)[0];
  const forgedValid = await validateWebhook({ id: bad.headers["webhook-id"], timestamp: bad.headers["webhook-timestamp"],
    signature: bad.headers["webhook-signature"], body: bad.body, secret: env.WEBHOOK_SECRET });
  expect(forgedValid === false, "a delivery signed with another secret is refused");
});

receiver.close();
finish();
