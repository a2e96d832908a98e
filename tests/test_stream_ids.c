/* test_stream_ids.c — a model's random streams are keyed by its own
 * model_def.stream_id, not by its place in the run's model list: a model
 * inserted first in the order leaves every output of the others byte for
 * byte as it was. And a run refuses two models on one stream id. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include "ledger.h"
#include "output.h"
#include "test_support.h"

/* Every model and every intervention type at work, with money to post:
 * each model draws from its streams, and the ledger has entries. */
static const char scenario_text[] =
    "base = \"" PLACESIM_SOURCE_DIR "/scenarios/borough.cfg\";\n"
    "years = 2; warmup_years = 1;\n"
    "budgets = { housing = 400000.0; police = 900000.0; probation = 300000.0; };\n"
    "interventions = (\n"
    "  { name = \"teams\"; type = \"repair_teams\"; areas = [\"Northgate\"]; start = "
    "\"2025-06-01\";"
    "    end = \"2027-03-31\"; funder = \"housing\"; capacity = 3.0; },\n"
    "  { name = \"secure\"; type = \"void_security\"; start = \"2025-06-01\"; end = \"2027-03-31\";"
    "    funder = \"housing\"; effect = 7.0; },\n"
    "  { name = \"letting\"; type = \"fast_letting\"; start = \"2025-06-01\"; end = \"2027-03-31\";"
    "    funder = \"housing\"; effect = 0.3; },\n"
    "  { name = \"patrols\"; type = \"hotspot_patrols\"; areas = [\"Riverside\"];"
    "    start = \"2025-06-01\"; end = \"2027-03-31\"; funder = \"police\"; intensity = 1.0; },\n"
    "  { name = \"homes\"; type = \"housing_on_release\"; start = \"2025-06-01\";"
    "    end = \"2027-03-31\"; funder = \"probation\"; capacity = 40.0; },\n"
    "  { name = \"jobs\"; type = \"employment_support\"; start = \"2025-06-01\";"
    "    end = \"2027-03-31\"; funder = \"probation\"; capacity = 60.0; },\n"
    "  { name = \"close\"; type = \"intensive_supervision\"; start = \"2025-06-01\";"
    "    end = \"2027-03-31\"; funder = \"probation\"; capacity = 2.0; }\n"
    ");\n";

/* ---- a model that does nothing but draw from its own streams ---- */

static int noop_create(sim_run *run, void **state)
{
    *state = NULL;
    return sim_schedule(run, 0.5, 0, 0, 0);
}

static void noop_destroy(void *state) { (void)state; }

/* Draws from its own stream on the shared generator, as a real model would,
 * before every other model's phase of the day. */
static int noop_draw(void *state, sim_run *run)
{
    (void)state;
    gsl_rng *r = sim_stream(run, 7, 0, (uint32_t)sim_today(run));
    return gsl_rng_uniform(r) < 2.0 ? 0 : -1;
}

/* Its own event every day at noon: events of the others keep their order. */
static int noop_handle(void *state, sim_run *run, const sim_event *ev)
{
    (void)state;
    (void)ev;
    return sim_schedule(run, sim_now(run) + 1.0, 0, 0, 0);
}

static const model_def noop_model = {
    .name = "noop",
    .stream_id = 1000, /* test-only: an id no real model uses */
    .doc = "test-only: draws and schedules, and changes nothing",
    .params = &model_no_params,
    .metrics = &model_no_metrics,
    .create = noop_create,
    .destroy = noop_destroy,
    .handle = noop_handle,
    .prepare_day = noop_draw,
    .begin_day = noop_draw,
    .end_day = noop_draw,
};

enum { MAX_MODELS = 16 };

/* The text of series.csv, years.csv and ledger.csv of replication 1 of the
 * scenario run with these models (caller frees). */
static char *outputs_of(const model_def *const *models, size_t n)
{
    test_run t;
    test_run_load(&t, scenario_text, models, n, NULL, 0);
    test_run_reps(&t, 1, 5, 1);
    char *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);
    assert_non_null(f);
    const recorder *rec = t.results[0].rec;
    assert_int_equal(series_write_replication(f, "s", rec, 1, t.cfg.start_date, NULL), 0);
    assert_int_equal(years_write_replication(f, "s", rec, 1, NULL), 0);
    assert_int_equal(ledger_write_rows(f, "s", 1, t.results[0].ledger, t.cfg.start_date), 0);
    assert_int_equal(fclose(f), 0);
    test_run_free(&t);
    return text;
}

