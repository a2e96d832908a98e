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

/* Per-person fields, zeroed when a slot is taken. */
#define OFFENDER_FIELDS(X)                                                                         \
    X(uint32_t, serial)             /* never reused */                                             \
    X(uint32_t, home)               /* area */                                                     \
    X(uint8_t, state)               /* enum offender_state */                                      \
    X(uint8_t, accommodation)       /* enum accommodation */                                       \
    X(uint8_t, accommodation_drawn) /* what the last release draw gave */                          \
    X(uint8_t, employed)                                                                           \
    X(uint8_t, supervised)      /* on probation or licence (community only) */                     \
    X(uint8_t, ever_proven)     /* a proof in this run */                                          \
    X(uint8_t, desisted)        /* serves what remains of custody and supervision,      */         \
                                /* never offends again, then leaves                     */         \
    X(uint32_t, prev)           /* proven offences so far */                                       \
    X(uint32_t, pending)        /* open cases */                                                   \
    X(uint32_t, offence_number) /* offence events so far: ordinal of the offence stream */         \
    X(uint32_t, case_number)    /* cases opened so far: ordinal of the sentence stream */          \
    X(uint32_t, release_number) /* releases so far: ordinal of the release stream */               \
    X(double, lambda0)          /* committed offences per day at hazard ratio 1 */                 \
    X(float, propensity)        /* normal score of lambda0 in its Gamma: drives housing need */    \
    X(double, desist_frailty)   /* the person's multiplier of the desistance hazard */             \
    X(double, hr_interventions)                                                                    \
    X(double, birth)         /* event time of birth (negative) */                                  \
    X(double, rate)          /* current offending rate per day (0 in custody) */                   \
    X(double, offence_left)  /* unit-exponential mass left to the next offence */                  \
    X(double, offence_since) /* time from which `rate` has been spending it */                     \
    X(double, desist_rate)                                                                         \
    X(double, desist_left)                                                                         \
    X(double, desist_since)                                                                        \
    X(double, supervision_end)  /* after release: end of licence and supervision */                \
    X(double, sentence_days)    /* of the current custodial sentence */                            \
    X(double, release_at)       /* end of the current custodial term */                            \
    X(uint32_t, custody_prev)   /* prev before the offence whose sentence set release_at */        \
    X(double, settle_at)        /* when an unsettled leaver settles */                             \
    X(uint16_t, employment)     /* employment_support: view index + 1, 0 none */                   \
    X(uint16_t, intensive)      /* intensive_supervision: view index + 1, 0 none */                \
    X(uint8_t, employment_left) /* left the place; its ratio persists for a while */               \
    X(uint32_t, employment_at)  /* position in the programme's list of enrolled slots */           \
    X(uint32_t, intensive_at)

/* Per-slot tags, kept across holders and bumped at each free. */
#define OFFENDER_TAGS(X)                                                                           \
    X(uint32_t, offence_tag)                                                                       \
    X(uint32_t, custody_tag)                                                                       \
    X(uint32_t, supervision_tag)                                                                   \
    X(uint32_t, desist_tag)                                                                        \
    X(uint32_t, accommodation_tag)                                                                 \
    X(uint32_t, programme_tag) /* the end of employment support's persistence */

#define OFFENDERS_MEMBER(type, name) type *name;

typedef struct offenders {
    size_t cap;   /* slots allocated */
    size_t used;  /* slots ever taken (high-water mark) */
    size_t alive; /* slots held */
    uint32_t *free_slots;
    size_t n_free;
    OFFENDER_FIELDS(OFFENDERS_MEMBER)
    OFFENDER_TAGS(OFFENDERS_MEMBER)
} offenders;

/* An open case: a detected offence awaiting sentence. */
#define CASE_FIELDS(X)                                                                             \
    X(uint32_t, slot)                                                                              \
    X(uint32_t, serial)                                                                            \
    X(uint32_t, area)       /* where the offence happened */                                       \
    X(uint32_t, number)     /* the person's case ordinal */                                        \
    X(uint32_t, generation) /* bumped at each reuse of the case slot */                            \
    X(double, committed)    /* event time of the offence */

typedef struct cases {
    size_t cap, used;
    uint32_t *free_slots;
    size_t n_free;
    CASE_FIELDS(OFFENDERS_MEMBER)
} cases;

#undef OFFENDERS_MEMBER

/* Bytes of storage per offender slot (for the memory budget). */
size_t offenders_bytes_per_slot(void);

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
