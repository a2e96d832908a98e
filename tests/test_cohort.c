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

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(calendar_helpers),
        cmocka_unit_test(first_index_of_a_quarter_only),
        cmocka_unit_test(windows_of_twelve_and_six_months),
        cmocka_unit_test(overlapping_follow_ups_and_forgetting),
        cmocka_unit_test(long_histories),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
