#!/usr/bin/env python3
"""check_world.py - validates assets/kb.json and assets/catalogue.json.

    python3 assets/tools/check_world.py [ASSETS_DIR]

Checks every authoring rule of the Skyloft world (topics, documents, versions,
facts, catalogue queries, trigger words) plus a BM25 retrievability check that
mirrors the lab's retriever (paragraph chunks, FTS5-style bm25). Prints one
line per violation and exits 1, or prints a summary of counts and exits 0.
Python 3 standard library only.
"""
import datetime
import json
import math
import re
import sys
from collections import Counter
from pathlib import Path

# ---- the rules, as data ---------------------------------------------------------------

IN_KB_TOPICS = ["billing", "plans", "security", "api_limits", "status", "accounts",
                "integrations", "data_retention"]
ABSENT_TOPICS = ["mobile_app", "partner_program"]  # in_kb false, no documents
SMALLTALK_TOPIC = "general"                           # in_kb false, small talk only
QTYPES = ["factual", "howto", "troubleshooting", "policy", "structured", "smalltalk"]

MIN_DOCS, MIN_DOCS_PER_TOPIC = 64, 7
MIN_MULTI_DOCS, MIN_MULTI_TOPICS = 18, 6
BODY_WORDS = (70, 220)
BODY_PARAGRAPHS = (2, 4)
FACTS_PER_VERSION = (1, 5)
FACT_VALUE_WORDS = (1, 8)
NEWEST_WINDOW = ("2026-11-25", "2026-11-29")  # newest version of a changed document
OLDER_WINDOW = ("2026-01-01", "2026-10-31")   # older versions of a changed document
SINGLE_WINDOW = ("2025-06-01", "2026-10-31")  # documents with one version

MIN_QUERIES = 320
MIN_PER_TYPE = {t: 30 for t in QTYPES if t != "smalltalk"} | {"smalltalk": 15}
MIN_PER_IN_KB_TOPIC = 25
MIN_PER_ABSENT_TOPIC = 8
QUERY_FACTS = (1, 3)
PARAPHRASES = (2, 3)
MIN_CHANGED_FACT_QUERIES = 40
TRIGGERS = {"delete": 12, "password": 10, "cancel": 10, "export": 8}
TRIGGER_SPREAD = (3, 2)  # each trigger word over at least 3 topics and 2 types

# Words that would mean the KB covers a topic it must not know about.
ABSENT_WORDS = re.compile(r"\b(mobile|iphone|ipad|android|ios|tablet|reseller|affiliate|"
                          r"referral|partner portal|partner program)\b", re.I)

# Retrievability, mirroring the lab's retriever (mockllm/mllm_service.c, mllm_index.c):
# each paragraph of the newest versions is one chunk indexed as "Title. paragraph",
# tokens are ASCII alphanumeric runs lower-cased minus the stop words below, scoring is
# FTS5's bm25 and the assistant reads the top RETRIEVE_K chunks. A query's main wording
# must bring every chunk stating its facts into that top k; across the catalogue at
# least PARA_MIN_RATE of the paraphrases must do the same.
BM25_K1, BM25_B = 1.2, 0.75
RETRIEVE_K, PARA_MIN_RATE = 5, 0.85
STOPWORDS = set("""a about above after again against all am an and any are as at be because
been before being below between both but by can did do does doing down during each few for
from further had has have having he her here hers herself him himself his how i if in into is
it its itself just me more most my myself no nor not now of off on once only or other our
ours ourselves out over own same she should so some such than that the their theirs them
themselves then there these they this those through to too under until up very was we were
what when where which while who whom why will with you your yours yourself
yourselves""".split())

KEBAB = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
SNAKE = re.compile(r"^[a-z][a-z0-9]*(_[a-z0-9]+)*$")
QID = re.compile(r"^q\d{4}$")
TOKEN = re.compile(r"[A-Za-z0-9\x80-\U0010ffff]+")

errors = []


def err(where, msg):
    errors.append(f"{where}: {msg}")


def iso_date(s):
    if not isinstance(s, str) or not re.fullmatch(r"\d{4}-\d{2}-\d{2}", s):
        return None
    try:
        return datetime.date.fromisoformat(s)
    except ValueError:
        return None


