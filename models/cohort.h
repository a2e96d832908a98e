/* cohort.h — the Ministry of Justice proven re-offending measure
 * (MODELS.md § 3), kept apart from the model so that it can be tested on
 * hand-made sequences of events.
 *
 * For each calendar quarter a person's index event is their FIRST release
 * from custody, start of a community order or other disposal in that
 * quarter. They re-offend if they commit an offence in the 12 months after
 * the index event that is proven within a further 6 months. Each person keeps
 * a small ring of their recent index events; a proof is checked against it,
 * and the per-quarter tallies are updated at once, so nothing is scanned.
 *
 * Each index event is also put in a band of the person's previous proven
 * offences before the index offence (the caller says how many), fixed at the
 * index event.
 *
 * A long-run measure follows releases from custody (any sentence length;
 * the model's people are all adults): a person's first release of a
 * calendar quarter is followed for nine years, and counts as having
 * re-offended within k years (k = 1 … 9) if they commit an offence within
 * k years of the release that is proven within k years and 6 months.
 * Releases are kept in a pool shared by everyone, each person's in a list
 * of their own; a proof walks only that person's list and frees the
 * entries it can no longer change.
 *
 * People are numbered by the caller (slots of a population; cohort_forget
 * when a slot is reused). Days are day numbers (dates.h); times are the
 * caller's event times, used only to order an offence after its index event
 * on the same day. */
#ifndef PLACESIM_COHORT_H
#define PLACESIM_COHORT_H

#include <stddef.h>
#include <stdint.h>

/* Cohorts an index event can belong to: a bit each in `classes`. Every
 * index event is in COHORT_ALL. The RELEASED three split custody releases by
 * accommodation on the first night (the published breakdown); the PREV five
 * split every index event by previous proven offences (the Ministry of
 * Justice's bands), exactly one of them each (cohort_prev_class). */
enum cohort_class {
    COHORT_ALL,
    COHORT_CUSTODY_SHORT,    /* released from a sentence under 12 months */
    COHORT_CUSTODY_OR_ORDER, /* released from custody or starting a community order */
    COHORT_RELEASED_SETTLED,
    COHORT_RELEASED_TEMPORARY,
    COHORT_RELEASED_HOMELESS,
    COHORT_PREV_0,      /* no previous proven offence */
    COHORT_PREV_1_2,    /* 1 or 2 */
    COHORT_PREV_3_6,    /* 3 to 6 */
    COHORT_PREV_7_10,   /* 7 to 10 */
    COHORT_PREV_11PLUS, /* 11 or more */
    COHORT_CLASSES
};

/* The band of `prev` previous proven offences: COHORT_PREV_0 … _11PLUS. */
enum cohort_class cohort_prev_class(uint32_t prev);

/* Years the long-run measure follows a release for (k = 1 … this). */
enum { COHORT_LONGRUN_YEARS = 9 };

/* Entries a person keeps: index events of the last 18 months lie in at most
 * 7 calendar quarters, one each, so 8 never evicts a live one. */
enum { COHORT_RING = 8 };

typedef struct cohort_entry {
    double time;         /* of the index event */
    int64_t commit_last; /* last day a re-offence may be committed */
    int64_t proof_last;  /* last day it may be proven */
    uint32_t quarter;    /* index into the tallies */
    uint16_t classes;    /* bit c set: in cohort c */
    uint8_t reoffended;
} cohort_entry;

typedef struct cohort_tally {
    int64_t size[COHORT_CLASSES];
    int64_t reoffenders[COHORT_CLASSES];
    int64_t reoffences; /* proven re-offences of the `all` cohort */
    int64_t released;   /* followed releases: first of the quarter per person */
    int64_t reoffended_within[COHORT_LONGRUN_YEARS]; /* [k - 1]: of them, within k years */
} cohort_tally;

/* A followed release (the long-run measure). Entries are linked by index
 * into the pool; index 0 is never used, so 0 ends a list. */
typedef struct cohort_release_entry {
    double time;         /* of the release */
    int64_t day;         /* of the release */
    int64_t proof_end;   /* last day a proof can count for a k not yet counted */
    uint32_t quarter;    /* index into the tallies */
    uint32_t next;       /* the person's next (older) entry, or the next free one */
    uint16_t reoffended; /* bit k − 1 set: counted within k years */
} cohort_release_entry;

