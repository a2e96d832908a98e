/* offenders.c — struct-of-arrays storage of offenders and of their cases. */
#include "offenders.h"

#include <stdlib.h>
#include <string.h>

/* Grows every array of a struct of arrays to `cap` entries; on failure the
 * arrays already grown keep their (larger) blocks, which is harmless since
 * `cap` is only updated on success. */
#define GROW_FIELD(type, name)                                                                     \
    {                                                                                              \
        type *grown = realloc(s->name, cap * sizeof(type));                                        \
        if (!grown) return -1;                                                                     \
        memset(grown + s->cap, 0, (cap - s->cap) * sizeof(type));                                  \
        s->name = grown;                                                                           \
    }
#define ZERO_FIELD(type, name)  s->name[i] = (type)0;
#define FREE_FIELD(type, name)  free(s->name);
#define BUMP_TAG(type, name)    s->name[i]++;
#define FIELD_BYTES(type, name) +sizeof(type)

static int offenders_grow(offenders *s)
{
    size_t cap = s->cap ? 2 * s->cap : 1024;
    if (cap > UINT32_MAX) return -1;
    OFFENDER_FIELDS(GROW_FIELD)
    OFFENDER_TAGS(GROW_FIELD)
    uint32_t *free_slots = realloc(s->free_slots, cap * sizeof *free_slots);
    if (!free_slots) return -1;
    s->free_slots = free_slots;
    s->cap = cap;
    return 0;
}

size_t offenders_bytes_per_slot(void)
{
    return 0 OFFENDER_FIELDS(FIELD_BYTES) OFFENDER_TAGS(FIELD_BYTES) + sizeof(uint32_t);
}

int offenders_take(offenders *s, uint32_t *slot)
{
    size_t i;
    if (s->n_free > 0) {
        i = s->free_slots[--s->n_free];
    } else {
        if (s->used == s->cap && offenders_grow(s) != 0) return -1;
        i = s->used++;
    }
    OFFENDER_FIELDS(ZERO_FIELD)
    s->alive++;
    *slot = (uint32_t)i;
    return 0;
}

void offenders_release(offenders *s, uint32_t slot)
{
    size_t i = slot;
    OFFENDER_TAGS(BUMP_TAG)
    s->state[i] = OFFENDER_FREE;
    s->free_slots[s->n_free++] = slot;
    s->alive--;
}

void offenders_free(offenders *s)
{
    OFFENDER_FIELDS(FREE_FIELD)
    OFFENDER_TAGS(FREE_FIELD)
    free(s->free_slots);
    memset(s, 0, sizeof *s);
}

static int cases_grow(cases *s)
{
    size_t cap = s->cap ? 2 * s->cap : 256;
    if (cap > UINT32_MAX) return -1;
    CASE_FIELDS(GROW_FIELD)
    uint32_t *free_slots = realloc(s->free_slots, cap * sizeof *free_slots);
    if (!free_slots) return -1;
    s->free_slots = free_slots;
    s->cap = cap;
    return 0;
}

int cases_open(cases *s, uint32_t *id)
{
    size_t i;
    if (s->n_free > 0) {
        i = s->free_slots[--s->n_free];
    } else {
        if (s->used == s->cap && cases_grow(s) != 0) return -1;
        i = s->used++;
    }
    uint32_t generation = s->generation[i] + 1;
    CASE_FIELDS(ZERO_FIELD)
    s->generation[i] = generation;
    *id = (uint32_t)i;
    return 0;
}

void cases_close(cases *s, uint32_t id)
{
    s->generation[id]++;
    s->free_slots[s->n_free++] = id;
}

void cases_free(cases *s)
{
    CASE_FIELDS(FREE_FIELD)
    free(s->free_slots);
    memset(s, 0, sizeof *s);
}
