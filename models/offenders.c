/* offenders.c — storage of offenders and of their cases: one record each,
 * in arrays that grow geometrically. */
#include "offenders.h"

#include <stdlib.h>
#include <string.h>

#include "alloc_tuning.h"

enum { LINE = 64 };

/* A line-aligned block of `cap` records of `size` bytes holding the first
 * `used` of *block, which it replaces; the rest is left untouched (not
 * zeroed: a slot is zeroed when first taken), so that its pages cost no
 * memory until used. Returns 0, or -1 when out of memory (*block kept).
 * realloc would keep only malloc's 16-byte alignment, which splits records
 * across lines. */
static int grow_aligned(void **block, size_t size, size_t used, size_t cap)
{
    size_t bytes = (size * cap + LINE - 1) / LINE * LINE; /* aligned_alloc: a multiple */
    void *grown = aligned_alloc(LINE, bytes);
    if (!grown) return -1;
    alloc_advise_huge(grown, bytes);
    if (used > 0) memcpy(grown, *block, used * size);
    free(*block);
    *block = grown;
    return 0;
}

/* Grows to the capacity of the doubling sequence from 1024 that holds
 * `want` slots, in one step. */
static int offenders_grow_to(offenders *s, size_t want)
{
    size_t cap = s->cap ? s->cap : 1024;
    while (cap < want) cap *= 2;
    if (cap > UINT32_MAX) return -1;
    if (cap == s->cap) return 0;
    uint32_t *free_slots = realloc(s->free_slots, cap * sizeof *free_slots);
    if (!free_slots) return -1;
    s->free_slots = free_slots;
    void *block = s->person;
    if (grow_aligned(&block, sizeof *s->person, s->used, cap) != 0) return -1;
    s->person = block;
    s->cap = cap;
    return 0;
}

static int offenders_grow(offenders *s) { return offenders_grow_to(s, s->cap + 1); }

int offenders_reserve(offenders *s, size_t slots) { return offenders_grow_to(s, slots); }

size_t offenders_bytes_per_slot(void) { return sizeof(offender) + sizeof(uint32_t); }

int offenders_take(offenders *s, uint32_t *slot)
{
    size_t i;
    offender *p;
    if (s->n_free > 0) {
        i = s->free_slots[--s->n_free];
        p = &s->person[i];
        /* The tags outlive the holder: events still pending for the last
         * one must stay stale. */
        uint32_t offence_tag = p->offence_tag, custody_tag = p->custody_tag,
                 supervision_tag = p->supervision_tag, desist_tag = p->desist_tag,
                 accommodation_tag = p->accommodation_tag, programme_tag = p->programme_tag;
        memset(p, 0, sizeof *p);
        p->offence_tag = offence_tag;
        p->custody_tag = custody_tag;
        p->supervision_tag = supervision_tag;
        p->desist_tag = desist_tag;
        p->accommodation_tag = accommodation_tag;
        p->programme_tag = programme_tag;
    } else {
        if (s->used == s->cap && offenders_grow(s) != 0) return -1;
        i = s->used++;
        memset(&s->person[i], 0, sizeof s->person[i]); /* tags from 0 */
    }
    s->alive++;
    *slot = (uint32_t)i;
    return 0;
}

void offenders_release(offenders *s, uint32_t slot)
{
    offender *p = &s->person[slot];
    p->offence_tag++;
    p->custody_tag++;
    p->supervision_tag++;
    p->desist_tag++;
    p->accommodation_tag++;
    p->programme_tag++;
    p->state = OFFENDER_FREE;
    s->free_slots[s->n_free++] = slot;
    s->alive--;
}

void offenders_free(offenders *s)
{
    free(s->person);
    free(s->free_slots);
    memset(s, 0, sizeof *s);
}

static int cases_grow(cases *s)
{
    size_t cap = s->cap ? 2 * s->cap : 256;
    if (cap > UINT32_MAX) return -1;
    uint32_t *free_slots = realloc(s->free_slots, cap * sizeof *free_slots);
    if (!free_slots) return -1;
    s->free_slots = free_slots;
    void *block = s->at;
    if (grow_aligned(&block, sizeof *s->at, s->used, cap) != 0) return -1;
    s->at = block;
    s->cap = cap;
    return 0;
}

int cases_open(cases *s, uint32_t *id)
{
    size_t i;
    uint32_t generation;
    if (s->n_free > 0) {
        i = s->free_slots[--s->n_free];
        generation = s->at[i].generation + 1;
    } else {
        if (s->used == s->cap && cases_grow(s) != 0) return -1;
        i = s->used++;
        generation = 1; /* as a zeroed slot's first opening */
    }
    s->at[i] = (offence_case){ .generation = generation };
    *id = (uint32_t)i;
    return 0;
}

void cases_close(cases *s, uint32_t id)
{
    s->at[id].generation++;
    s->free_slots[s->n_free++] = id;
}

void cases_free(cases *s)
{
    free(s->at);
    free(s->free_slots);
    memset(s, 0, sizeof *s);
}
