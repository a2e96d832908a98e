/* cohort.c — the Ministry of Justice proven re-offending measure. */
#include "cohort.h"

#include <stdlib.h>
#include <string.h>

#include "dates.h"

int64_t cohort_quarter_of(int64_t day)
{
    int y, m, d;
    date_to_civil(day, &y, &m, &d);
    return (int64_t)y * 4 + (m - 1) / 3;
}

int64_t cohort_quarter_last_day(int64_t q)
{
    /* Floor division keeps years before 0 right, for completeness. */
    int64_t year = q >= 0 ? q / 4 : -((-q + 3) / 4);
    int first_month = (int)(q - year * 4) * 3 + 1;
    return cohort_add_months(date_from_civil((int)year, first_month, 1), 3) - 1;
}

int64_t cohort_add_months(int64_t day, int months)
{
    static const int month_days[12] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
    int y, m, d;
    date_to_civil(day, &y, &m, &d);
    int64_t total = (int64_t)y * 12 + (m - 1) + months;
    int64_t year = total >= 0 ? total / 12 : -((-total + 11) / 12);
    int month = (int)(total - year * 12) + 1;
    int leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    int last = month_days[month - 1] + (month == 2 && leap);
    return date_from_civil((int)year, month, d < last ? d : last);
}

/* MoJ: committed within 12 months of the index date, proven within a
 * further 6; a window of n months from day d ends the day before d + n
 * months. */
static int64_t commit_last_of(int64_t day) { return cohort_add_months(day, 12) - 1; }
static int64_t proof_last_of(int64_t day) { return cohort_add_months(day, 18) - 1; }

int64_t cohort_followup_last_day(int64_t quarter_last_day)
{
    /* The latest index event of the quarter is on its last day. */
    return proof_last_of(quarter_last_day);
}

int cohort_init(cohort *c, int64_t first_day)
{
    memset(c, 0, sizeof *c);
    c->first_quarter = cohort_quarter_of(first_day);
    c->cap_quarters = 64;
    c->tallies = calloc(c->cap_quarters, sizeof *c->tallies);
    return c->tallies ? 0 : -1;
}

void cohort_free(cohort *c)
{
    free(c->tallies);
    free(c->ring);
    free(c->ring_len);
    free(c->ring_next);
    memset(c, 0, sizeof *c);
}

int cohort_reserve(cohort *c, size_t people)
{
    if (people <= c->cap_people) return 0;
    size_t cap = c->cap_people ? c->cap_people : 64;
    while (cap < people) cap *= 2;
    cohort_entry *ring = realloc(c->ring, cap * COHORT_RING * sizeof *ring);
    if (!ring) return -1;
    c->ring = ring;
    uint8_t *len = realloc(c->ring_len, cap);
    if (!len) return -1;
    c->ring_len = len;
    uint8_t *next = realloc(c->ring_next, cap);
    if (!next) return -1;
    c->ring_next = next;
    memset(c->ring_len + c->cap_people, 0, cap - c->cap_people);
    memset(c->ring_next + c->cap_people, 0, cap - c->cap_people);
    c->cap_people = cap;
    return 0;
}

void cohort_forget(cohort *c, size_t person)
{
    if (person >= c->cap_people) return;
    c->ring_len[person] = 0;
    c->ring_next[person] = 0;
}

/* The tally of quarter number q, grown geometrically; NULL when out of
 * memory or before the first quarter. */
static cohort_tally *tally_at(cohort *c, int64_t q)
{
    if (q < c->first_quarter) return NULL;
    size_t i = (size_t)(q - c->first_quarter);
    if (i >= c->cap_quarters) {
        size_t cap = c->cap_quarters;
        while (cap <= i) cap *= 2;
        cohort_tally *grown = realloc(c->tallies, cap * sizeof *grown);
        if (!grown) return NULL;
        memset(grown + c->cap_quarters, 0, (cap - c->cap_quarters) * sizeof *grown);
        c->tallies = grown;
        c->cap_quarters = cap;
    }
    if (i >= c->n_quarters) c->n_quarters = i + 1;
    return &c->tallies[i];
}

int cohort_index(cohort *c, size_t person, double time, int64_t day, unsigned classes)
{
    if (person >= c->cap_people) return -1;
    int64_t q = cohort_quarter_of(day);
    cohort_entry *ring = c->ring + person * COHORT_RING;
    uint8_t len = c->ring_len[person];
    if (len > 0) {
        const cohort_entry *last = &ring[(c->ring_next[person] + COHORT_RING - 1) % COHORT_RING];
        if ((int64_t)last->quarter + c->first_quarter == q) return 0;
    }
    cohort_tally *t = tally_at(c, q);
    if (!t) return -1;
    classes |= 1u << COHORT_ALL;
    for (int k = 0; k < COHORT_CLASSES; k++) {
        if (classes & (1u << k)) t->size[k]++;
    }
    ring[c->ring_next[person]] = (cohort_entry){
        .time = time,
        .commit_last = commit_last_of(day),
        .proof_last = proof_last_of(day),
        .quarter = (uint32_t)(q - c->first_quarter),
        .classes = (uint16_t)classes,
    };
    c->ring_next[person] = (uint8_t)((c->ring_next[person] + 1) % COHORT_RING);
    if (len < COHORT_RING) c->ring_len[person] = (uint8_t)(len + 1);
    return 1;
}

void cohort_proof(cohort *c, size_t person, double committed_time, int64_t committed_day,
                  int64_t proof_day)
{
    if (person >= c->cap_people) return;
    cohort_entry *ring = c->ring + person * COHORT_RING;
    for (uint8_t i = 0; i < c->ring_len[person]; i++) {
        cohort_entry *e = &ring[i];
        if (!(committed_time > e->time) || committed_day > e->commit_last ||
            proof_day > e->proof_last) {
            continue;
        }
        cohort_tally *t = &c->tallies[e->quarter];
        t->reoffences += 1;
        if (e->reoffended) continue;
        e->reoffended = 1;
        for (int k = 0; k < COHORT_CLASSES; k++) {
            if (e->classes & (1u << k)) t->reoffenders[k]++;
        }
    }
}

const cohort_tally *cohort_tally_of(const cohort *c, int64_t quarter_last_day)
{
    int64_t q = cohort_quarter_of(quarter_last_day);
    if (q < c->first_quarter || (size_t)(q - c->first_quarter) >= c->n_quarters) return NULL;
    return &c->tallies[q - c->first_quarter];
}
