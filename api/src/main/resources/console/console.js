// The customer console: a browser token in sessionStorage, the /v1 API, live status over SSE.
const api = (path, options = {}) => fetch(path, {
  ...options,
  headers: {"Authorization": "Bearer " + sessionStorage.getItem("genq.token"), "Content-Type": "application/json",
    ...(options.headers || {})},
}).then(async r => {
  const body = r.status === 204 ? null : await r.json().catch(() => null);
  if (!r.ok) throw new Error(body && body.error ? `${body.error.code}: ${body.error.message}` : `HTTP ${r.status}`);
  return body;
});
const $ = id => document.getElementById(id);
const text = (el, value) => { el.textContent = value ?? ""; return el; };
const cell = value => text(document.createElement("td"), value);
let quote = null;
let events = null;

async function signIn(secret) {
  let token = secret.trim();
  if (token.startsWith("gq_")) { // a key: make a browser token with it, and forget the key
    const made = await fetch("/v1/tokens", {method: "POST", headers: {"Authorization": "Bearer " + token,
      "Content-Type": "application/json"}, body: JSON.stringify({scopes: ["read", "submit"], ttlSeconds: 900})});
    const body = await made.json();
    if (!made.ok) throw new Error(body.error ? body.error.message : "could not sign in");
    token = body.token;
  }
  sessionStorage.setItem("genq.token", token);
  await api("/v1/wallet");
  showApp();
}

async function showApp() {
  $("signin-form").hidden = true;
  $("app").hidden = false;
  $("signout").hidden = false;
  await Promise.all([loadWallet(), loadModels(), loadHistory()]);
}

async function loadWallet() {
  const w = await api("/v1/wallet");
  text($("balance"), w.balanceCoins);
  text($("reserved"), w.reservedCoins);
  const lines = await api("/v1/wallet/transactions?limit=20");
  $("transactions").replaceChildren(...lines.data.map(l => {
    const row = document.createElement("tr");
    row.append(cell(new Date(l.createdAt).toLocaleString()), cell(l.type), cell(l.amountCoins), cell(l.balanceEffectCoins),
      cell(l.generationId || l.paymentRef || ""));
    return row;
  }));
}

async function loadModels() {
  const models = await api("/v1/models");
  $("model").replaceChildren(...models.data.map(m => {
    const option = text(document.createElement("option"), `${m.id} (${m.kind}, ${m.coinsPerUnit} coins a unit)`);
    option.value = m.id;
    return option;
  }));
}

async function loadHistory() {
  const page = await api("/v1/generations?limit=10");
  $("history").replaceChildren(...page.data.map(g => {
    const row = document.createElement("tr");
    row.append(cell(new Date(g.createdAt).toLocaleString()), cell(g.model), cell(g.status), cell(g.chargedCoins ?? g.priceCoins), cell(g.id));
    return row;
  }));
}

async function getQuote() {
  $("start").disabled = true;
  text($("submit-error"), "");
  try {
    quote = await api("/v1/quotes", {method: "POST", body: JSON.stringify({model: $("model").value, inputs: {prompt: $("prompt").value}})});
    text($("price"), `${quote.priceCoins} coins`);
    text($("quote-expiry"), `(held until ${new Date(quote.expiresAt).toLocaleTimeString()})`);
    $("start").disabled = false;
  } catch (e) {
    text($("submit-error"), e.message);
  }
}

async function start() {
  $("start").disabled = true;
  try {
    const g = await api("/v1/generations", {method: "POST", headers: {"Idempotency-Key": crypto.randomUUID()},
      body: JSON.stringify({model: quote.model, inputs: quote.inputs, quoteId: quote.id})});
    follow(g);
    loadWallet();
  } catch (e) {
    text($("submit-error"), e.message);
  }
}

function show(g) {
  text($("generation-id"), g.id);
  text($("status"), g.status);
  text($("progress"), g.progress);
  $("bar").value = g.status === "SUCCEEDED" ? 100 : g.progress;
  const q = g.queue;
  text($("queue"), !q ? "" : [q.position != null ? `${q.position} ahead` : null,
    q.vendorPosition != null ? `${q.vendorPosition} ahead at the vendor` : null,
    q.estimatedFinishAt ? `done about ${new Date(q.estimatedFinishAt).toLocaleTimeString()}` : null].filter(Boolean).join(", "));
  if (g.status === "SUCCEEDED" || g.status === "CANCELLED") {
    $("result").replaceChildren(...g.outputs.map(o => {
      const link = document.createElement("a");
      link.href = o.url;
      link.target = "_blank";
      link.className = "output";
      if (o.contentType.startsWith("image/")) {
        const img = document.createElement("img");
        img.src = o.url;
        img.alt = `output ${o.index}`;
        link.append(img);
      } else {
        text(link, `output ${o.index} (${o.contentType}, ${o.sizeBytes} bytes)`);
      }
      return link;
    }));
  } else if (g.status === "FAILED") {
    text($("result"), g.error ? `${g.error.code}: ${g.error.message}` : "failed");
  }
}

function follow(g) {
  $("live").hidden = false;
  $("result").replaceChildren();
  show(g);
  if (events) events.close();
  // EventSource sends no headers: the browser token goes in the URL (never an API key)
  events = new EventSource(`/v1/generations/${g.id}/events?access_token=${encodeURIComponent(sessionStorage.getItem("genq.token"))}`);
  events.addEventListener("status", e => {
    const now = JSON.parse(e.data);
    show(now);
    if (["SUCCEEDED", "FAILED", "CANCELLED"].includes(now.status)) {
      events.close();
      loadWallet();
      loadHistory();
    }
  });
}

$("signin").addEventListener("click", () => signIn($("token").value).catch(e => text($("signin-error"), e.message)));
$("signout").addEventListener("click", () => { sessionStorage.removeItem("genq.token"); location.reload(); });
$("refresh").addEventListener("click", () => loadWallet());
$("quote").addEventListener("click", getQuote);
$("start").addEventListener("click", start);
$("model").addEventListener("change", () => { $("start").disabled = true; text($("price"), "–"); });
if (sessionStorage.getItem("genq.token")) showApp().catch(() => sessionStorage.removeItem("genq.token"));