def in_window(day, window):
    return iso_date(window[0]) <= day <= iso_date(window[1])


def paragraphs(body):
    return body.split("\n\n")


def words(s):
    return len(s.split())


def tokens(text):
    return [t.lower() for t in TOKEN.findall(text) if t.lower() not in STOPWORDS]


# ---- kb.json --------------------------------------------------------------------------


def check_kb(kb):
    """Returns (documents by id, fact key -> doc id, changed fact keys)."""
    if not isinstance(kb, dict):
        err("kb.json", "expected an object")
        return {}, {}, set()
    if set(kb) - {"product", "topics", "documents"}:
        err("kb.json", f"unknown top-level keys {sorted(set(kb) - {'product', 'topics', 'documents'})}")
    if kb.get("product") != "Skyloft":
        err("kb.json", 'product must be "Skyloft"')

    # Topics: exactly the eight KB topics, the two absent ones and small talk.
    topics = kb.get("topics") or []
    seen = {}
    for i, t in enumerate(topics):
        where = f"kb.json topics[{i}]"
        if not isinstance(t, dict) or set(t) - {"id", "title", "in_kb"}:
            err(where, "expected an object with id, title, in_kb")
            continue
        if t.get("id") in seen:
            err(where, f"duplicate topic id {t.get('id')!r}")
        if not isinstance(t.get("title"), str) or not t["title"].strip():
            err(where, "title must be a non-empty string")
        if not isinstance(t.get("in_kb"), bool):
            err(where, "in_kb must be true or false")
        seen[t.get("id")] = t.get("in_kb")
    expected = {k: True for k in IN_KB_TOPICS} | {k: False for k in ABSENT_TOPICS + [SMALLTALK_TOPIC]}
    if seen != expected:
        err("kb.json topics", f"expected exactly {expected}, got {seen}")

    docs = kb.get("documents") or []
    if len(docs) < MIN_DOCS:
        err("kb.json", f"{len(docs)} documents, need at least {MIN_DOCS}")
    by_id, titles, fact_owner, changed = {}, set(), {}, set()
    per_topic = Counter()
    for i, d in enumerate(docs):
        where = f"kb.json documents[{i}]"
        if not isinstance(d, dict) or set(d) != {"id", "title", "topic", "versions"}:
            err(where, "expected exactly the keys id, title, topic, versions")
            continue
        did = d["id"]
        where = f"kb.json {did}"
        if not isinstance(did, str) or not KEBAB.match(did):
            err(where, "id must be lower-case kebab-case")
        if did in by_id:
            err(where, "duplicate document id")
        by_id[did] = d
        if not isinstance(d["title"], str) or not d["title"].strip():
            err(where, "title must be a non-empty string")
        elif d["title"].lower() in titles:
            err(where, f"duplicate title {d['title']!r}")
        titles.add(str(d["title"]).lower())
        if d["topic"] not in IN_KB_TOPICS:
            err(where, f"topic {d['topic']!r} is not an in_kb topic")
        per_topic[d["topic"]] += 1
        changed |= check_versions(where, did, d["versions"], fact_owner)

    for t in IN_KB_TOPICS:
        if per_topic[t] < MIN_DOCS_PER_TOPIC:
            err(f"kb.json topic {t}", f"{per_topic[t]} documents, need at least {MIN_DOCS_PER_TOPIC}")

    multi = [d for d in by_id.values() if isinstance(d["versions"], list) and len(d["versions"]) > 1]
    if len(multi) < MIN_MULTI_DOCS:
        err("kb.json", f"{len(multi)} documents with several versions, need {MIN_MULTI_DOCS}")
    multi_topics = {d["topic"] for d in multi}
    if len(multi_topics) < MIN_MULTI_TOPICS:
        err("kb.json", f"multi-version documents span {len(multi_topics)} topics, need {MIN_MULTI_TOPICS}")

    check_attribution(by_id)
    return by_id, fact_owner, changed


