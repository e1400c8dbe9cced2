// A tiny harness for the conformance scripts: named checks, each passing or failing with a reason;
// the process exits 1 when any failed, and prints every result, so the Java test shows them all.
const results = [];

export async function check(name, body) {
  try {
    await body();
    results.push(`ok ${name}`);
  } catch (e) {
    results.push(`FAIL ${name}: ${e && e.stack ? e.stack.split("\n").slice(0, 3).join(" | ") : e}`);
  }
}

export function expect(condition, message) {
  if (!condition) {
    throw new Error(message);
  }
}

/** The names a TypeScript interface in a .d.ts declares without "?": the fields an answer must carry. */
export function requiredFields(dts, name) {
  const found = dts.match(new RegExp(`interface ${name}(?: extends (\\w+))? \\{`));
  expect(found, `no interface ${name} in the client's types`);
  const start = found.index;
  let depth = 0;
  const fields = [];
  for (const line of dts.slice(start).split("\n").slice(1)) {
    const field = line.match(/^\s*(\w+)(\?)?:/);
    if (depth === 0 && field && !field[2]) {
      fields.push(field[1]);
    }
    depth += (line.match(/{/g) || []).length - (line.match(/}/g) || []).length;
    if (depth < 0) {
      break;
    }
  }
  return found[1] ? [...requiredFields(dts, found[1]), ...fields] : fields;
}

export function missing(object, fields) {
  return fields.filter((f) => !(f in object) || object[f] === undefined);
}

export function finish() {
  console.log(results.join("\n"));
  process.exit(results.some((r) => r.startsWith("FAIL")) ? 1 : 0);
}

export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