/* A change of draws shows: how many lines of a and b differ (and a line
 * count that differs counts too). */
static size_t lines_differing(const char *a, const char *b)
{
    size_t differ = 0;
    while (*a || *b) {
        size_t la = strcspn(a, "\n"), lb = strcspn(b, "\n");
        differ += la != lb || memcmp(a, b, la) != 0;
        a += la + (a[la] == '\n');
        b += lb + (b[lb] == '\n');
    }
    return differ;
}

static void a_model_inserted_first_changes_no_output(void **state)
{
    (void)state;
    size_t n;
    const model_def *const *registry = model_registry(&n);
    assert_true(n + 1 <= MAX_MODELS);
    const model_def *with_noop[MAX_MODELS] = { &noop_model };
    for (size_t i = 0; i < n; i++) with_noop[i + 1] = registry[i];

    char *normal = outputs_of(registry, n);
    char *inserted = outputs_of(with_noop, n + 1);
    assert_true(strlen(normal) > 100000);              /* every model wrote a good deal */
    assert_non_null(strstr(normal, ",intervention,")); /* the ledger has the interventions' money */
    assert_int_equal(lines_differing(normal, inserted), 0);
    assert_string_equal(normal, inserted);

    /* The comparison sees stream keys: the same models keyed by the places
     * they hold behind the inserted model (what keying by position gave)
     * write other outputs. */
    model_def shifted[MAX_MODELS];
    const model_def *by_position[MAX_MODELS] = { &noop_model };
    for (size_t i = 0; i < n; i++) {
        shifted[i] = *registry[i];
        shifted[i].stream_id = (uint16_t)(i + 1);
        by_position[i + 1] = &shifted[i];
    }
    char *positional = outputs_of(by_position, n + 1);
    assert_true(lines_differing(normal, positional) > 1000);
    free(normal);
    free(inserted);
    free(positional);
}

static void the_registry_keeps_the_old_stream_ids(void **state)
{
    (void)state;
    /* Each real model keeps the number its place in the registry gave it
     * before stream ids existed, so that no output changed. */
    const struct {
        const char *name;
        unsigned id;
    } ids[] = {
        { "housing", 0 },
        { "crime", 1 },
        { "reoffending", 2 },
        { "interventions", 3 },
    };
    size_t n;
    const model_def *const *registry = model_registry(&n);
    assert_int_equal(n, sizeof ids / sizeof ids[0]);
    for (size_t i = 0; i < n; i++) {
        assert_string_equal(registry[i]->name, ids[i].name);
        assert_int_equal(registry[i]->stream_id, ids[i].id);
    }
    char err[256];
    assert_int_equal(engine_check_models(registry, n, err, sizeof err), 0);
}

static void a_shared_stream_id_is_refused(void **state)
{
    (void)state;
    size_t n;
    const model_def *const *registry = model_registry(&n);
    model_def twin = noop_model;
    twin.stream_id = registry[1]->stream_id;
    const model_def *models[MAX_MODELS] = { &twin };
    for (size_t i = 0; i < n; i++) models[i + 1] = registry[i];

    char err[256] = "";
    assert_int_equal(engine_check_models(models, n + 1, err, sizeof err), -1);
    assert_string_equal(err, "models noop and crime have the same stream id 1; each model needs "
                             "its own");

    /* The engine checks the list it is given, before any model starts. */
    test_run t;
    test_run_load(&t, scenario_text, registry, n, NULL, 0);
    t.cfg.models = models;
    t.cfg.n_models = n + 1;
    replication_result r;
    assert_int_equal(engine_run_replication(&t.cfg, 1, &r, err, sizeof err), -1);
    assert_non_null(strstr(err, "models noop and crime have the same stream id 1"));
    test_run_free(&t);

    const model_def *twice[] = { registry[0], registry[0] };
    assert_int_equal(engine_check_models(twice, 2, err, sizeof err), -1);
    assert_string_equal(err, "the run holds model housing twice");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(a_model_inserted_first_changes_no_output),
        cmocka_unit_test(the_registry_keeps_the_old_stream_ids),
        cmocka_unit_test(a_shared_stream_id_is_refused),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
