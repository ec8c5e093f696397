/* mllm_world.h - the simulated world's data: knowledge base, query catalogue,
 * prompt versions and model profiles, loaded from assets/ at run time.
 *
 * The world is immutable once loaded and owns every string in it. Documents
 * have versions whose facts differ; each version's body is split into chunks
 * (one per paragraph) that carry doc, version, date and the facts they state.
 * Catalogue queries name the facts a correct answer contains. Loaders report
 * errors as file:line:col: json.path: message through mllm_diags. */
#ifndef MLLM_WORLD_H
#define MLLM_WORLD_H

#include <stdbool.h>
#include <stdint.h>

#include "mllm_json.h"

#define MLLM_MAX_TOPICS 16
#define MLLM_MAX_FACTS_PER_VERSION 8
#define MLLM_MAX_QUERY_FACTS 3
#define MLLM_MAX_PROMPTS 16
#define MLLM_MAX_MODELS 8
#define MLLM_MAX_FINGERPRINTS 4
#define MLLM_MAX_PROVIDERS 4

typedef enum mllm_qtype {
    MLLM_QT_FACTUAL,
    MLLM_QT_HOWTO,
    MLLM_QT_TROUBLESHOOTING,
    MLLM_QT_POLICY,
    MLLM_QT_STRUCTURED,
    MLLM_QT_SMALLTALK,
    MLLM_QT_COUNT
} mllm_qtype;
extern const char *const mllm_qtype_names[]; /* "factual", ..., NULL */

typedef enum mllm_role { MLLM_ROLE_PRIMARY, MLLM_ROLE_BACKUP, MLLM_ROLE_SIMPLIFIED } mllm_role;
extern const char *const mllm_role_names[];

typedef struct mllm_topic {
    char *id, *title;
    bool in_kb; /* false: deliberately absent from the knowledge base */
} mllm_topic;

typedef struct mllm_fact {
    char *key; /* snake_case, unique in the world */
    int doc;   /* the document stating it */
} mllm_fact;

typedef struct mllm_version {
    int version;                            /* 1, 2, ... */
    char *updated_at;                       /* "YYYY-MM-DD" */
    int32_t day;                            /* days since 1970-01-01 */
    char *body;
    int nfacts;
    int facts[MLLM_MAX_FACTS_PER_VERSION];  /* fact ids */
    char *values[MLLM_MAX_FACTS_PER_VERSION];
    int first_chunk, nchunks;               /* its chunks, consecutive */
} mllm_version;

typedef struct mllm_doc {
    char *id, *title;
    int topic;
    int nversions;
    mllm_version *v; /* ascending version */
} mllm_doc;

typedef struct mllm_chunk {
    int doc, version_index;  /* version_index into doc.v */
    const char *text;        /* points into the version body; not NUL-terminated */
    int len;
    int tokens;              /* approximate LLM tokens */
    int nfacts;
    int facts[MLLM_MAX_FACTS_PER_VERSION]; /* fact ids stated in this chunk */
} mllm_chunk;

typedef struct mllm_query {
    char *id;
    int type;                /* mllm_qtype */
    int topic;
    int ntexts;              /* 1 + paraphrases */
    char **texts;            /* texts[0] is the main wording */
    int first_text;          /* global text id of texts[0] */
    int nfacts;
    int facts[MLLM_MAX_QUERY_FACTS];
    int doc;                 /* -1 when none */
    bool answerable;
    int weight;
} mllm_query;

typedef struct mllm_prompt {
    char *version, *released, *author, *summary, *template_text, *json_schema, *style;
    int system_tokens;
    bool answer_from_context, cite_sources;
} mllm_prompt;

typedef struct mllm_provider {
    char *id, *title, *api_version;
} mllm_provider;

typedef struct mllm_model {
    char *id;
    int provider;
    mllm_role role;
    int nversions;
    char *fingerprint[MLLM_MAX_FINGERPRINTS];
    char *released[MLLM_MAX_FINGERPRINTS];
    double ttft_ms, tokens_per_s, cost_in_per_1k, cost_out_per_1k;
    int context_window;
    double rpm_limit, tpm_limit;
    double recall;                       /* P(uses a supporting chunk correctly) */
    double hallucinate_without_context;  /* P(invents an answer when context lacks it) */
    double base_refusal;                 /* benign refusal rate */
    char *refusal_policy;
} mllm_model;

typedef struct mllm_world {
    char *product;
    int ntopics;
    mllm_topic topics[MLLM_MAX_TOPICS];
    int ndocs;
    mllm_doc *docs;
    int nfacts;
    mllm_fact *facts;
    int nchunks;
    mllm_chunk *chunks;
    int nqueries;
    mllm_query *queries;
    int ntexts;              /* all query wordings */
    int *text_query;         /* text id -> query index */
    int nprompts;
    mllm_prompt prompts[MLLM_MAX_PROMPTS];
    int nproviders;
    mllm_provider providers[MLLM_MAX_PROVIDERS];
    int nmodels;
    mllm_model models[MLLM_MAX_MODELS];
} mllm_world;

/* Loads kb.json, catalogue.json, prompts.json and models.json from `dir`.
 * Returns the world or NULL with diagnostics. Free with mllm_world_free. */
mllm_world *mllm_world_load(const char *dir, mllm_diags *diags);
void mllm_world_free(mllm_world *w); /* NULL is a no-op */

int mllm_world_topic(const mllm_world *w, const char *id);    /* index or -1 */
int mllm_world_prompt(const mllm_world *w, const char *version);
int mllm_world_model(const mllm_world *w, const char *id);
int mllm_world_model_role(const mllm_world *w, mllm_role role); /* first of that role, or -1 */
int mllm_world_fingerprint(const mllm_world *w, int model, const char *fp);
int mllm_world_doc(const mllm_world *w, const char *id);
int mllm_world_query(const mllm_world *w, const char *id);
const char *mllm_world_text(const mllm_world *w, int text_id);
/* Value of fact `fact` in version index `vi` of its document (NULL if absent). */
const char *mllm_world_fact_value(const mllm_world *w, int fact, int vi);
/* Parses "YYYY-MM-DD" into days since the epoch; -1 on error. */
int32_t mllm_date_days(const char *s);
/* Formats days since the epoch as "YYYY-MM-DD". */
void mllm_date_format(int32_t days, char out[11]);

#endif
