/* offenders.h — the tracked offenders of the re-offending model as a
 * struct of arrays, and their open court cases.
 *
 * A slot holds one person; it is reused after desistance, but each person
 * has a serial id that never is (their random streams are keyed by it).
 * Tags, bumped when a slot is freed, let the model ignore events scheduled
 * for a previous holder. Arrays grow geometrically; nothing is allocated per
 * event. */
#ifndef PLACESIM_OFFENDERS_H
#define PLACESIM_OFFENDERS_H

#include <stddef.h>
#include <stdint.h>

enum offender_state {
    OFFENDER_FREE,      /* slot unused */
    OFFENDER_COMMUNITY, /* supervised or not: see `supervised` */
    OFFENDER_CUSTODY,
    OFFENDER_DESISTED_PENDING /* desisted; slot held until open cases are sentenced */
};

enum accommodation {
    ACCOMMODATION_SETTLED,
    ACCOMMODATION_TEMPORARY,
    ACCOMMODATION_HOMELESS,
    ACCOMMODATIONS
};

/* One person, in one record. At England scale (a million people) every
 * event on a person is a cache miss, and as a struct of arrays an offence
 * touched some fifteen arrays, a miss each; as one record it touches one
 * line, an event of another kind two or three. So the fields are grouped
 * by the events that use them together, each group one 64-byte line (the
 * record is aligned to lines and is exactly three, with no padding): keep
 * it so when adding a field (the static assertion below checks the size).
 * Fields are zeroed when a slot is taken, the tags excepted: they are kept
 * across holders and bumped at each free. */
typedef struct offender {
    /* line 1: an offence, and re-timing the next one (the commonest events) */
    _Alignas(64) double rate; /* current offending rate per day (0 in custody) */
    double offence_left;      /* unit-exponential mass left to the next offence */
    double offence_since;     /* time from which `rate` has been spending it */
    double lambda0;           /* committed offences per day at hazard ratio 1 */
    double hr_interventions;
    uint32_t serial;         /* never reused */
    uint32_t home;           /* area */
    uint32_t offence_number; /* offence events so far: ordinal of the offence stream */
    uint32_t offence_tag;    /* tag */
    uint8_t state;           /* enum offender_state */
    uint8_t desisted;        /* serves what remains of custody and supervision,
                                never offends again, then leaves */
    uint8_t supervised;      /* on probation or licence (community only) */
    uint8_t accommodation;   /* enum accommodation */
    uint8_t employed;
    uint8_t ever_proven;         /* a proof in this run */
    uint8_t accommodation_drawn; /* what the last release draw gave */
    uint8_t employment_left;     /* left the place; its ratio persists for a while */

    /* line 2: cases, sentences, custody, supervision and programmes */
    uint32_t pending;           /* open cases */
    uint32_t case_number;       /* cases opened so far: ordinal of the sentence stream */
    uint32_t prev;              /* proven offences so far */
    uint32_t release_number;    /* releases so far: ordinal of the release stream */
    uint32_t custody_prev;      /* prev before the offence whose sentence set release_at */
    uint32_t custody_tag;       /* tag */
    uint32_t supervision_tag;   /* tag */
    uint32_t desist_tag;        /* tag */
    uint32_t accommodation_tag; /* tag */
    uint32_t programme_tag;     /* tag: the end of employment support's persistence */
    float propensity;           /* normal score of lambda0 in its Gamma: drives housing need */
    uint16_t employment;        /* employment_support: view index + 1, 0 none */
    uint16_t intensive;         /* intensive_supervision: view index + 1, 0 none */
    uint32_t employment_at;     /* position in the programme's list of enrolled slots */
    uint32_t intensive_at;
    double desist_frailty; /* the person's multiplier of the desistance hazard */

    /* line 3: desistance, release and settling times */
    double birth; /* event time of birth (negative) */
    double desist_rate;
    double desist_left;
    double desist_since;
    double supervision_end; /* after release: end of licence and supervision */
    double sentence_days;   /* of the current custodial sentence */
    double release_at;      /* end of the current custodial term */
    double settle_at;       /* when an unsettled leaver settles */
} offender;

_Static_assert(sizeof(offender) == 192, "an offender is three cache lines: regroup its fields");

typedef struct offenders {
    size_t cap;   /* slots allocated */
    size_t used;  /* slots ever taken (high-water mark) */
    size_t alive; /* slots held */
    uint32_t *free_slots;
    size_t n_free;
    offender *person; /* [cap], 64-byte aligned; slots from `used` on are untouched */
} offenders;

/* An open case: a detected offence awaiting sentence. Read and written
 * together, so one record (32 bytes: two to a line). */
typedef struct offence_case {
    double committed; /* event time of the offence */
    uint32_t slot;
    uint32_t serial;
    uint32_t area;       /* where the offence happened */
    uint32_t number;     /* the person's case ordinal */
    uint32_t generation; /* bumped at each reuse of the case slot */
} offence_case;

typedef struct cases {
    size_t cap, used;
    uint32_t *free_slots;
    size_t n_free;
    offence_case *at; /* [cap] */
} cases;

/* Bytes of storage per offender slot (for the memory budget). */
size_t offenders_bytes_per_slot(void);

/* Makes room for `slots` slots at once (the capacity the arrays would
 * reach growing one by one), so that a large initial population is not
 * copied at each doubling. Returns 0, or -1 when out of memory (o
 * unchanged). */
int offenders_reserve(offenders *o, size_t slots);

/* Takes a slot (a freed one first, else a new one, growing the arrays) and
 * zeroes its fields, tags excepted. Returns 0 and sets *slot, or -1 when out
 * of memory (o unchanged). The caller sets the serial. */
int offenders_take(offenders *o, uint32_t *slot);

/* Returns a slot: bumps its tags so that pending events are recognised as
 * stale, and marks it free. */
void offenders_release(offenders *o, uint32_t slot);

void offenders_free(offenders *o);

/* Opens a case (fields zeroed except generation, which is bumped). Returns 0
 * and sets *id, or -1 when out of memory. */
int cases_open(cases *c, uint32_t *id);
void cases_close(cases *c, uint32_t id);
void cases_free(cases *c);

#endif