/* A person's own bookkeeping, in one record: an index event, a release and
 * a proof each read it, and as four arrays it was four cache misses among
 * a million people. */
typedef struct cohort_person {
    uint32_t release_head;    /* their newest followed release, 0 none */
    uint32_t release_quarter; /* tally index + 1 of their last followed release */
    uint8_t ring_len;
    uint8_t ring_next; /* where the next entry of their ring goes */
} cohort_person;

typedef struct cohort {
    int64_t first_quarter; /* quarter number of tallies[0] */
    cohort_tally *tallies;
    size_t n_quarters, cap_quarters;
    cohort_entry *ring;     /* COHORT_RING per person */
    cohort_person *persons; /* [cap_people] */
    size_t cap_people;
    /* the long-run measure */
    int64_t release_first_quarter, release_last_quarter; /* quarter numbers followed */
    cohort_release_entry *releases;                      /* the pool; [0] unused */
    size_t n_releases, cap_releases;                     /* entries ever used (with [0]) */
    uint32_t free_release;                               /* first free entry, 0 none */
} cohort;

/* Quarter number of a day: year × 4 + (month − 1) / 3. */
int64_t cohort_quarter_of(int64_t day);

/* Last day (a day number) of quarter number q. */
int64_t cohort_quarter_last_day(int64_t q);

/* The same calendar day `months` months later, clamped to the month's last
 * day (31 August + 6 months = 28 or 29 February). */
int64_t cohort_add_months(int64_t day, int months);

/* Last day of the follow-up of a quarter ending on quarter_last_day: a
 * quarter's rates are final once the run has simulated this day. */
int64_t cohort_followup_last_day(int64_t quarter_last_day);

/* The same for the long-run measure's k years (k years + 6 months after the
 * quarter's last day, less a day; k = 1 is cohort_followup_last_day). */
int64_t cohort_followup_last_day_years(int64_t quarter_last_day, int years);

/* An empty measure whose tallies start at the quarter of first_day; the
 * long-run measure follows releases from that quarter on. Returns 0, or -1
 * when out of memory (c is then empty and cohort_free is safe). */
int cohort_init(cohort *c, int64_t first_day);
void cohort_free(cohort *c);

/* Follows releases for the long-run measure only in the quarters whose rows
 * a run writing first_day … last_day can have: from the quarter of
 * first_day to the last whose 1-year follow-up
 * (cohort_followup_last_day_years) ends by last_day (none when there is no
 * such quarter). Releases outside them are not followed. */
void cohort_follow_releases(cohort *c, int64_t first_day, int64_t last_day);

/* Makes room for people 0 … people − 1 (new ones have no index events).
 * Returns 0, or -1 when out of memory (c unchanged). */
int cohort_reserve(cohort *c, size_t people);

/* Forgets a person's index events and followed releases (their slot goes
 * to someone else). */
void cohort_forget(cohort *c, size_t person);

/* An index event of `person` at `time`, on `day`, in the cohorts `classes`
 * (COHORT_ALL is implied). Returns 1 when it is the person's first in its
 * quarter and was counted, 0 when it is not (it is ignored), -1 when out of
 * memory or the day is before the first quarter. */
int cohort_index(cohort *c, size_t person, double time, int64_t day, unsigned classes);

/* A release from custody of `person` at `time`, on `day`, for the long-run
 * measure (the release is an index event too: call cohort_index as well).
 * Returns 1 when it is their first release in its quarter and the quarter is
 * followed, so it was counted, 0 when it is not (ignored), -1 when out of
 * memory (nothing counted). */
int cohort_release(cohort *c, size_t person, double time, int64_t day);

/* A proof on proof_day of an offence that `person` committed at
 * committed_time, on committed_day: counts a re-offence for every index event
 * of theirs whose windows contain it, and for every followed release of
 * theirs the years k whose windows contain it. */
void cohort_proof(cohort *c, size_t person, double committed_time, int64_t committed_day,
                  int64_t proof_day);

/* Tallies of the quarter ending on quarter_last_day, or NULL when nothing
 * was ever counted in it (all zero). */
const cohort_tally *cohort_tally_of(const cohort *c, int64_t quarter_last_day);

#endif
