// URL parsing throughput, the same script under eddy, node, bun and deno (bench/url_parse.sh runs them
// side by side). A fixed corpus of ~1,000 URLs of the shapes programs parse: absolute http(s)
// with paths, queries and ports, credentials, relative references against a base, IDN hosts,
// IPv4/IPv6 literals, percent-encoding work, file:, data:, mailto: and non-special schemes.
// Prints one JSON line: URLs parsed per second (href read back), URLs parsed with every
// component read, and URLSearchParams built and serialized per second.
const runtime = globalThis.eddy ? "eddy" : globalThis.Bun ? "bun" : globalThis.Deno ? "deno" : "node";
const seconds = Number((globalThis.eddy ? eddy.args[0] : globalThis.Bun ? Bun.argv[2] :
  globalThis.Deno ? Deno.args[0] : process.argv[2]) || 1);

let seed = 12345;
const rand = (n) => {
  seed = (seed * 1103515245 + 12345) & 0x7fffffff;
  return seed % n;
};
const pick = (a) => a[rand(a.length)];

const hosts = ["example.com", "www.example.org", "api.github.com", "cdn.jsdelivr.net", "EXAMPLE.COM",
  "sub.domain.example.co.uk", "localhost", "a.b.c.d.example.net", "static.cloudflareinsights.com"];
const idn = ["münchen.de", "例え.テスト", "bücher.example", "xn--nxasmq6b.com", "faß.de", "пример.рф",
  "españa.es", "ドメイン名例.jp", "☃.net", "Ⅷ.example"];
const ips = ["127.0.0.1", "192.168.0.1", "0x7f.1", "10.0.0.255", "[::1]", "[2001:db8::1]",
  "[::ffff:192.168.1.1]", "[2001:0db8:0000:0000:0000:ff00:0042:8329]"];
const segs = ["api", "v1", "v2", "users", "items", "search", "static", "js", "css", "img", "2024",
  "index.html", "app.min.js", "style.css", "a b", "ünïcödé", "%7Euser", "..", ".", "docs", "en-US"];
const keys = ["q", "page", "id", "sort", "utm_source", "lang", "filter", "ref", "token", "x"];
const vals = ["1", "42", "hello world", "café", "a+b", "true", "desc", "%20", "foo/bar", "ok"];
const relatives = ["../img/logo.png", "./a/b?c=d", "?page=2", "#section-3", "/root/path",
  "//cdn.example.com/lib.js", "other.html", "../../up/two", "sub/dir/", "%2e%2e/x", "\\windows\\style"];

function path() {
  let p = "";
  for (let i = rand(5); i >= 0; i--) p += "/" + pick(segs);
  return p;
}
function query() {
  if (rand(3) === 0) return "";
  let q = "?";
  for (let i = rand(4); i >= 0; i--) q += (q.length > 1 ? "&" : "") + pick(keys) + "=" + pick(vals);
  return q;
}
const frag = () => (rand(5) === 0 ? "#" + pick(["top", "section-2", "a b", "x=y"]) : "");

const corpus = []; // [input, base | undefined]
const bases = ["https://example.com/dir/page.html?x=1", "http://www.example.org/a/b/c/", "file:///home/user/project/src/main.js"];
for (let i = 0; i < 1000; i++) {
  const k = rand(100);
  let u;
  if (k < 40) u = pick(["https://", "http://"]) + pick(hosts) + path() + query() + frag();
  else if (k < 48) u = "https://" + pick(hosts) + ":" + pick(["8080", "443", "3000", "80"]) + path() + query();
  else if (k < 52) u = "https://" + pick(["user", "admin", "a b"]) + ":" + pick(["pass", "", "p@ss"]) + "@" + pick(hosts) + path();
  else if (k < 72) { corpus.push([pick(relatives) + query(), pick(bases)]); continue; }
  else if (k < 80) u = "https://" + pick(idn) + path() + query();
  else if (k < 86) u = "http://" + pick(ips) + path();
  else if (k < 90) u = "file:///" + pick(["C:/", "home/", "usr/lib/"]) + pick(segs) + "/" + pick(segs);
  else if (k < 93) u = "data:text/plain;base64," + "SGVsbG8gV29ybGQ".repeat(1 + rand(3));
  else if (k < 95) u = "mailto:" + pick(["someone", "a.b"]) + "@" + pick(hosts) + "?subject=" + pick(vals);
  else u = pick(["git+ssh://git@github.com/", "ws://", "wss://", "foo://", "blob:https://"]) + pick(hosts) + path() + query();
  corpus.push([u, undefined]);
}

function parseAll() {
  let n = 0, len = 0;
  for (const [u, b] of corpus) {
    len += (b === undefined ? new URL(u) : new URL(u, b)).href.length;
    n++;
  }
  return [n, len];
}

function parseComponents() {
  let n = 0, len = 0;
  for (const [u, b] of corpus) {
    const x = b === undefined ? new URL(u) : new URL(u, b);
    len += x.protocol.length + x.host.length + x.pathname.length + x.search.length + x.hash.length;
    n++;
  }
  return [n, len];
}

function buildParams() {
  let len = 0;
  for (let i = 0; i < 100; i++) {
    const p = new URLSearchParams();
    for (let j = 0; j < 8; j++) p.append(keys[j], vals[(i + j) % vals.length]);
    p.set("page", String(i));
    len += p.toString().length;
    const u = new URL("https://example.com/search");
    u.searchParams.append("q", vals[i % vals.length]);
    u.searchParams.append("page", String(i));
    len += u.href.length;
  }
  return [100, len];
}

function rate(fn) {
  for (let i = 0; i < 5; i++) fn(); // warm-up (JIT tiers)
  let n = 0;
  const t0 = performance.now();
  let t = t0;
  while (t - t0 < seconds * 1000) {
    n += fn()[0];
    t = performance.now();
  }
  return Math.round(n / ((t - t0) / 1000));
}

const out = { runtime, corpus: corpus.length };
out.parse_per_s = rate(parseAll);
out.parse_components_per_s = rate(parseComponents);
out.search_params_per_s = rate(buildParams);
console.log(JSON.stringify(out));
