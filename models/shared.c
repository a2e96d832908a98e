/* shared.c — the models' shared state, created and freed through the
 * registry (model_shared_create, registry.c). */
#include "shared.h"

#include <stdlib.h>
#include <string.h>

const char *const crime_type_names[CRIME_TYPES] = {
    "burglary", "robbery", "theft_person", "criminal_damage", "violence_injury",
};

/* 8 per-area arrays and 5 per-area-and-type arrays of 8-byte values. */
double shared_bytes_per_area(void) { return 8 * 8 + 5 * CRIME_TYPES * 8; }

shared_state *shared_create(const place *p)
{
    shared_state *st = calloc(1, sizeof *st);
    if (!st) return NULL;
    size_t n = p->n_areas ? p->n_areas : 1;
    size_t nk = n * CRIME_TYPES;
    st->n_areas = p->n_areas;
    st->blight_index = calloc(n, sizeof *st->blight_index);
    st->ready_lets = calloc(n, sizeof *st->ready_lets);
    st->damage_today = calloc(n, sizeof *st->damage_today);
    st->patrol_intensity = calloc(n, sizeof *st->patrol_intensity);
    st->crime_keep = calloc(n, sizeof *st->crime_keep);
    st->detect_probability = calloc(nk, sizeof *st->detect_probability);
    st->crime_attraction = calloc(nk, sizeof *st->crime_attraction);
    st->tracked_attempted = calloc(nk, sizeof *st->tracked_attempted);
    st->tracked_prevented = calloc(nk, sizeof *st->tracked_prevented);
    st->tracked_detected = calloc(nk, sizeof *st->tracked_detected);
    st->new_offenders_pending = calloc(n, sizeof *st->new_offenders_pending);
    st->offenders_resident = calloc(n, sizeof *st->offenders_resident);
    st->secured_voids = calloc(n, sizeof *st->secured_voids);
    if (!st->secured_voids || !st->blight_index || !st->ready_lets || !st->damage_today ||
        !st->patrol_intensity || !st->crime_keep || !st->detect_probability ||
        !st->crime_attraction || !st->tracked_attempted || !st->tracked_prevented ||
        !st->tracked_detected || !st->new_offenders_pending || !st->offenders_resident) {
        shared_free(st);
        return NULL;
    }
    /* Without a crime model nothing is prevented or attracted elsewhere. */
    for (size_t a = 0; a < n; a++) st->crime_keep[a] = 1.0;
    for (size_t i = 0; i < nk; i++) st->crime_attraction[i] = 1.0;
    return st;
}

void shared_free(shared_state *st)
{
    if (!st) return;
    free(st->blight_index);
    free(st->ready_lets);
    free(st->damage_today);
    free(st->patrol_intensity);
    free(st->crime_keep);
    free(st->detect_probability);
    free(st->crime_attraction);
    free(st->tracked_attempted);
    free(st->tracked_prevented);
    free(st->tracked_detected);
    free(st->new_offenders_pending);
    free(st->offenders_resident);
    free(st->secured_voids);
    free(st);
}

double intervention_param(const intervention_type *t, const scn_node *entry, const char *key)
{
    double v = scn_member_float(entry, key);
    if (v != -1) return v;
    for (size_t i = 0; i < t->n_keys; i++) {
        if (strcmp(t->keys[i].path, key) == 0 && t->keys[i].default_value) {
            return strtod(t->keys[i].default_value, NULL);
        }
    }
    return v;
}
