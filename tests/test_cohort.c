/* test_cohort.c — the Ministry of Justice cohort measure (models/cohort.c)
 * on hand-made sequences of index events and proofs. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include "cohort.h"
#include "dates.h"

static int64_t day(int y, int m, int d) { return date_from_civil(y, m, d); }

/* Times are day numbers here (any increasing time scale will do). */
static double at(int64_t d) { return (double)d + 0.5; }

static void calendar_helpers(void **state)
{
    (void)state;
    assert_int_equal(cohort_quarter_of(day(2025, 4, 1)), 2025 * 4 + 1);
    assert_int_equal(cohort_quarter_of(day(2025, 3, 31)), 2025 * 4 + 0);
    assert_int_equal(cohort_quarter_last_day(2025 * 4 + 1), day(2025, 6, 30));
    assert_int_equal(cohort_quarter_last_day(2025 * 4 + 3), day(2025, 12, 31));
    assert_int_equal(cohort_add_months(day(2025, 8, 31), 6), day(2026, 2, 28));
    assert_int_equal(cohort_add_months(day(2027, 8, 31), 6), day(2028, 2, 29));
    assert_int_equal(cohort_add_months(day(2025, 11, 15), 14), day(2027, 1, 15));
    /* An index on 30 June may be proven until the day before 30 December of
     * the next year. */
    assert_int_equal(cohort_followup_last_day(day(2025, 6, 30)), day(2026, 12, 29));
}

static void first_index_of_a_quarter_only(void **state)
{
    (void)state;
    cohort c;
    assert_int_equal(cohort_init(&c, day(2025, 1, 1)), 0);
    assert_int_equal(cohort_reserve(&c, 3), 0);
    assert_int_equal(cohort_index(&c, 0, at(day(2025, 4, 10)), day(2025, 4, 10), 0), 1);
    /* A release later in the same quarter is not an index event: the person
     * stays in `all` only, as their first disposal was. */
    assert_int_equal(cohort_index(&c, 0, at(day(2025, 6, 1)), day(2025, 6, 1),
                                  1u << COHORT_CUSTODY_SHORT | 1u << COHORT_CUSTODY_OR_ORDER),
                     0);
    assert_int_equal(cohort_index(&c, 0, at(day(2025, 7, 1)), day(2025, 7, 1),
                                  1u << COHORT_CUSTODY_SHORT | 1u << COHORT_CUSTODY_OR_ORDER),
                     1);
    assert_int_equal(
        cohort_index(&c, 1, at(day(2025, 5, 5)), day(2025, 5, 5), 1u << COHORT_CUSTODY_OR_ORDER),
        1);
    const cohort_tally *q2 = cohort_tally_of(&c, day(2025, 6, 30));
    const cohort_tally *q3 = cohort_tally_of(&c, day(2025, 9, 30));
    assert_non_null(q2);
    assert_non_null(q3);
    assert_int_equal(q2->size[COHORT_ALL], 2);
    assert_int_equal(q2->size[COHORT_CUSTODY_SHORT], 0);
    assert_int_equal(q2->size[COHORT_CUSTODY_OR_ORDER], 1);
    assert_int_equal(q3->size[COHORT_ALL], 1);
    assert_int_equal(q3->size[COHORT_CUSTODY_SHORT], 1);
    assert_int_equal(q3->size[COHORT_CUSTODY_OR_ORDER], 1);
    assert_null(cohort_tally_of(&c, day(2026, 12, 31)));
    cohort_free(&c);
}

/* One person indexed on 10 April 2025: offences committed up to 9 April 2026
 * and proven up to 9 October 2026 count. */
