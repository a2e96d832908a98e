/* cohort.c — the Ministry of Justice proven re-offending measure. */
#include "cohort.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "dates.h"
#include "alloc_tuning.h"

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

/* The long-run windows of a release on `day`: committed within k years,
 * proven within k years and 6 months, each ending the day before (as
 * above, so k = 1 is the MoJ measure's pair). */
static int64_t commit_end_years(int64_t day, int years)
{
    return cohort_add_months(day, 12 * years) - 1;
}
static int64_t proof_end_years(int64_t day, int years)
{
    return cohort_add_months(day, 12 * years + 6) - 1;
}

int64_t cohort_followup_last_day_years(int64_t quarter_last_day, int years)
{
    return proof_end_years(quarter_last_day, years);
}

enum cohort_class cohort_prev_class(uint32_t prev)
{
    if (prev == 0) return COHORT_PREV_0;
    if (prev <= 2) return COHORT_PREV_1_2;
    if (prev <= 6) return COHORT_PREV_3_6;
    if (prev <= 10) return COHORT_PREV_7_10;
    return COHORT_PREV_11PLUS;
}

int cohort_init(cohort *c, int64_t first_day)
{
    memset(c, 0, sizeof *c);
    c->first_quarter = cohort_quarter_of(first_day);
    c->cap_quarters = 64;
    c->tallies = calloc(c->cap_quarters, sizeof *c->tallies);
    c->release_first_quarter = c->first_quarter;
    c->release_last_quarter = INT64_MAX;
    return c->tallies ? 0 : -1;
}

void cohort_follow_releases(cohort *c, int64_t first_day, int64_t last_day)
{
    int64_t q = cohort_quarter_of(first_day);
    c->release_first_quarter = q < c->first_quarter ? c->first_quarter : q;
    c->release_last_quarter = c->release_first_quarter - 1;
    while (cohort_followup_last_day_years(cohort_quarter_last_day(c->release_last_quarter + 1),
                                          1) <= last_day) {
        c->release_last_quarter++;
    }
}

void cohort_free(cohort *c)
{
    free(c->tallies);
    free(c->ring);
    free(c->persons);
    free(c->releases);
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
    alloc_advise_huge(ring, cap * COHORT_RING * sizeof *ring);
    cohort_person *persons = realloc(c->persons, cap * sizeof *persons);
    if (!persons) return -1;
    c->persons = persons;
    alloc_advise_huge(persons, cap * sizeof *persons);
    memset(c->persons + c->cap_people, 0, (cap - c->cap_people) * sizeof *persons);
    c->cap_people = cap;
    return 0;
}

/* Returns entry e to the free list. */
static void release_entry_free(cohort *c, uint32_t e)
{
    c->releases[e].next = c->free_release;
    c->free_release = e;
}

/* A pool entry: a free one, else a new one, the pool growing geometrically.
 * Returns its index, or 0 when out of memory (or indices). */
static uint32_t release_entry_take(cohort *c)
{
    if (c->free_release != 0) {
        uint32_t e = c->free_release;
        c->free_release = c->releases[e].next;
        return e;
    }
    if (c->n_releases == 0) c->n_releases = 1; /* [0] ends lists */
    if (c->n_releases >= c->cap_releases) {
        size_t cap = c->cap_releases ? 2 * c->cap_releases : 256;
        if (cap > UINT32_MAX) return 0;
        cohort_release_entry *grown = realloc(c->releases, cap * sizeof *grown);
        if (!grown) return 0;
        c->releases = grown;
        c->cap_releases = cap;
    }
    return (uint32_t)c->n_releases++;
}

void cohort_forget(cohort *c, size_t person)
{
    if (person >= c->cap_people) return;
    c->persons[person].ring_len = 0;
    c->persons[person].ring_next = 0;
    for (uint32_t e = c->persons[person].release_head; e != 0;) {
        uint32_t next = c->releases[e].next;
        release_entry_free(c, e);
        e = next;
    }
    c->persons[person].release_head = 0;
    c->persons[person].release_quarter = 0;
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
    uint8_t len = c->persons[person].ring_len;
    if (len > 0) {
        const cohort_entry *last =
            &ring[(c->persons[person].ring_next + COHORT_RING - 1) % COHORT_RING];
        if ((int64_t)last->quarter + c->first_quarter == q) return 0;
    }
    cohort_tally *t = tally_at(c, q);
    if (!t) return -1;
    classes |= 1u << COHORT_ALL;
    for (int k = 0; k < COHORT_CLASSES; k++) {
        if (classes & (1u << k)) t->size[k]++;
    }
    ring[c->persons[person].ring_next] = (cohort_entry){
        .time = time,
        .commit_last = commit_last_of(day),
        .proof_last = proof_last_of(day),
        .quarter = (uint32_t)(q - c->first_quarter),
        .classes = (uint16_t)classes,
    };
    c->persons[person].ring_next = (uint8_t)((c->persons[person].ring_next + 1) % COHORT_RING);
    if (len < COHORT_RING) c->persons[person].ring_len = (uint8_t)(len + 1);
    return 1;
}