def check_versions(where, did, versions, fact_owner):
    """Checks one document's versions; returns the keys whose values change."""
    if not isinstance(versions, list) or not versions:
        err(where, "versions must be a non-empty list")
        return set()
    keysets, dates = [], []
    for n, v in enumerate(versions, start=1):
        vw = f"{where} v{n}"
        if not isinstance(v, dict) or set(v) != {"version", "updated_at", "body", "facts"}:
            err(vw, "expected exactly the keys version, updated_at, body, facts")
            return set()
        if v["version"] != n or isinstance(v["version"], bool):
            err(vw, f"version must be {n} (integers from 1, ascending)")
        day = iso_date(v["updated_at"])
        if day is None:
            err(vw, f"updated_at {v['updated_at']!r} is not an ISO date YYYY-MM-DD")
        dates.append(day)
        body, facts = v["body"], v["facts"]
        if not isinstance(body, str) or not isinstance(facts, dict):
            err(vw, "body must be a string and facts an object")
            return set()
        paras = paragraphs(body)
        if not BODY_PARAGRAPHS[0] <= len(paras) <= BODY_PARAGRAPHS[1]:
            err(vw, f"{len(paras)} paragraphs, need {BODY_PARAGRAPHS[0]}-{BODY_PARAGRAPHS[1]} separated by a blank line")
        for p in paras:
            if not p.strip() or p != p.strip() or "\n" in p:
                err(vw, "paragraphs must be non-empty single lines without surrounding space")
                break
        if not BODY_WORDS[0] <= words(body) <= BODY_WORDS[1]:
            err(vw, f"body has {words(body)} words, need {BODY_WORDS[0]}-{BODY_WORDS[1]}")
        if ABSENT_WORDS.search(body):
            err(vw, f"body mentions {ABSENT_WORDS.search(body).group(0)!r}, a topic the KB must not cover")
        if not FACTS_PER_VERSION[0] <= len(facts) <= FACTS_PER_VERSION[1]:
            err(vw, f"{len(facts)} facts, need {FACTS_PER_VERSION[0]}-{FACTS_PER_VERSION[1]}")
        for key, val in facts.items():
            fw = f"{vw} fact {key}"
            if not SNAKE.match(key):
                err(fw, "key must be snake_case")
            if not isinstance(val, str) or val != val.strip() or not val:
                err(fw, "value must be a non-empty trimmed string")
                continue
            if not FACT_VALUE_WORDS[0] <= words(val) <= FACT_VALUE_WORDS[1]:
                err(fw, f"value {val!r} has {words(val)} words, need {FACT_VALUE_WORDS[0]}-{FACT_VALUE_WORDS[1]}")
            hits = sum(val in p for p in paras)
            if hits != 1:
                err(fw, f"value {val!r} appears in {hits} paragraphs, must be exactly one")
            for other, oval in facts.items():
                if other != key and isinstance(oval, str) and val in oval:
                    err(fw, f"value {val!r} is contained in fact {other}'s value {oval!r}")
            owner = fact_owner.setdefault(key, did)
            if owner != did:
                err(fw, f"key already belongs to document {owner}")
        keysets.append(set(facts))

    if any(k != keysets[0] for k in keysets):
        err(where, "all versions must have the same fact keys")
    if None in dates:
        return set()
    if any(b <= a for a, b in zip(dates, dates[1:])):
        err(where, "updated_at must increase from version to version")

    changed = set()
    if len(versions) == 1:
        if not in_window(dates[0], SINGLE_WINDOW):
            err(where, f"single-version document dated {dates[0]}, need {SINGLE_WINDOW[0]}..{SINGLE_WINDOW[1]}")
        return changed
    if not in_window(dates[-1], NEWEST_WINDOW):
        err(where, f"newest version dated {dates[-1]}, need {NEWEST_WINDOW[0]}..{NEWEST_WINDOW[1]}")
    for d in dates[:-1]:
        if not in_window(d, OLDER_WINDOW):
            err(where, f"older version dated {d}, need {OLDER_WINDOW[0]}..{OLDER_WINDOW[1]}")
    for n, (a, b) in enumerate(zip(versions, versions[1:]), start=1):
        diff = {k for k in a["facts"] if a["facts"].get(k) != b["facts"].get(k)}
        if not diff:
            err(where, f"v{n} and v{n + 1} state the same fact values; a new version must change one")
        changed |= diff
    for key in changed:
        vals = {v["facts"].get(key) for v in versions}
        for x in vals:
            for y in vals:
                if x != y and x in y:
                    err(where, f"fact {key}: value {x!r} is a substring of {y!r} in another version")
        # A version must not mention the value another version states (stale answers
        # would then be indistinguishable from current ones).
        for v in versions:
            for x in vals - {v["facts"].get(key)}:
                if x in v["body"]:
                    err(where, f"fact {key}: v{v['version']} body contains {x!r}, another version's value")
    return changed


