/* place.c — the areas of a place, built from the scenario's `areas` list. */
#include "place.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A name and its area, for sorting: qsort has no context argument. */
typedef struct named_area {
    const char *name;
    uint32_t index;
} named_area;

static int compare_named(const void *a, const void *b)
{
    const named_area *x = a, *y = b;
    int c = strcmp(x->name, y->name);
    if (c) return c;
    return (x->index > y->index) - (x->index < y->index);
}

/* Sorts the areas by name into p->by_name, so that looking one up costs
 * O(log n) (neighbours, and the models' area lists, name areas: a scan each
 * would make a place of 100,000 areas quadratic). Sorting rather than
 * hashing keeps the worst case O(n log n) whatever names a file chooses.
 * 0, or -1 when out of memory. */
static int index_names(place *p)
{
    size_t n = p->n_areas;
    named_area *sorted = malloc(n * sizeof *sorted);
    p->by_name = malloc(n * sizeof *p->by_name);
    if (!sorted || !p->by_name) {
        free(sorted);
        free(p->by_name);
        p->by_name = NULL;
        return -1;
    }
    for (size_t i = 0; i < n; i++) sorted[i] = (named_area){ p->areas[i].name, (uint32_t)i };
    qsort(sorted, n, sizeof *sorted, compare_named);
    for (size_t i = 0; i < n; i++) p->by_name[i] = sorted[i].index;
    free(sorted);
    return 0;
}

static long find_area(const place *p, const char *name)
{
    if (!p->by_name) {
        for (size_t i = 0; i < p->n_areas; i++) {
            if (strcmp(p->areas[i].name, name) == 0) return (long)i;
        }
        return -1;
    }
    /* The first of equal names: the lowest index, as a scan would find. */
    size_t lo = 0, hi = p->n_areas;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (strcmp(p->areas[p->by_name[mid]].name, name) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo < p->n_areas && strcmp(p->areas[p->by_name[lo]].name, name) == 0)
        return (long)p->by_name[lo];
    return -1;
}

/* The scenario's areas list when it holds from 1 to UINT32_MAX areas;
 * else NULL with the error in err. */
static const scn_node *areas_list(const scenario *s, char *err, size_t errlen)
{
    const scn_node *list = scenario_find(s, "areas");
    size_t n = list ? list->n_children : 0;
    if (n == 0) {
        snprintf(err, errlen, "%s:%d: areas: a place needs at least one area",
                 list ? list->file : scenario_path(s), list ? list->line : 1);
        return NULL;
    }
    if (n > UINT32_MAX) {
        snprintf(err, errlen, "%s:%d: areas: %zu areas; a place holds at most %lu", list->file,
                 list->line, n, (unsigned long)UINT32_MAX);
        return NULL;
    }
    return list;
}

/* Area a from its entry; more social dwellings than dwellings is an error
 * appended to err. */
static void read_area(const scn_node *entry, area *a, char *err, size_t errlen)
{
    a->name = scn_member_string(entry, "name");
    a->population = scn_member_int(entry, "population");
    a->dwellings = scn_member_int(entry, "dwellings");
    a->social_dwellings = scn_member_int(entry, "social_dwellings");
    a->deprivation = scn_member_float(entry, "deprivation");
    if (a->social_dwellings > a->dwellings) {
        const scn_node *at = scn_member(entry, "social_dwellings");
        scenario_error_append(
            err, errlen, at->file, at->line,
            "areas.%s.social_dwellings: %lld is more than the area's %lld dwellings", a->name,
            (long long)a->social_dwellings, (long long)a->dwellings);
    }
}

/* Area i's neighbours from their names (the entry's `neighbours`): an
 * unknown name, the area itself or a name listed twice is an error
 * appended to err. seen[j] == i + 1 marks j as listed (O(1) per
 * neighbour, where a scan of the list so far would be quadratic in a long
 * list). 0, or -1 when out of memory. */
static int link_neighbours(place *p, size_t i, const scn_node *names, uint32_t *seen, char *err,
                           size_t errlen)
{
    area *a = &p->areas[i];
    a->neighbours = calloc(names->n_children ? names->n_children : 1, sizeof *a->neighbours);
    if (!a->neighbours) return -1;
    for (size_t k = 0; k < names->n_children; k++) {
        const char *name = names->children[k]->string_value;
        long j = find_area(p, name);
        if (j < 0) {
            scenario_error_append(err, errlen, names->file, names->line,
                                  "areas.%s.neighbours: \"%s\" is not an area", a->name, name);
        } else if ((size_t)j == i) {
            scenario_error_append(err, errlen, names->file, names->line,
                                  "areas.%s.neighbours: an area is not its own neighbour", a->name);
        } else if (seen[j] == (uint32_t)i + 1) {
            /* Most likely a slip for another area's name. */
            scenario_error_append(err, errlen, names->file, names->line,
                                  "areas.%s.neighbours: \"%s\" is listed twice", a->name, name);
        } else {
            seen[j] = (uint32_t)i + 1;
            a->neighbours[a->n_neighbours++] = (uint32_t)j;
        }
    }
    return 0;
}

/* Every area's neighbours, through the index of names. 0, or -1 when out
 * of memory. */
static int link_all(place *p, const scn_node *list, char *err, size_t errlen)
{
    uint32_t *seen = calloc(p->n_areas, sizeof *seen);
    int status = seen && index_names(p) == 0 ? 0 : -1;
    for (size_t i = 0; status == 0 && i < p->n_areas; i++)
        status =
            link_neighbours(p, i, scn_member(list->children[i], "neighbours"), seen, err, errlen);
    free(seen);
    return status;
}

int place_build(const scenario *s, place *out, char *err, size_t errlen)
{
    memset(out, 0, sizeof *out);
    if (errlen) err[0] = '\0';
    const scn_node *list = areas_list(s, err, errlen);
    if (!list) return -1;
    size_t n = list->n_children;
    out->areas = calloc(n, sizeof *out->areas);
    if (!out->areas) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    out->n_areas = n;
    for (size_t i = 0; i < n; i++) {
        area *a = &out->areas[i];
        read_area(list->children[i], a, err, errlen);
        out->population += a->population;
        out->dwellings += a->dwellings;
        out->social_dwellings += a->social_dwellings;
    }
    if (link_all(out, list, err, errlen) != 0) {
        snprintf(err, errlen, "out of memory");
        place_free(out);
        return -1;
    }
    if (err[0]) {
        place_free(out);
        return -1;
    }
    return 0;
}

long place_area_index(const place *p, const char *name) { return find_area(p, name); }

void place_free(place *p)
{
    if (p->areas) {
        for (size_t i = 0; i < p->n_areas; i++) free(p->areas[i].neighbours);
    }
    free(p->areas);
    free(p->by_name);
    memset(p, 0, sizeof *p);
}