int cohort_release(cohort *c, size_t person, double time, int64_t day)
{
    if (person >= c->cap_people) return -1;
    int64_t q = cohort_quarter_of(day);
    if (q < c->release_first_quarter || q > c->release_last_quarter) return 0;
    uint32_t mark = (uint32_t)(q - c->first_quarter + 1);
    if (c->persons[person].release_quarter == mark) return 0;
    cohort_tally *t = tally_at(c, q);
    if (!t) return -1;
    /* Entries that no proof from today on can change are freed here too,
     * so that a person never proven again keeps only live ones. */
    for (uint32_t *link = &c->persons[person].release_head; *link != 0;) {
        uint32_t e = *link;
        if (c->releases[e].proof_end >= day) {
            link = &c->releases[e].next;
            continue;
        }
        *link = c->releases[e].next;
        release_entry_free(c, e);
    }
    uint32_t e = release_entry_take(c);
    if (e == 0) return -1;
    c->releases[e] = (cohort_release_entry){
        .time = time,
        .day = day,
        .proof_end = proof_end_years(day, COHORT_LONGRUN_YEARS),
        .quarter = mark - 1,
        .next = c->persons[person].release_head,
    };
    c->persons[person].release_head = e;
    c->persons[person].release_quarter = mark;
    t->released++;
    return 1;
}

/* The first k whose windows from a release on release_day hold an offence
 * committed on committed_day and proven on proof_day (both windows grow
 * with k, so every larger k holds it too); COHORT_LONGRUN_YEARS + 1 when
 * none does. */
static int first_year_within(int64_t release_day, int64_t committed_day, int64_t proof_day)
{
    for (int k = 1; k <= COHORT_LONGRUN_YEARS; k++) {
        if (committed_day <= commit_end_years(release_day, k) &&
            proof_day <= proof_end_years(release_day, k)) {
            return k;
        }
    }
    return COHORT_LONGRUN_YEARS + 1;
}

/* The long-run part of cohort_proof: walks the person's entries, counts the
 * years newly reached, and frees entries that nothing can change any more
 * (proofs come in order of their day, so a passed proof_end stays passed). */
static void release_proof(cohort *c, size_t person, double committed_time, int64_t committed_day,
                          int64_t proof_day)
{
    for (uint32_t *link = &c->persons[person].release_head; *link != 0;) {
        uint32_t e = *link;
        cohort_release_entry *r = &c->releases[e];
        if (r->proof_end >= proof_day && committed_time > r->time) {
            int first = first_year_within(r->day, committed_day, proof_day);
            if (first <= COHORT_LONGRUN_YEARS) {
                cohort_tally *t = &c->tallies[r->quarter];
                for (int k = first; k <= COHORT_LONGRUN_YEARS; k++) {
                    uint16_t bit = (uint16_t)(1u << (k - 1));
                    if (r->reoffended & bit) continue;
                    r->reoffended |= bit;
                    t->reoffended_within[k - 1]++;
                }
                /* Counted for k ≥ first (and maybe from an earlier proof for
                 * more): only the years below the lowest counted one are
                 * left, and their proofs end with the highest of them. */
                int left = 0;
                while (left < COHORT_LONGRUN_YEARS && !(r->reoffended & (1u << left))) left++;
                r->proof_end = left > 0 ? proof_end_years(r->day, left) : INT64_MIN;
            }
        }
        if (r->proof_end >= proof_day) {
            link = &r->next;
            continue;
        }
        *link = r->next;
        release_entry_free(c, e);
    }
}

void cohort_proof(cohort *c, size_t person, double committed_time, int64_t committed_day,
                  int64_t proof_day)
{
    if (person >= c->cap_people) return;
    release_proof(c, person, committed_time, committed_day, proof_day);
    cohort_entry *ring = c->ring + person * COHORT_RING;
    for (uint8_t i = 0; i < c->persons[person].ring_len; i++) {
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
