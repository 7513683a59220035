// Search that answers customers' questions: runs before the theme's script (overrides/main.html).
// It sits between the theme and its search worker:
// - a query gains the words the pages use for what the customer typed (policy/search.yaml:
//   特商法 -> 特定商取引法, "cost" -> "fee"), and loses particles, question endings and
//   one-character terms, which never match on their own;
// - results lose matches and highlights of such words, pages are ranked by their best
//   section (the theme's bonus for a page's top entry is taken out), best section first.
// No words here: they come from the page's JSON (#sp-search-words), rendered from policy/.
(function () {
  "use strict";
  var QUERY = 2, RESULT = 3; // the theme's search message types
  var source = document.getElementById("sp-search-words");
  var words = source ? JSON.parse(source.textContent) : { synonyms: [], ignore: [] };
  var japanese = document.documentElement.lang === "ja";
  var ignored = new Set(words.ignore.map(function (word) { return word.toLowerCase(); }));
  var SEPARATOR = /[\s\u3000、。，．,.・「」『』（）()【】［］\[\]〔〕：:；;！!？?／/…〜~"'*+^-]+/;
  // Script runs, as the index's separator cuts them (validator/site/search.py); a kanji
  // alone keeps its first inflecting kana (流れ, 返し), which the index's 流れが, 返して start with.
  var SCRIPTS = /[A-Za-z0-9@_]+|[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\u3005-\u3007]{2,}|[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\u3005-\u3007][\u3041-\u309f]?|[\u3041-\u309f]+|[\u30a0-\u30ff\uff66-\uff9f]+|[^\sA-Za-z0-9\u3041-\u30ff\u3400-\u9fff]+/g;
  var HIRAGANA = /^[\u3041-\u309f]+$/;

  function meaningful(term) {
    var word = term.toLowerCase();
    if (word.length < 2 || ignored.has(word)) return false;
    return !(japanese && HIRAGANA.test(word)); // kana endings and particles of a question
  }

  function terms(text) {
    var found = [];
    text.split(SEPARATOR).forEach(function (part) {
      (japanese ? part.match(SCRIPTS) || [] : [part]).forEach(function (term) {
        if (meaningful(term)) found.push(term.toLowerCase());
      });
    });
    return found;
  }

  function mentions(query, word) {
    if (japanese) return query.indexOf(word.toLowerCase()) !== -1;
    var escaped = word.toLowerCase().replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
    return new RegExp("(^|[^a-z0-9])" + escaped + "($|[^a-z0-9])").test(query);
  }

  // What the last query asked for: each term and the concept it stands for (a typed word,
  // or a group of synonyms), so that a section matching three words for "fee" does not
  // outrank one matching the customer's own word.
  var concepts = new Map(), typed = new Set();

  function rewrite(query) {
    var text = query.normalize("NFKC").toLowerCase();
    concepts = new Map();
    typed = new Set(terms(text));
    typed.forEach(function (term) { concepts.set(term, term); });
    words.synonyms.forEach(function (group, index) {
      if (!group.some(function (word) { return mentions(text, word); })) return;
      var groupTerms = [];
      group.forEach(function (word) {
        // a word that is one whole search term is searched; any other word (見積もり, 取り消)
        // only brings its group in, so that none of its pieces (もり, 取り) is ever searched
        var found = terms(word);
        if (found.length === 1 && found[0] === word.normalize("NFKC").toLowerCase()) groupTerms.push(found[0]);
      });
      // one concept for the whole group, and for the concepts it joins (a typed word, another group)
      var joined = new Set(groupTerms.filter(function (t) { return concepts.has(t); })
                                     .map(function (t) { return concepts.get(t); }));
      var concept = "group " + index;
      concepts.forEach(function (value, key) { if (joined.has(value)) concepts.set(key, concept); });
      groupTerms.forEach(function (term) { concepts.set(term, concept); });
    });
    return Array.from(concepts.keys()).join(" ");
  }

  function conceptOf(term) {
    var found = concepts.get(term);
    if (found !== undefined) return found;
    for (var [key, value] of concepts) if (term.indexOf(key) === 0) return value;
    return term;
  }

  var MARK = /<mark>([^<]*)<\/mark>/g;
  function unmark(html) {
    return typeof html === "string"
      ? html.replace(MARK, function (whole, word) { return meaningful(word) ? whole : word; })
      : html;
  }

  function rescore(doc) {
    var keys = Object.keys(doc.terms || {});
    var share = keys.length ? keys.filter(function (k) { return doc.terms[k]; }).length / keys.length : 0;
    var raw = doc.score / (1 + Math.pow((doc.parent ? 0 : 1) + share, 2)); // lunr's own score
    var kept = {};
    keys.filter(meaningful).forEach(function (key) { kept[key] = doc.terms[key]; });
    var matched = Object.keys(kept).filter(function (k) { return kept[k]; });
    var asked = new Set(Object.keys(kept).map(conceptOf));
    var found = new Set(matched.map(conceptOf));
    Object.keys(kept).forEach(function (key) { // a synonym is not "missing" when its concept was found
      if (!kept[key] && found.has(conceptOf(key))) delete kept[key];
    });
    var own = matched.some(function (term) { return typed.has(term); }) ? 1.5 : 1;
    doc.terms = kept;
    doc.title = unmark(doc.title);
    doc.text = unmark(doc.text);
    doc.score = matched.length
      ? raw * Math.pow(found.size / matched.length, 0.75) * (1 + Math.pow(found.size / asked.size, 2)) * own
      : 0;
  }

  function rerank(result) {
    var groups = [];
    result.items.forEach(function (group) {
      group.forEach(rescore);
      var page = group.filter(function (doc) { return doc.location.indexOf("#") === -1; });
      var sections = group.filter(function (doc) { return doc.location.indexOf("#") !== -1 && doc.score > 0; });
      var docs = page.concat(sections).sort(function (a, b) { return b.score - a.score; });
      if (docs.length && docs[0].score > 0) groups.push(docs);
    });
    groups.sort(function (a, b) { return b[0].score - a[0].score; });
    result.items = groups;
  }

  var Base = window.Worker;
  if (!Base) return;
  function TunedWorker(url, options) {
    var worker = new Base(url, options);
    worker.addEventListener("message", function (event) { // first listener: before the theme's
      if (event.data && event.data.type === RESULT && event.data.data) rerank(event.data.data);
    });
    var post = worker.postMessage.bind(worker);
    worker.postMessage = function (message, transfer) {
      if (message && message.type === QUERY && typeof message.data === "string")
        message = { type: QUERY, data: rewrite(message.data) };
      return transfer ? post(message, transfer) : post(message);
    };
    return worker;
  }
  TunedWorker.prototype = Base.prototype;
  window.Worker = TunedWorker;
})();
