// Search of the static knowledge-base site. The index is split into small
// scripts under search/ (see site/sitesearch/doc.go); a query loads only the
// shards of its terms and the documents it shows. The tokenizer, stemmer,
// hash and ranking are those of package sitesearch (Go), step for step.
(() => {
  "use strict";
  const doc = document, me = doc.currentScript;
  const BASE = 45, LEVELS = 4, TITLE_LEVELS = 4, K1 = 1.2, MAX_TERM = 64;
  const TITLE_BOOST = 2, TITLE_VALUE = [0, 1, 1.25, 1.5], PREFIX_WEIGHT = 0.5, MAX_PREFIX = 8, SHOWN = 10;
  // Snowball's English stop words (tokenize/stop.go), with ' or \u2019.
  const STOP = new Set(("a about above after again against all am an and any are aren't as at be because been before being " +
    "below between both but by can't cannot could couldn't did didn't do does doesn't doing don't down " +
    "during each few for from further had hadn't has hasn't have haven't having he he'd he'll he's her " +
    "here here's hers herself him himself his how how's i i'd i'll i'm i've if in into is isn't it it's " +
    "its itself let's me more most mustn't my myself no nor not of off on once only or other ought our " +
    "ours ourselves out over own same shan't she she'd she'll she's should shouldn't so some such than " +
    "that that's the their theirs them themselves then there there's these they they'd they'll they're " +
    "they've this those through to too under until up very was wasn't we we'd we'll we're we've were " +
    "weren't what what's when when's where where's which while who who's whom why why's with won't would " +
    "wouldn't you you'd you'll you're you've your yours yourself yourselves").split(" ").flatMap(w => [w, w.replace(/'/g, "\u2019")]));
  const reCJK = /[\p{sc=Han}\p{sc=Hiragana}\p{sc=Katakana}\p{sc=Hangul}ー]/u;
  const reWord = /[\p{L}\p{Nd}\p{Mn}]/u, reLetter = /\p{L}/u, reDigit = /\p{Nd}/u;

  // Text analysis (package search/tokenize).

  const fold = ch => {
    let c = ch.codePointAt(0);
    if (c >= 0xff01 && c <= 0xff5e) c -= 0xfee0;
    else if (c === 0x3000) return " ";
    if (c < 128) return String.fromCharCode(c >= 65 && c <= 90 ? c + 32 : c);
    return String.fromCodePoint(String.fromCodePoint(c).toLowerCase().codePointAt(0));
  };
  const folded = s => Array.from(s, fold);
  const isCJK = r => r.codePointAt(0) >= 0x1100 && reCJK.test(r);
  const isWord = r => r < "\x80" ? /[a-z0-9]/i.test(r) : !isCJK(r) && reWord.test(r);
  const isDigit = r => r < "\x80" ? r >= "0" && r <= "9" : reDigit.test(r);
  const isApos = r => r === "'" || r === "\u2019";
  const isVersion = w => w.length > 1 && w[0] === "v" && w[1] >= "0" && w[1] <= "9";

  // scan reports the CJK runs and the words and codes (parts joined by _, -
  // or . between digits) of the folded characters rs.
  function scan(rs, onCJK, onCode) {
    for (let i = 0; i < rs.length;) {
      if (isCJK(rs[i])) {
        let end = i + 1;
        while (end < rs.length && isCJK(rs[end])) end++;
        onCJK(rs.slice(i, end), i);
        i = end;
      } else if (isWord(rs[i])) {
        const parts = scanCode(rs, i);
        onCode(rs, parts);
        i = parts[parts.length - 1].e;
      } else i++;
    }
  }
  function scanWord(rs, i) {
    let e = i;
    while (e < rs.length && (isWord(rs[e]) || isApos(rs[e]) && e > i && e + 1 < rs.length &&
      reLetter.test(rs[e - 1]) && reLetter.test(rs[e + 1]) && !isCJK(rs[e + 1]))) e++;
    return e;
  }
  function scanCode(rs, i) {
    let e = scanWord(rs, i);
    const parts = [{ s: i, e, sep: "" }];
    while (e + 1 < rs.length) {
      const c = rs[e], next = rs[e + 1];
      if (c !== "_" && c !== "-" && c !== "." || !isWord(next) || c === "." && !(isDigit(rs[e - 1]) && isDigit(next))) break;
      const we = scanWord(rs, e + 1);
      parts.push({ s: e + 1, e: we, sep: c });
      e = we;
    }
    return parts;
  }
  const dropPossessive = w => w.length > 2 && w[w.length - 1] === "s" && isApos(w[w.length - 2]) ? w.slice(0, -2) : w;

  // wordTerm is the term of a word: stemmed unless it has a digit; "" when it
  // is too long, or a stop word and keepStop is false.
  function wordTerm(w, keepStop) {
    w = dropPossessive(w);
    if (w.length > MAX_TERM) return "";
    const s = w.join("");
    if (STOP.has(s)) return keepStop ? s : "";
    return w.some(isDigit) ? s : stem(s);
  }

  // tokens gives the index terms of text, as Go's Tokens.
  function tokens(text) {
    const out = [], word = w => { const t = wordTerm(w, false); if (t) out.push(t); };
    const whole = w => {
      if (w.length <= MAX_TERM) out.push(w.join(""));
      if (isVersion(w) && !w.includes("_") && !w.includes("-")) whole(w.slice(1));
    };
    scan(folded(text), run => {
      run.forEach((r, k) => { out.push(r); if (k + 1 < run.length) out.push(r + run[k + 1]); });
    }, (rs, parts) => {
      if (parts.length === 1) return word(rs.slice(parts[0].s, parts[0].e));
      const w = rs.slice(parts[0].s, parts[parts.length - 1].e);
      whole(w);
      for (let k = 0; k < parts.length;) {
        let g = k + 1;
        while (g < parts.length && parts[g].sep === ".") g++;
        if (g - k > 1 && (k > 0 || g < parts.length)) whole(rs.slice(parts[k].s, parts[g - 1].e));
        for (const first = k; k < g; k++) {
          const p = rs.slice(parts[k].s, parts[k].e);
          word(p);
          if (k === first && g - k > 1 && isVersion(p)) word(p.slice(1));
        }
      }
    });
    return out;
  }

  // stem: steps 1a (as Porter2), 1b, 1c and 5a of Porter's algorithm (search/tokenize/stem.go).
  const cons = (w, i) => "aeiou".includes(w[i]) ? false : w[i] === "y" ? i === 0 || !cons(w, i - 1) : true;
  function measure(w) {
    let m = 0, vowel = false;
    for (let i = 0; i < w.length; i++) {
      if (cons(w, i)) { if (vowel) m++; vowel = false; } else vowel = true;
    }
    return m;
  }
  const hasVowel = w => [...w].some((c, i) => !cons(w, i));
  const cvc = (w, n = w.length) => n >= 3 && cons(w, n - 1) && !cons(w, n - 2) && cons(w, n - 3) && !"wxy".includes(w[n - 1]);
  function step1b2(w) {
    const n = w.length;
    if (/(at|bl|iz)$/.test(w)) return w + "e";
    if (n >= 2 && w[n - 1] === w[n - 2] && cons(w, n - 1)) return "lsz".includes(w[n - 1]) ? w : w.slice(0, -1);
    return measure(w) === 1 && cvc(w) ? w + "e" : w;
  }
  function stem(w) {
    if (w.length < 3 || !/^[a-z]+$/.test(w)) return w;
    if (/(sses|ies)$/.test(w)) w = w.slice(0, -2);
    else if (/[^su]s$/.test(w) && hasVowel(w.slice(0, -2))) w = w.slice(0, -1);
    if (/eed$/.test(w)) { if (measure(w.slice(0, -3)) > 0) w = w.slice(0, -1); }
    else if (/ed$/.test(w) && hasVowel(w.slice(0, -2))) w = step1b2(w.slice(0, -2));
    else if (/ing$/.test(w) && hasVowel(w.slice(0, -3))) w = step1b2(w.slice(0, -3));
    if (/y$/.test(w) && hasVowel(w.slice(0, -1))) w = w.slice(0, -1) + "i";
    if (/e$/.test(w)) {
      const s = w.slice(0, -1), m = measure(s);
      if (m > 1 || m === 1 && !cvc(s)) w = s;
    }
    return w;
  }

  // groups analyses a query: a CJK run gives its bigrams (its character when
  // it has one), a word its term, a code its whole and its parts, a version
  // also its number; stop words count only when there is nothing else; the
  // last word, when the query ends with it, is also a prefix.
  function groups(q) {
    const rs = folded(q), gs = [], stops = [], seen = new Set();
    const add = (g, stop) => { if (!seen.has(g.term)) { seen.add(g.term); (stop ? stops : gs).push(g); } };
    scan(rs, run => {
      if (run.length === 1) add({ term: run[0] });
      for (let k = 0; k + 1 < run.length; k++) add({ term: run[k] + run[k + 1] });
    }, (rs, parts) => {
      const s = parts[0].s, e = parts[parts.length - 1].e;
      let raw, g;
      if (parts.length === 1) {
        raw = dropPossessive(rs.slice(s, e));
        g = { term: wordTerm(rs.slice(s, e), true) };
        if (!g.term) return;
      } else {
        raw = rs.slice(s, e);
        g = { term: raw.join(""), parts: parts.map(p => wordTerm(rs.slice(p.s, p.e), false)).filter(Boolean) };
        // A version is also its number (7.5.5 for v7.5.5), as tokens gives it.
        if (isVersion(raw) && !raw.includes("_") && !raw.includes("-")) g.also = raw.slice(1).join("");
      }
      if (e === rs.length && raw.length >= keyLen(raw.join(""))) g.prefix = raw.join("");
      add(g, parts.length === 1 && STOP.has(g.term));
    });
    return gs.length ? gs : stops;
  }

  // The index files (write.go, encode.go).

  const keyLen = t => /[_\-.]/.test(t) ? 6 : 4;
  let root = doc.documentElement.getAttribute("data-root");
  if (root === null) root = me ? me.src.replace(/[?#].*$/, "").replace(/assets\/search\.js$/, "") : "";
  if (root && !root.endsWith("/")) root += "/";
  let meta;
  const loaded = {}, pending = {}, maps = {};
  function load(name) {
    return pending[name] = pending[name] || new Promise((ok, fail) => {
      const s = doc.createElement("script");
      s.src = root + "search/" + name;
      s.onload = () => { s.remove(); ok(loaded[name]); };
      s.onerror = () => { s.remove(); delete pending[name]; fail(new Error("cannot load " + s.src)); };
      doc.head.appendChild(s);
    });
  }
  const start = async () => { meta = await load("manifest.js"); };
  async function shard(t) {
    const b = new TextEncoder().encode(Array.from(t).slice(0, keyLen(t)).join(""));
    let h = 0x811c9dc5;
    for (const c of b) h = Math.imul(h ^ c, 16777619) >>> 0;
    const name = "t/" + (h & (meta.shards - 1)).toString(16) + ".js", s = await load(name);
    if (!maps[name]) {
      maps[name] = new Map(s ? s.split(" ").map(e => { const i = e.indexOf("!"); return [e.slice(0, i), e.slice(i + 1)]; }) : []);
    }
    return maps[name];
  }
  async function getDoc(d) {
    const r = (await load("d/" + Math.floor(d / meta.chunk).toString(16) + ".js"))[d % meta.chunk];
    return { doc: d, url: r[0], title: r[1], text: r[2] };
  }
  // decode gives the postings of s as document, code, document, code, ...
  function decode(s) {
    const out = [];
    let d = -1, i = 0;
    const num = () => {
      for (let v = 0, mul = 1; i < s.length; mul *= BASE) {
        const c = s.charCodeAt(i++), dg = c - 35 - (c > 92);
        if (dg < BASE) return v + dg * mul;
        v += (dg - BASE) * mul;
      }
      throw new Error("bad postings");
    };
    while (i < s.length) {
      const v = num();
      let code = v % (LEVELS + 1);
      d += Math.floor(v / (LEVELS + 1)) + 1;
      if (code === LEVELS) code = num() + LEVELS;
      out.push(d, code);
    }
    return out;
  }
  const weight = code => ((code % LEVELS) + 0.5) / LEVELS * (K1 + 1) + TITLE_BOOST * TITLE_VALUE[Math.floor(code / LEVELS)];

  // resolve gives the terms of each group found in the index: the group's
  // term, a version's number, and, while it is typed, the most frequent
  // terms that extend it; a code that is not in the index is replaced by its
  // parts.
  async function resolve(gs, seen) {
    gs.forEach(g => seen.add(g.term));
    const ms = await Promise.all(gs.map(g => Promise.all([shard(g.term), g.prefix ? shard(g.prefix) : null, g.also ? shard(g.also) : null])));
    const out = gs.map((g, gi) => {
      const alts = [], pm = ms[gi][1];
      if (ms[gi][0].get(g.term)) alts.push({ term: g.term, weight: 1 });
      if (g.also && ms[gi][2].get(g.also)) alts.push({ term: g.also, weight: 1 });
      if (pm) {
        const ext = [...pm.keys()].filter(t => t !== g.term && t.startsWith(g.prefix));
        ext.sort((a, b) => pm.get(b).length - pm.get(a).length || (a < b ? -1 : a > b ? 1 : 0));
        ext.slice(0, MAX_PREFIX).forEach(t => alts.push({ term: t, weight: PREFIX_WEIGHT }));
      }
      if (alts.length || !g.parts || !g.parts.length) return [alts];
      const parts = g.parts.filter(t => !seen.has(t) && seen.add(t));
      return resolve(parts.map(t => ({ term: t })), seen);
    });
    return (await Promise.all(out)).flat();
  }

  // query runs a query and gives the documents shown, best first, and the
  // number of documents found.
  async function query(q) {
    await start();
    const gs = groups(q);
    if (!gs.length) return { results: [], total: 0, groups: gs };
    const resolved = await resolve(gs, new Set());
    const shards = await Promise.all(resolved.map(alts => Promise.all(alts.map(a => shard(a.term)))));
    // A document's title is the query when the query has one or two words
    // and the title level of each says the title has as many words.
    const want = resolved.length <= 2 ? TITLE_LEVELS - resolved.length : 0;
    const scores = new Map(), matched = new Map(), exact = new Map();
    resolved.forEach((alts, gi) => {
      const best = new Map();
      alts.forEach((a, k) => {
        const ps = decode(shards[gi][k].get(a.term)), n = ps.length / 2;
        const idf = Math.log(1 + (meta.docs - n + 0.5) / (n + 0.5));
        for (let i = 0; i < ps.length; i += 2) {
          const d = ps[i], v = a.weight * idf * weight(ps[i + 1]);
          if (!(best.get(d) >= v)) best.set(d, v);
          if (k === 0 && a.weight === 1 && want > 0 && Math.floor(ps[i + 1] / LEVELS) === want) exact.set(d, (exact.get(d) || 0) + 1);
        }
      });
      best.forEach((v, d) => {
        scores.set(d, (scores.get(d) || 0) + v);
        matched.set(d, (matched.get(d) || 0) + 1);
      });
    });
    const res = [];
    scores.forEach((s, d) => {
      const f = matched.get(d) / resolved.length;
      res.push({ doc: d, score: s * f * f, exact: exact.get(d) === resolved.length });
    });
    res.sort((a, b) => (b.exact - a.exact) || (b.score - a.score) || (a.doc - b.doc));
    const shown = await Promise.all(res.slice(0, SHOWN).map(async r => Object.assign(await getDoc(r.doc), r)));
    // A title equal to the query first (as typed, then folded), then one the
    // index tells is made of the query's terms.
    const nq = normTitle(q), order = r => spaced(r.title) === spaced(q) ? 0 : normTitle(r.title) === nq ? 1 : r.exact ? 2 : 3;
    const results = shown.map((r, i) => [order(r), i, r]).sort((a, b) => a[0] - b[0] || a[1] - b[1]).map(x => x[2]);
    return { results, total: res.length, groups: gs };
  }
  // spaced is s with each run of white space one space, none around (Go's strings.Fields).
  const spaced = s => s.split(/[\t\n\v\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+/).filter(Boolean).join(" ");
  const normTitle = s => folded(s).filter(r => isWord(r) || isCJK(r)).join("");

  // The user interface: the search box is a combobox, the results a listbox.

  const input = doc.getElementById("search-input"), box = doc.getElementById("search-results");
  const T = /^zh/i.test(doc.documentElement.lang)
    ? { found: n => "找到 " + n + " 篇文章", none: "没有找到文章", fail: "搜索暂不可用", label: "搜索结果" }
    : { found: n => n + (n === 1 ? " article" : " articles") + " found", none: "No articles found", fail: "Search is unavailable", label: "Search results" };
  let status, list, active = -1, seq = 0, timer;

  function el(tag, attrs, text) {
    const e = doc.createElement(tag);
    for (const k in attrs) e.setAttribute(k, attrs[k]);
    if (text) e.textContent = text;
    return e;
  }
  // highlight fills e with text, the words that match the query in <mark>.
  function highlight(e, text, gs) {
    const rs = Array.from(text), hit = rs.map(() => false), terms = new Set(), prefixes = [];
    gs.forEach(g => {
      terms.add(g.term);
      if (g.also) terms.add(g.also);
      (g.parts || []).forEach(t => terms.add(t));
      if (g.prefix) prefixes.push(g.prefix);
    });
    const mark = (s, e) => hit.fill(true, s, e), pre = x => prefixes.some(p => x.startsWith(p));
    scan(rs.map(fold), (run, at) => run.forEach((r, k) => {
      if (k + 1 < run.length && terms.has(r + run[k + 1])) mark(at + k, at + k + 2);
      if (terms.has(r)) mark(at + k, at + k + 1);
    }), (fr, parts) => {
      const s = parts[0].s, e = parts[parts.length - 1].e, w = fr.slice(s, e).join("");
      if (parts.length > 1 && (terms.has(w) || pre(w))) return mark(s, e);
      parts.forEach(p => {
        const raw = fr.slice(p.s, p.e);
        if (terms.has(wordTerm(raw, true)) || pre(raw.join(""))) mark(p.s, p.e);
      });
    });
    for (let i = 0, j; i < rs.length; i = j) {
      for (j = i; j < rs.length && hit[j] === hit[i];) j++;
      const part = rs.slice(i, j).join("");
      e.append(hit[i] ? el("mark", {}, part) : part);
    }
  }
  function clear() {
    box.replaceChildren(); // an empty box: the page's CSS hides it
    list.textContent = status.textContent = "";
    active = -1;
    input.setAttribute("aria-expanded", "false");
    input.removeAttribute("aria-activedescendant");
  }
  function show(out) {
    clear();
    status.textContent = out.total ? T.found(out.total) : T.none;
    out.results.forEach((r, i) => {
      // From file:// a folder URL shows the folder, not its index.html.
      const url = root + (location.protocol === "file:" && r.url.endsWith("/") ? r.url + "index.html" : r.url);
      // The link is the option itself: an option holds no control of its
      // own (a link inside an option is a nested interactive element).
      const a = el("a", { href: url, tabindex: "-1", id: "search-opt-" + i, role: "option", "aria-selected": "false" });
      const title = el("span", { class: "search-title" }), text = el("span", { class: "search-snippet" });
      highlight(title, r.title, out.groups);
      highlight(text, r.text, out.groups);
      a.append(title, text);
      list.append(el("li", { role: "none" }));
      list.lastChild.append(a);
    });
    box.append(out.results.length ? list : el("p", { class: "search-none" }, T.none));
    input.setAttribute("aria-expanded", String(out.results.length > 0));
  }
  async function run(q) {
    const n = ++seq;
    if (!q.trim()) return clear();
    try {
      const out = await query(q);
      if (n === seq) show(out);
    } catch {
      if (n === seq) { clear(); status.textContent = T.fail; box.append(el("p", { class: "search-none" }, T.fail)); }
    }
  }
  function move(to) {
    const opts = list.querySelectorAll("[role=option]");
    if (!opts.length) return;
    if (active >= 0) opts[active].setAttribute("aria-selected", "false");
    active = (to + opts.length) % opts.length;
    opts[active].setAttribute("aria-selected", "true");
    input.setAttribute("aria-activedescendant", opts[active].id);
    opts[active].scrollIntoView({ block: "nearest" });
  }
  function key(ev) {
    if (ev.isComposing) return;
    if (ev.key === "ArrowDown" || ev.key === "ArrowUp") {
      ev.preventDefault();
      move(active < 0 && ev.key === "ArrowUp" ? -1 : active + (ev.key === "ArrowDown" ? 1 : -1));
    } else if (ev.key === "Enter" && active >= 0) {
      ev.preventDefault();
      location.href = list.querySelectorAll("[role=option]")[active].href;
    } else if (ev.key === "Escape") {
      ev.preventDefault();
      input.value = "";
      clearTimeout(timer);
      seq++;
      clear();
    }
  }
  if (input && box) {
    // The count is told by a status of its own, so the list is not read out at each key.
    box.removeAttribute("aria-live");
    status = el("span", { id: "search-status", role: "status", class: "visually-hidden" });
    list = el("ul", { id: "search-list", role: "listbox", "aria-label": T.label, class: "search-list" });
    if (input.form) input.form.append(status); else box.before(status);
    for (const [k, v] of [["role", "combobox"], ["aria-autocomplete", "list"], ["aria-controls", "search-list"], ["aria-expanded", "false"]]) {
      input.setAttribute(k, v);
    }
    input.addEventListener("focus", () => start().catch(() => {}));
    input.addEventListener("input", () => { clearTimeout(timer); timer = setTimeout(() => run(input.value), 120); });
    input.addEventListener("keydown", key);
    if (input.form && location.protocol === "file:") {
      input.form.addEventListener("submit", ev => {
        ev.preventDefault();
        location.href = root + "search/index.html?q=" + encodeURIComponent(input.value);
      });
    }
    const q = new URLSearchParams(location.search).get("q");
    if (q) { input.value = q; run(q); }
  }

  window.deskSearch = {
    meta: m => { loaded["manifest.js"] = m; },
    shard: (id, s) => { loaded["t/" + id.toString(16) + ".js"] = s; },
    docs: (id, rows) => { loaded["d/" + id.toString(16) + ".js"] = rows; },
    tokens, groups, query,
  };
})();