static void windows_of_twelve_and_six_months(void **state)
{
    (void)state;
    cohort c;
    assert_int_equal(cohort_init(&c, day(2025, 1, 1)), 0);
    assert_int_equal(cohort_reserve(&c, 8), 0);
    int64_t index = day(2025, 4, 10);
    for (size_t p = 0; p < 8; p++) {
        assert_int_equal(cohort_index(&c, p, at(index), index, 1u << COHORT_CUSTODY_OR_ORDER), 1);
    }
    /* 0: committed and proven inside the windows. */
    cohort_proof(&c, 0, at(day(2025, 5, 1)), day(2025, 5, 1), day(2025, 12, 1));
    /* 1: committed before the index event (its own index offence, say). */
    cohort_proof(&c, 1, at(index) - 3.0, index - 3, day(2025, 6, 1));
    /* 2: committed the same day, but before the release. */
    cohort_proof(&c, 2, at(index) - 0.25, index, day(2025, 6, 1));
    /* 3: the last day of the 12 months counts ... */
    cohort_proof(&c, 3, at(day(2026, 4, 9)), day(2026, 4, 9), day(2026, 5, 1));
    /* 4: ... the anniversary does not. */
    cohort_proof(&c, 4, at(day(2026, 4, 10)), day(2026, 4, 10), day(2026, 5, 1));
    /* 5: proven on the last day of the further six months counts ... */
    cohort_proof(&c, 5, at(day(2025, 9, 1)), day(2025, 9, 1), day(2026, 10, 9));
    /* 6: ... a day later does not. */
    cohort_proof(&c, 6, at(day(2025, 9, 1)), day(2025, 9, 1), day(2026, 10, 10));
    /* 7: two proven re-offences: one re-offender, two re-offences. */
    cohort_proof(&c, 7, at(day(2025, 5, 1)), day(2025, 5, 1), day(2025, 7, 1));
    cohort_proof(&c, 7, at(day(2025, 8, 1)), day(2025, 8, 1), day(2025, 9, 1));
    const cohort_tally *t = cohort_tally_of(&c, day(2025, 6, 30));
    assert_int_equal(t->size[COHORT_ALL], 8);
    assert_int_equal(t->reoffenders[COHORT_ALL], 4); /* 0, 3, 5, 7 */
    assert_int_equal(t->reoffenders[COHORT_CUSTODY_OR_ORDER], 4);
    assert_int_equal(t->reoffenders[COHORT_CUSTODY_SHORT], 0);
    assert_int_equal(t->reoffences, 5);
    cohort_free(&c);
}

/* An offence inside the follow-up of two index events counts for both
 * quarters; a forgotten person (slot reused) counts for neither. */
static void overlapping_follow_ups_and_forgetting(void **state)
{
    (void)state;
    cohort c;
    assert_int_equal(cohort_init(&c, day(2025, 1, 1)), 0);
    assert_int_equal(cohort_reserve(&c, 2), 0);
    assert_int_equal(cohort_index(&c, 0, at(day(2025, 2, 1)), day(2025, 2, 1), 0), 1);
    assert_int_equal(cohort_index(&c, 0, at(day(2025, 5, 1)), day(2025, 5, 1), 0), 1);
    cohort_proof(&c, 0, at(day(2025, 6, 1)), day(2025, 6, 1), day(2025, 8, 1));
    assert_int_equal(cohort_tally_of(&c, day(2025, 3, 31))->reoffenders[COHORT_ALL], 1);
    assert_int_equal(cohort_tally_of(&c, day(2025, 6, 30))->reoffenders[COHORT_ALL], 1);

    assert_int_equal(cohort_index(&c, 1, at(day(2025, 2, 1)), day(2025, 2, 1), 0), 1);
    cohort_forget(&c, 1);
    cohort_proof(&c, 1, at(day(2025, 3, 1)), day(2025, 3, 1), day(2025, 4, 1));
    assert_int_equal(cohort_tally_of(&c, day(2025, 3, 31))->reoffenders[COHORT_ALL], 1);
    assert_int_equal(cohort_tally_of(&c, day(2025, 3, 31))->size[COHORT_ALL], 2);
    /* After forgetting, the same quarter can index the new holder. */
    assert_int_equal(cohort_index(&c, 1, at(day(2025, 3, 2)), day(2025, 3, 2), 0), 1);
    cohort_free(&c);
}

/* Index events far apart: the ring keeps the last eight, and quarters grow
 * beyond the initial capacity of the tallies. */
