// Verifies one webhook as a customer's receiver would, with the official Standard Webhooks library.
// Input (environment): SECRET, and the files BODY_FILE and HEADERS_FILE (JSON of the request's headers).
// Prints "verified <type>" and exits 0, or prints why not and exits 1.
import { readFileSync } from "node:fs";
import { Webhook } from "standardwebhooks";

const body = readFileSync(process.env.BODY_FILE, "utf8");
const headers = JSON.parse(readFileSync(process.env.HEADERS_FILE, "utf8"));
try {
  const event = new Webhook(process.env.SECRET).verify(body, headers);
  console.log(`verified ${event.type}`);
} catch (e) {
  console.log(`not verified: ${e.message}`);
  process.exit(1);
}
