/* housing_internal.h — the voids model's state, shared by its source files
 * (housing.c: events and life cycle; housing_interventions.c: the repair
 * dispatch and the place interventions of MODELS.md § 4). Not for other
 * models: they see housing only through the place state. */
#ifndef PLACESIM_HOUSING_INTERNAL_H
#define PLACESIM_HOUSING_INTERNAL_H

#include "housing.h"
#include "repair_queue.h"

enum dwelling_state { OCCUPIED, AWAITING_REPAIR, IN_REPAIR, READY_TO_LET };
enum dwelling_flag { FLAG_LONG = 1, FLAG_SECURED = 2 };

enum housing_event {
    EVENT_TENANCY_END,
    EVENT_REPAIR_DONE,
    EVENT_RELET,
    EVENT_BECOMES_LONG,
    EVENT_DAMAGE,
    EVENT_SECURE,
    EVENT_SECURE_INTERVENTION
};

enum queue_order { ORDER_FIFO, ORDER_LONGEST_VOID_FIRST, ORDER_TARGET_AREAS_FIRST };
enum duration_kind { DURATION_LOGNORMAL, DURATION_EXPONENTIAL, DURATION_FIXED };

/* Who repairs or secured a dwelling: 0 the landlord's own (base teams,
 * baseline securing), k + 1 intervention k of shared_state.interventions. */
enum { BY_BASELINE = 0, MAX_INTERVENTIONS = UINT16_MAX - 1 };

typedef struct duration {
    enum duration_kind kind;
    double median;
    double sigma;
} duration;

/* One dwelling's fields that its events read and write together: one cache
 * line (the static assertion keeps it so). */
typedef struct dwelling {
    _Alignas(64) double void_start;
    double work_team_days; /* outstanding work of the current void */
    double queued_at;
    double repair_end;
    uint32_t area;
    uint32_t void_number; /* voids so far: the current void is number k */
    uint32_t phase_tag;   /* bumped to cancel a pending repair end or re-let */
    uint32_t damage_tag;  /* bumped to cancel a pending damage incident */
    uint32_t letting_position;
    uint32_t damage_position;
    uint32_t tenant_slot; /* offender slot + 1 housed on release, or 0 */
    uint16_t repaired_by; /* while in repair: whose team (BY_BASELINE or k + 1) */
    uint8_t state;        /* enum dwelling_state */
    uint8_t flags;        /* enum dwelling_flag */
} dwelling;

_Static_assert(sizeof(dwelling) == 64, "a dwelling's hot fields are one cache line");

typedef struct housing {
    /* parameters */
    double tenancy_mean_days; /* INFINITY when turnover is 0 */
    duration repair_work;
    double major_share, major_multiplier;
    duration letting_delay;
    double letting_deprivation_factor;
    double damage_hazard_per_day, exposure_after_days, exposed_multiplier, secured_divisor;
    duration damage_work;
    int securing_enabled;
    double secure_after_days;
    double blight_after_days, secured_blight_weight;
    double rent_per_day, repair_cost_per_team_day, security_cost_per_day;
    enum queue_order order;

    /* dwellings: what their events use together in one line each (at
     * England's 4 million social homes each field of a struct of arrays
     * was a cache miss of its own); the rest apart */
    size_t n_dwellings;
    dwelling *dw;             /* [n_dwellings], 64-byte aligned */
    uint32_t *ready_position; /* index in its area's ready list while ready to let */
    uint32_t *ready_list;     /* per area, the ready dwellings, in the area's
                                   segment [first_dwelling[a], …) */
    uint32_t *tenant_serial;  /* of tenant_slot's person */
    uint16_t *secured_by;     /* while secured: who secured it (BY_BASELINE or k + 1) */

    /* areas */
    size_t n_areas;
    double *area_dwellings; /* all tenures: the blight denominator */
    double *letting_factor;
    uint8_t *target_area;
    uint32_t *first_dwelling; /* dwellings of area a are first_dwelling[a] … */
    int64_t *ready_count;
    int64_t *voids, *long_unsecured, *long_secured, *secured, *queued;
    int64_t *secured_iv;   /* of `secured`, those secured by interventions */
    int reoffending_model; /* -1 when not running */

    repair_queues queue;
    int64_t teams;
    int64_t teams_free;
    int metric_base;

    /* the place interventions as housing last saw them (at the start of the
     * day); sized on first sight of shared_state.interventions */
    size_t n_iv;
    uint8_t *iv_active;
    int64_t *iv_busy;    /* repair_teams: its teams at work */
    int64_t *iv_secured; /* void_security: voids it secured, still void */
    double *iv_value;    /* its capacity (repair_teams) or effect, as last seen */
    size_t *repair_iv;   /* indices of the repair_teams interventions */
    size_t n_repair_iv;
    double *letting_multiplier; /* [area] Π (1 − f) of active fast_letting */
    double *secure_age;         /* [area] smallest N of active void_security; INFINITY: none */
    uint16_t *secure_by;        /* [area] the intervention of that N, k + 1 */
} housing;

static inline int housing_metric_id(const housing *h, enum housing_metric m)
{
    return h->metric_base + (int)m;
}

/* housing.c: secures void d (by BY_BASELINE or k + 1) and redraws its next
 * damage incident. Returns 0, or -1 after sim_fail. */
int housing_secure(housing *h, sim_run *run, uint32_t d, uint16_t by);

/* housing_interventions.c */

/* Gives waiting voids to free teams: interventions' teams first (each only
 * in its areas), then the base teams (any area). 0, or -1 after sim_fail. */
int housing_start_repairs(housing *h, sim_run *run);

/* A repair job of `by`'s team ended: frees the team. Returns nonzero when the
 * work is the landlord's own (charged as demand). */
int housing_release_team(housing *h, uint16_t by);

/* Schedules the intervention securing of new void d, when its area has one. */
int housing_iv_new_void(housing *h, sim_run *run, uint32_t d);

/* EVENT_SECURE_INTERVENTION for a current, unsecured void d. */
int housing_iv_on_secure(housing *h, sim_run *run, uint32_t d);

/* Secured void d is re-let: drop it from its intervention's count. */
void housing_iv_unsecure(housing *h, uint32_t d);

/* Start of day: reads shared_state.interventions and acts on any change. */
int housing_iv_begin_day(housing *h, sim_run *run);

/* End of day: writes `used` of the place interventions and secured_voids. */
void housing_iv_end_day(housing *h, sim_run *run);

/* Per-area intervention state at its neutral values. 0, or -1 out of memory. */
int housing_iv_allocate(housing *h);
void housing_iv_free(housing *h);

#endif