static void long_histories(void **state)
{
    (void)state;
    cohort c;
    assert_int_equal(cohort_init(&c, day(2000, 1, 1)), 0);
    assert_int_equal(cohort_reserve(&c, 1), 0);
    int64_t d = day(2000, 1, 15);
    for (int k = 0; k < 100; k++) {
        d = cohort_add_months(day(2000, 1, 15), 3 * k);
        assert_int_equal(cohort_index(&c, 0, at(d), d, 0), 1);
    }
    /* Proven a month after the last index: counts for it and the index
     * events of the previous year, not older ones. */
    cohort_proof(&c, 0, at(d + 10), d + 10, d + 30);
    int64_t reoffenders = 0;
    for (int k = 0; k < 100; k++) {
        const cohort_tally *t = cohort_tally_of(
            &c,
            cohort_quarter_last_day(cohort_quarter_of(cohort_add_months(day(2000, 1, 15), 3 * k))));
        reoffenders += t->reoffenders[COHORT_ALL];
    }
    /* The index events on d, d − 3, d − 6, d − 9 months cover d + 10 days;
     * d − 12 months' window ended the day before d. */
    assert_int_equal(reoffenders, 4);
    cohort_free(&c);
}

/* ---- previous proven offences ---- */

static void prev_bands_at_their_boundaries(void **state)
{
    (void)state;
    static const struct {
        uint32_t prev;
        enum cohort_class band;
    } cases[] = {
        { 0, COHORT_PREV_0 },     { 1, COHORT_PREV_1_2 },     { 2, COHORT_PREV_1_2 },
        { 3, COHORT_PREV_3_6 },   { 6, COHORT_PREV_3_6 },     { 7, COHORT_PREV_7_10 },
        { 10, COHORT_PREV_7_10 }, { 11, COHORT_PREV_11PLUS }, { 4000000000u, COHORT_PREV_11PLUS },
    };
    for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
        assert_int_equal(cohort_prev_class(cases[k].prev), cases[k].band);
    }
}

/* Eight people indexed on 10 April 2025 with 0, 1, 2, 3, 6, 7, 10 and 11
 * previous proven offences (the boundaries of the bands), in the band their
 * prev gives at the index event. */
static void rates_by_previous_offences(void **state)
{
    (void)state;
    static const uint32_t prev[8] = { 0, 1, 2, 3, 6, 7, 10, 11 };
    cohort c;
    assert_int_equal(cohort_init(&c, day(2025, 1, 1)), 0);
    assert_int_equal(cohort_reserve(&c, 8), 0);
    int64_t index = day(2025, 4, 10);
    for (size_t p = 0; p < 8; p++) {
        assert_int_equal(cohort_index(&c, p, at(index), index, 1u << cohort_prev_class(prev[p])),
                         1);
    }
    /* Person 2 (prev 2) is proven again and disposed of in May with prev 3:
     * not an index event (their first of the quarter was), so they stay in
     * 1_2 for this quarter; the proof counts there. */
    cohort_proof(&c, 2, at(day(2025, 4, 20)), day(2025, 4, 20), day(2025, 5, 1));
    assert_int_equal(
        cohort_index(&c, 2, at(day(2025, 5, 1)), day(2025, 5, 1), 1u << cohort_prev_class(3)), 0);
    /* Person 0 (0) re-offends inside the windows; person 1 (1) commits inside
     * 12 months but is proven a day after the further 6 (9 October 2026 is
     * the last day): not a re-offender. */
    cohort_proof(&c, 0, at(day(2025, 6, 1)), day(2025, 6, 1), day(2025, 9, 1));
    cohort_proof(&c, 1, at(day(2026, 3, 1)), day(2026, 3, 1), day(2026, 10, 10));
    /* 4 (6), 6 (10) and 7 (11) re-offend; 3 (3) and 5 (7) do not. */
    cohort_proof(&c, 4, at(day(2025, 7, 1)), day(2025, 7, 1), day(2025, 8, 1));
    cohort_proof(&c, 6, at(day(2026, 4, 9)), day(2026, 4, 9), day(2026, 10, 9));
    cohort_proof(&c, 7, at(day(2025, 7, 1)), day(2025, 7, 1), day(2025, 8, 1));
    /* Person 2 is indexed again in the next quarter, now with prev 3. */
    assert_int_equal(
        cohort_index(&c, 2, at(day(2025, 7, 2)), day(2025, 7, 2), 1u << cohort_prev_class(3)), 1);

    const cohort_tally *q2 = cohort_tally_of(&c, day(2025, 6, 30));
    /* sizes 1 (prev 0), 2 (1, 2), 2 (3, 6), 2 (7, 10), 1 (11) */
    static const int64_t size[5] = { 1, 2, 2, 2, 1 };
    /* re-offenders: 0; 2 (not 1); 6 (not 3); 10 (not 7); 11 */
    static const int64_t reoffenders[5] = { 1, 1, 1, 1, 1 };
    int64_t sum = 0;
    for (int b = 0; b < 5; b++) {
        assert_int_equal(q2->size[COHORT_PREV_0 + b], size[b]);
        assert_int_equal(q2->reoffenders[COHORT_PREV_0 + b], reoffenders[b]);
        sum += q2->size[COHORT_PREV_0 + b];
    }
    assert_int_equal(sum, q2->size[COHORT_ALL]);
    assert_int_equal(q2->reoffenders[COHORT_ALL], 5);
    const cohort_tally *q3 = cohort_tally_of(&c, day(2025, 9, 30));
    assert_int_equal(q3->size[COHORT_PREV_3_6], 1);
    assert_int_equal(q3->size[COHORT_PREV_1_2], 0);
    cohort_free(&c);
}