def check_attribution(by_id):
    """No fact value may appear verbatim in another document's body (any version)."""
    bodies = {did: [v["body"] for v in d["versions"] if isinstance(v, dict)]
              for did, d in by_id.items() if isinstance(d.get("versions"), list)}
    for did, d in by_id.items():
        vals = {val for v in d.get("versions") or [] if isinstance(v, dict)
                for val in (v.get("facts") or {}).values() if isinstance(val, str)}
        for val in sorted(vals):
            for other, bs in bodies.items():
                if other != did and any(val in b for b in bs):
                    err(f"kb.json {did}", f"fact value {val!r} also appears in document {other}")


# ---- catalogue.json -------------------------------------------------------------------


def check_catalogue(cat, docs, fact_owner, changed):
    qs = cat.get("queries") if isinstance(cat, dict) else None
    if not isinstance(qs, list):
        err("catalogue.json", 'expected an object with a "queries" list')
        return []
    if set(cat) != {"queries"}:
        err("catalogue.json", "unknown top-level keys")
    if len(qs) < MIN_QUERIES:
        err("catalogue.json", f"{len(qs)} queries, need at least {MIN_QUERIES}")

    seen_texts = {}
    allowed = {"id", "type", "topic", "text", "paraphrases", "facts", "doc", "answerable", "weight"}
    required = allowed - {"doc"}
    for i, q in enumerate(qs):
        where = f"catalogue.json queries[{i}]"
        if not isinstance(q, dict) or not required <= set(q) or set(q) - allowed:
            err(where, f"expected keys {sorted(required)} (+ doc), got {sorted(q) if isinstance(q, dict) else q}")
            continue
        where = f"catalogue.json {q['id']}"
        if q["id"] != f"q{i + 1:04d}" or not QID.match(str(q["id"])):
            err(where, f"id must be q{i + 1:04d} (sequential from q0001)")
        if q["type"] not in QTYPES:
            err(where, f"unknown type {q['type']!r}")
        if q["topic"] not in IN_KB_TOPICS + ABSENT_TOPICS + [SMALLTALK_TOPIC]:
            err(where, f"unknown topic {q['topic']!r}")
        if not isinstance(q["weight"], int) or isinstance(q["weight"], bool) or not 1 <= q["weight"] <= 5:
            err(where, "weight must be an integer 1-5")
        if not isinstance(q["answerable"], bool):
            err(where, "answerable must be true or false")
        texts = [q["text"]] + (q["paraphrases"] if isinstance(q["paraphrases"], list) else [])
        if not isinstance(q["paraphrases"], list) or not PARAPHRASES[0] <= len(q["paraphrases"]) <= PARAPHRASES[1]:
            err(where, f"need {PARAPHRASES[0]}-{PARAPHRASES[1]} paraphrases")
        for t in texts:
            if not isinstance(t, str) or not t.strip() or t != t.strip():
                err(where, f"texts must be non-empty trimmed strings, got {t!r}")
                continue
            key = " ".join(t.lower().split())
            if key in seen_texts:
                err(where, f"text {t!r} duplicates one of {seen_texts[key]}")
            seen_texts[key] = q["id"]
        facts = q["facts"] if isinstance(q["facts"], list) else None
        if facts is None:
            err(where, "facts must be a list")
            continue
        kind = ("smalltalk" if q["type"] == "smalltalk" else
                "absent" if q["topic"] in ABSENT_TOPICS else "answerable")
        if (q["type"] == "smalltalk") != (q["topic"] == SMALLTALK_TOPIC):
            err(where, 'smalltalk queries and only they use topic "general"')
        if kind in ("smalltalk", "absent"):
            if facts or "doc" in q:
                err(where, f"{kind} queries have no facts and no doc")
            if q["answerable"] != (kind == "smalltalk"):
                err(where, f"{kind} queries must have answerable {kind == 'smalltalk'}")
            continue
        if q["answerable"] is not True:
            err(where, "queries on knowledge-base topics must be answerable")
        if not QUERY_FACTS[0] <= len(facts) <= QUERY_FACTS[1] or len(set(facts)) != len(facts):
            err(where, f"need {QUERY_FACTS[0]}-{QUERY_FACTS[1]} distinct fact keys")
        d = docs.get(q.get("doc"))
        if d is None:
            err(where, f"doc {q.get('doc')!r} does not exist")
            continue
        if d["topic"] != q["topic"]:
            err(where, f"topic {q['topic']} differs from its document's topic {d['topic']}")
        for f in facts:
            if fact_owner.get(f) != q["doc"]:
                err(where, f"fact {f!r} is not a fact of {q['doc']} (owner: {fact_owner.get(f)})")
        if q["type"] == "structured":
            for t in texts:
                if "JSON" not in t or "field" not in t.lower() and "key" not in t.lower():
                    err(where, f"structured wording must ask for JSON with named fields: {t!r}")
    check_counts(qs, changed)
    return qs


