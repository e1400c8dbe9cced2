// The operators' console: a person's admin key in sessionStorage (same origin only), the /admin API.
const api = path => fetch(path, {headers: {"Authorization": "Bearer " + sessionStorage.getItem("genq.admin")}}).then(async r => {
  const body = await r.json().catch(() => null);
  if (!r.ok) throw new Error(body && body.error ? `${body.error.code}: ${body.error.message}` : `HTTP ${r.status}`);
  return body;
});
const $ = id => document.getElementById(id);
const text = (el, value) => { el.textContent = value ?? ""; return el; };
const row = (...values) => {
  const tr = document.createElement("tr");
  tr.append(...values.map(v => text(document.createElement("td"), v)));
  return tr;
};

async function signIn(key) {
  sessionStorage.setItem("genq.admin", key.trim());
  await load();
}

async function load() {
  const overview = await api("/admin/v1/overview");
  $("signin-form").hidden = true;
  $("app").hidden = false;
  $("signout").hidden = false;
  const models = [...new Set([...Object.keys(overview.queuedByModel), ...Object.keys(overview.runningByModel)])].sort();
  $("work").replaceChildren(...models.map(m => row(m, overview.queuedByModel[m] ?? 0, overview.runningByModel[m] ?? 0)));
  text($("oldest"), overview.oldestQueuedAt ? new Date(overview.oldestQueuedAt).toLocaleString() : "none");
  text($("overdue"), overview.overdue);
  $("vendor-tasks").replaceChildren(...Object.entries(overview.vendorTasksByProvider).map(([p, n]) => row(p, n)));
  $("discrepancies").replaceChildren(...(overview.ledgerDiscrepancies.length ? overview.ledgerDiscrepancies : ["none"])
    .map(d => text(document.createElement("li"), d)));
  const routes = await api("/admin/v1/routes");
  $("routes").replaceChildren(...routes.map(r => row(r.model, r.provider, r.state, `${r.windowFailures} / ${r.windowCalls}`)));
}

async function search() {
  text($("search-error"), "");
  try {
    const id = $("search-id").value.trim();
    let found;
    if (id) {
      found = [await api(`/admin/v1/generations/${encodeURIComponent(id)}`)];
    } else {
      const q = new URLSearchParams();
      if ($("search-status").value) q.set("status", $("search-status").value);
      if ($("search-account").value.trim()) q.set("account", $("search-account").value.trim());
      q.set("limit", "50");
      found = (await api(`/admin/v1/generations?${q}`)).data;
    }
    $("found").replaceChildren(...found.map(g => row(new Date(g.createdAt).toLocaleString(), g.id, g.accountId, g.model, g.status,
      g.providerTaskId ? `${g.provider} ${g.providerTaskId}` : "", g.chargedCoins ?? "")));
  } catch (e) {
    text($("search-error"), e.message);
  }
}

$("signin").addEventListener("click", () => signIn($("admin-key").value).catch(e => {
  sessionStorage.removeItem("genq.admin");
  text($("signin-error"), e.message);
}));
$("signout").addEventListener("click", () => { sessionStorage.removeItem("genq.admin"); location.reload(); });
$("refresh").addEventListener("click", () => load());
$("search").addEventListener("click", search);
if (sessionStorage.getItem("genq.admin")) load().catch(() => sessionStorage.removeItem("genq.admin"));