/* ---- the long-run measure of custody leavers ---- */

static void calendar_of_the_long_run(void **state)
{
    (void)state;
    /* k = 1 is the MoJ follow-up; k years + 6 months after 30 June, less a day. */
    assert_int_equal(cohort_followup_last_day_years(day(2025, 6, 30), 1),
                     cohort_followup_last_day(day(2025, 6, 30)));
    assert_int_equal(cohort_followup_last_day_years(day(2025, 6, 30), 9), day(2034, 12, 29));
    /* 30 September + 9 years 6 months is 30 March 2035. */
    assert_int_equal(cohort_followup_last_day_years(day(2025, 9, 30), 9), day(2035, 3, 29));
    assert_int_equal(cohort_followup_last_day_years(day(2025, 12, 31), 9), day(2035, 6, 29));

    /* A run from 2024 (warm-up) writing 1 April 2025 … 31 March 2035 follows
     * the releases of 2025 Q2 … 2033 Q3: the 34 quarters whose 1-year
     * follow-up (18 months after 30 September 2033 less a day: 29 March
     * 2035) ends inside it. */
    cohort c;
    assert_int_equal(cohort_init(&c, day(2024, 1, 1)), 0);
    assert_int_equal(cohort_reserve(&c, 4), 0);
    cohort_follow_releases(&c, day(2025, 4, 1), day(2035, 3, 31));
    assert_int_equal(cohort_release(&c, 0, at(day(2025, 3, 31)), day(2025, 3, 31)), 0);
    assert_int_equal(cohort_release(&c, 1, at(day(2025, 4, 1)), day(2025, 4, 1)), 1);
    assert_int_equal(cohort_release(&c, 2, at(day(2033, 9, 30)), day(2033, 9, 30)), 1);
    assert_int_equal(cohort_release(&c, 3, at(day(2033, 10, 1)), day(2033, 10, 1)), 0);
    assert_int_equal(cohort_tally_of(&c, day(2025, 6, 30))->released, 1);
    /* A run too short for any quarter follows none. */
    cohort_follow_releases(&c, day(2025, 4, 1), day(2026, 12, 28));
    assert_int_equal(cohort_release(&c, 0, at(day(2025, 4, 2)), day(2025, 4, 2)), 0);
    cohort_free(&c);
}

/* Ten people released on 10 April 2025 (2025 Q2). A year k window runs to
 * 9 April 2025 + k years for the offence, and + 6 months (9 October) for the
 * proof. */