def check_counts(qs, changed):
    by_type = Counter(q.get("type") for q in qs)
    by_topic = Counter(q.get("topic") for q in qs)
    for t, n in MIN_PER_TYPE.items():
        if by_type[t] < n:
            err("catalogue.json", f"{by_type[t]} {t} queries, need at least {n}")
    for t in IN_KB_TOPICS:
        if by_topic[t] < MIN_PER_IN_KB_TOPIC:
            err("catalogue.json", f"{by_topic[t]} queries on {t}, need at least {MIN_PER_IN_KB_TOPIC}")
    for t in ABSENT_TOPICS:
        if by_topic[t] < MIN_PER_ABSENT_TOPIC:
            err("catalogue.json", f"{by_topic[t]} queries on {t}, need at least {MIN_PER_ABSENT_TOPIC}")
    n_changed = sum(1 for q in qs if set(q.get("facts") or []) & changed)
    if n_changed < MIN_CHANGED_FACT_QUERIES:
        err("catalogue.json", f"{n_changed} queries ask for changed facts, need {MIN_CHANGED_FACT_QUERIES}")
    for word, need in TRIGGERS.items():
        hits = [q for q in qs if word in str(q.get("text", "")).lower()]
        if len(hits) < need:
            err("catalogue.json", f"{len(hits)} query texts contain {word!r}, need {need}")
        if len({q["topic"] for q in hits}) < TRIGGER_SPREAD[0] or len({q["type"] for q in hits}) < TRIGGER_SPREAD[1]:
            err("catalogue.json", f"queries containing {word!r} must spread over "
                                  f"{TRIGGER_SPREAD[0]} topics and {TRIGGER_SPREAD[1]} types")
    weights = Counter(q.get("weight") for q in qs)
    low, high = weights[1] + weights[2], weights[4] + weights[5]
    if low * 2 < len(qs) or not 1 <= high <= len(qs) // 4:
        err("catalogue.json", f"weights should be mostly 1-2 ({low}) with a few 4-5 ({high})")


# ---- retrievability -------------------------------------------------------------------


class BM25:
    """FTS5-style bm25 over chunks; top(query) returns the best chunk indexes."""

    def __init__(self, texts):
        self.tf = [Counter(tokens(t)) for t in texts]
        self.len = [sum(c.values()) for c in self.tf]
        self.avg = sum(self.len) / len(self.len)
        df = Counter(w for c in self.tf for w in c)
        n = len(texts)
        self.idf = {w: max(1e-6, math.log((n - k + 0.5) / (k + 0.5))) for w, k in df.items()}

    def top(self, query, k):
        terms = tokens(query)
        scored = []
        for i, tf in enumerate(self.tf):
            s = 0.0
            for w in terms:
                f = tf.get(w)
                if f:
                    s += self.idf[w] * f * (BM25_K1 + 1) / (
                        f + BM25_K1 * (1 - BM25_B + BM25_B * self.len[i] / self.avg))
            if s > 0:
                scored.append((-s, i))
        return [i for _, i in sorted(scored)[:k]]