static void long_run_windows(void **state)
{
    (void)state;
    cohort c;
    assert_int_equal(cohort_init(&c, day(2025, 1, 1)), 0);
    assert_int_equal(cohort_reserve(&c, 10), 0);
    int64_t out = day(2025, 4, 10);
    for (size_t p = 0; p < 10; p++) assert_int_equal(cohort_release(&c, p, at(out), out), 1);
    /* 6: released again in May, the same quarter: not followed, so an
     * offence between the two releases counts for the first. */
    assert_int_equal(cohort_release(&c, 6, at(day(2025, 5, 20)), day(2025, 5, 20)), 0);
    cohort_proof(&c, 6, at(day(2025, 5, 1)), day(2025, 5, 1), day(2025, 7, 1)); /* k ≥ 1 */
    /* 0: committed 11 April 2027, 2 years and a day after: k ≥ 3 only. */
    cohort_proof(&c, 0, at(day(2027, 4, 11)), day(2027, 4, 11), day(2027, 6, 1));
    /* 1: committed within a year, proven 10 October 2026, a day after the
     * year's 6 months: not k = 1, but k ≥ 2 (proofs to 9 October 2027). */
    cohort_proof(&c, 1, at(day(2025, 6, 1)), day(2025, 6, 1), day(2026, 10, 10));
    /* 2: proven on the last day of the first year's 6 months: k ≥ 1. */
    cohort_proof(&c, 2, at(day(2025, 5, 1)), day(2025, 5, 1), day(2026, 10, 9));
    /* 3: committed on the last day of 8 years (9 April 2033), proven on the
     * last day of 9 years 6 months (9 October 2034): past 8 years' proof
     * window (9 October 2033), so k = 9 only. */
    cohort_proof(&c, 3, at(day(2033, 4, 9)), day(2033, 4, 9), day(2034, 10, 9));
    /* 4: committed on the ninth anniversary: never. 5: committed before the
     * release (an older case): never. */
    cohort_proof(&c, 4, at(day(2034, 4, 10)), day(2034, 4, 10), day(2034, 5, 1));
    cohort_proof(&c, 5, at(out) - 1.0, out - 1, day(2025, 6, 1));
    /* 7: a proof for k ≥ 2 (committed after the first year), then a later
     * proof of an earlier offence for k ≥ 1: counted once for each k. */
    cohort_proof(&c, 7, at(day(2026, 6, 1)), day(2026, 6, 1), day(2026, 7, 1));
    cohort_proof(&c, 7, at(day(2026, 3, 1)), day(2026, 3, 1), day(2026, 9, 1));
    /* 8: committed on the last day of the first year: k ≥ 1; 9: on its
     * anniversary: k ≥ 2. */
    cohort_proof(&c, 8, at(day(2026, 4, 9)), day(2026, 4, 9), day(2026, 5, 1));
    cohort_proof(&c, 9, at(day(2026, 4, 10)), day(2026, 4, 10), day(2026, 5, 1));

    const cohort_tally *t = cohort_tally_of(&c, day(2025, 6, 30));
    assert_int_equal(t->released, 10);
    /* k = 1: 2, 6, 7, 8; k = 2: and 1, 9; k = 3 … 8: and 0; k = 9: and 3. */
    static const int64_t within[COHORT_LONGRUN_YEARS] = { 4, 6, 7, 7, 7, 7, 7, 7, 8 };
    for (int k = 0; k < COHORT_LONGRUN_YEARS; k++) {
        assert_int_equal(t->reoffended_within[k], within[k]);
    }
    /* The measure is apart from the index events: none were counted. */
    assert_int_equal(t->size[COHORT_ALL], 0);
    cohort_free(&c);
}

/* Tallies of every quarter summed, for k years. */
static int64_t within_all_quarters(const cohort *c, int years)
{
    int64_t sum = 0;
    for (size_t q = 0; q < c->n_quarters; q++) sum += c->tallies[q].reoffended_within[years - 1];
    return sum;
}

/* Entries a person still holds. */
static size_t entries_of(const cohort *c, size_t person)
{
    size_t n = 0;
    for (uint32_t e = c->persons[person].release_head; e != 0; e = c->releases[e].next) n++;
    return n;
}

/* One person released on the 15th of every quarter's first month, 2025 Q1 to
 * 2034 Q4, commits an offence on 20 January 2030 (proven 1 February). */
static void releases_in_many_quarters(void **state)
{
    (void)state;
    cohort c;
    assert_int_equal(cohort_init(&c, day(2025, 1, 1)), 0);
    assert_int_equal(cohort_reserve(&c, 1), 0);
    int k = 0;
    int64_t d = day(2025, 1, 15);
    for (; d < day(2030, 1, 20); d = cohort_add_months(day(2025, 1, 15), 3 * ++k)) {
        assert_int_equal(cohort_release(&c, 0, at(d), d), 1);
    }
    assert_int_equal(k, 21);            /* 2025-01-15 … 2030-01-15 */
    assert_int_equal(c.n_releases, 22); /* with the unused [0] */
    cohort_proof(&c, 0, at(day(2030, 1, 20)), day(2030, 1, 20), day(2030, 2, 1));
    /* The offence is k years after a release for the first k with
     * release + k years > 20 January 2030: k = 1 for the releases of
     * 2029-04 … 2030-01 (4), k = 2 for 2028-04 … 2029-01 (4), … k = 5 for
     * 2025-04 … 2026-01 (4), k = 6 for 2025-01-15 (5 years and 5 days). */
    static const int64_t within[COHORT_LONGRUN_YEARS] = { 4, 8, 12, 16, 20, 21, 21, 21, 21 };
    for (int y = 1; y <= COHORT_LONGRUN_YEARS; y++) {
        assert_int_equal(within_all_quarters(&c, y), within[y - 1]);
    }
    /* The four counted for every k are freed at once. The other 17 can
     * still count only for the years before the one counted, whose proofs
     * end 6 months after the release's last anniversary before 20 January
     * 2030: still open on 1 February for the anniversaries of 15 October
     * 2029 and 15 January 2030 (the releases of 2025-10 … 2029-01 in
     * October or January, and 2025-01-15: 9), freed for the others. The
     * October ones close on 14 April 2030, the January ones on 14 July, so
     * the releases of 2030-04-15 and -07-15 free them, and every later
     * release takes a freed entry: the pool never grows again. */
    assert_int_equal(entries_of(&c, 0), 9);
    for (; d <= day(2034, 10, 15); d = cohort_add_months(day(2025, 1, 15), 3 * ++k)) {
        assert_int_equal(cohort_release(&c, 0, at(d), d), 1);
        if (d == day(2030, 10, 15)) assert_int_equal(entries_of(&c, 0), 3);
    }
    assert_int_equal(k, 40);
    assert_int_equal(entries_of(&c, 0), 19);
    assert_int_equal(c.n_releases, 22);
    /* An offence after the last release counts for it (2034 Q4) at k = 1. */
    cohort_proof(&c, 0, at(day(2034, 10, 16)), day(2034, 10, 16), day(2034, 10, 20));
    assert_int_equal(cohort_tally_of(&c, day(2034, 12, 31))->reoffended_within[0], 1);
    assert_int_equal(cohort_tally_of(&c, day(2034, 12, 31))->released, 1);
    cohort_free(&c);
}

/* A slot given to someone else: the old holder's releases are freed and
 * neither count nor stop the new holder's release in the same quarter. */
static void long_run_forgetting(void **state)
{
    (void)state;
    cohort c;
    assert_int_equal(cohort_init(&c, day(2025, 1, 1)), 0);
    assert_int_equal(cohort_reserve(&c, 1), 0);
    assert_int_equal(cohort_release(&c, 0, at(day(2025, 4, 10)), day(2025, 4, 10)), 1);
    cohort_forget(&c, 0);
    assert_int_equal(cohort_release(&c, 0, at(day(2025, 4, 20)), day(2025, 4, 20)), 1);
    assert_int_equal(c.n_releases, 2); /* the freed entry was reused */
    /* Committed between the two releases: before the new holder's. */
    cohort_proof(&c, 0, at(day(2025, 4, 15)), day(2025, 4, 15), day(2025, 6, 1));
    const cohort_tally *t = cohort_tally_of(&c, day(2025, 6, 30));
    assert_int_equal(t->released, 2);
    for (int k = 0; k < COHORT_LONGRUN_YEARS; k++) assert_int_equal(t->reoffended_within[k], 0);
    cohort_free(&c);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(calendar_helpers),
        cmocka_unit_test(first_index_of_a_quarter_only),
        cmocka_unit_test(windows_of_twelve_and_six_months),
        cmocka_unit_test(overlapping_follow_ups_and_forgetting),
        cmocka_unit_test(long_histories),
        cmocka_unit_test(prev_bands_at_their_boundaries),
        cmocka_unit_test(rates_by_previous_offences),
        cmocka_unit_test(calendar_of_the_long_run),
        cmocka_unit_test(long_run_windows),
        cmocka_unit_test(releases_in_many_quarters),
        cmocka_unit_test(long_run_forgetting),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