def check_retrieval(docs, qs):
    chunks = []  # (doc id, paragraph)
    for did, d in docs.items():
        for p in paragraphs(d["versions"][-1]["body"]):
            chunks.append((did, p))
    ix = BM25([f"{docs[did]['title']}. {p}" for did, p in chunks])
    main_ok = para_ok = para_n = 0
    answerable = [q for q in qs if q.get("doc") in docs]
    for q in answerable:
        facts = docs[q["doc"]]["versions"][-1]["facts"]
        need = {i for i, (did, p) in enumerate(chunks)
                if did == q["doc"] and any(facts.get(f, "\0") in p for f in q["facts"])}
        got = set(ix.top(q["text"], RETRIEVE_K))
        if need <= got:
            main_ok += 1
        else:
            err(f"catalogue.json {q['id']}", f"BM25 top {RETRIEVE_K} misses the chunk(s) of {q['doc']} "
                                             f"stating {q['facts']} for {q['text']!r}")
        for p in q["paraphrases"]:
            para_n += 1
            para_ok += need <= set(ix.top(p, RETRIEVE_K))
    if para_n and para_ok / para_n < PARA_MIN_RATE:
        err("catalogue.json", f"only {para_ok}/{para_n} paraphrases retrieve their fact chunks in the "
                              f"top {RETRIEVE_K}, need {PARA_MIN_RATE:.0%}")
    return len(answerable), main_ok, para_ok, para_n


# ---- main -----------------------------------------------------------------------------


def load(path):
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as e:
        err(str(path), f"cannot load: {e}")
        return None


def summary(docs, qs, changed, retrieval):
    print("check_world: OK")
    per_topic = Counter(d["topic"] for d in docs.values())
    multi = [d for d in docs.values() if len(d["versions"]) > 1]
    print(f"documents: {len(docs)} | " + ", ".join(f"{t} {per_topic[t]}" for t in IN_KB_TOPICS))
    print(f"multi-version documents: {len(multi)} ({sum(len(d['versions']) == 3 for d in multi)} with 3 versions) "
          f"over {len({d['topic'] for d in multi})} topics; changed fact keys: {len(changed)}")
    print(f"facts: {sum(len(d['versions'][-1]['facts']) for d in docs.values())} keys, "
          f"{sum(len(v['facts']) for d in docs.values() for v in d['versions'])} values over all versions")
    ntexts = sum(1 + len(q["paraphrases"]) for q in qs)
    print(f"queries: {len(qs)} ({ntexts} texts)")
    by_type, by_topic = Counter(q["type"] for q in qs), Counter(q["topic"] for q in qs)
    print("  by type: " + ", ".join(f"{t} {by_type[t]}" for t in QTYPES))
    print("  by topic: " + ", ".join(f"{t} {by_topic[t]}" for t in IN_KB_TOPICS + ABSENT_TOPICS + [SMALLTALK_TOPIC]))
    print(f"  asking for changed facts: {sum(1 for q in qs if set(q['facts']) & changed)}")
    print("  trigger words in text: " + ", ".join(
        f"{w} {sum(w in q['text'].lower() for q in qs)}" for w in TRIGGERS))
    w = Counter(q["weight"] for q in qs)
    print("  weights: " + ", ".join(f"{k}: {w[k]}" for k in range(1, 6)))
    if retrieval:
        n, ok, pok, pn = retrieval
        print(f"  BM25 top-{RETRIEVE_K} holds the fact chunks: main wording {ok}/{n}, "
              f"paraphrases {pok}/{pn} ({pok / pn:.0%})")


def main():
    assets = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).resolve().parent.parent
    kb, cat = load(assets / "kb.json"), load(assets / "catalogue.json")
    docs, fact_owner, changed = check_kb(kb) if kb is not None else ({}, {}, set())
    qs = check_catalogue(cat, docs, fact_owner, changed) if cat is not None else []
    retrieval = None
    if docs and qs:
        try:
            retrieval = check_retrieval(docs, qs)
        except (KeyError, TypeError, IndexError, AttributeError, ZeroDivisionError):
            err("retrieval", "skipped: fix the structural problems above first")
    if errors:
        for e in errors:
            print(e)
        print(f"check_world: {len(errors)} problem(s)")
        return 1
    summary(docs, qs, changed, retrieval)
    return 0


if __name__ == "__main__":
    sys.exit(main())
