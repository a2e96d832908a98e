/* ledger.c — entries summed per output period, in integer pence. */
#include "ledger.h"

#include "output.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

const char *const ledger_agency_names[LEDGER_AGENCIES] = {
    "housing", "police", "probation", "prisons", "council", "health", "courts", "victims", "pool",
};
const char *const ledger_category_names[LEDGER_CATEGORIES] = {
    "budget", "pool_in", "rollover", "pool_return", "lapse", "intervention", "demand",
};
const char ledger_csv_header[] = "scenario,replication,tick,date,agency,category,item,amount\n";

/* One (agency, category, item) of one period. */
typedef struct ledger_row {
    int64_t period_last_day;
    uint8_t agency, category;
    uint32_t item;
    int64_t pence;
} ledger_row;

struct ledger {
    int64_t first_day, last_day;
    period_kind period;
    int64_t period_end; /* last day of the open period */
    char **items;       /* interned item names */
    /* per item, the caller's pointer it last matched: most callers pass the
     * same literal every time, so a lookup usually needs one strcmp */
    const char **item_seen;
    size_t n_items, cap_items;
    /* the open period: pence per (agency, category, item), and whether set */
    int64_t *open;
    uint8_t *open_set;
    size_t open_cap_items; /* item capacity of the open arrays */
    ledger_row *rows;      /* closed periods */
    size_t n_rows, cap_rows;
    int64_t balance[LEDGER_AGENCIES];
};

/* Index of (agency, category, item) in the open period's arrays. */
static size_t cell(int agency, int category, uint32_t item)
{
    return ((size_t)item * LEDGER_AGENCIES + (size_t)agency) * LEDGER_CATEGORIES + (size_t)category;
}

ledger *ledger_create(int64_t first_day, int64_t last_day, period_kind period)
{
    ledger *l = calloc(1, sizeof *l);
    if (!l) return NULL;
    l->first_day = first_day;
    l->last_day = last_day;
    l->period = period;
    int64_t end = period_last_day(period, first_day);
    l->period_end = end < last_day ? end : last_day;
    return l;
}

void ledger_destroy(ledger *l)
{
    if (!l) return;
    for (size_t i = 0; i < l->n_items; i++) free(l->items[i]);
    free(l->items);
    free(l->item_seen);
    free(l->open);
    free(l->open_set);
    free(l->rows);
    free(l);
}

/* The item's id, interning it on first use; UINT32_MAX when out of memory. */
static uint32_t item_id(ledger *l, const char *item)
{
    /* The pointer only finds the candidate; the text decides, so a caller's
     * reused buffer holding another name cannot match. */
    for (size_t i = 0; i < l->n_items; i++) {
        if (l->item_seen[i] == item && strcmp(l->items[i], item) == 0) return (uint32_t)i;
    }
    for (size_t i = 0; i < l->n_items; i++) {
        if (strcmp(l->items[i], item) == 0) {
            l->item_seen[i] = item;
            return (uint32_t)i;
        }
    }
    if (l->n_items == l->cap_items) {
        size_t cap = l->cap_items ? 2 * l->cap_items : 32;
        char **grown = realloc(l->items, cap * sizeof *grown);
        if (!grown) return UINT32_MAX;
        l->items = grown;
        const char **seen = realloc(l->item_seen, cap * sizeof *seen);
        if (!seen) return UINT32_MAX;
        l->item_seen = seen;
        l->cap_items = cap;
    }
    if (l->n_items == l->open_cap_items) {
        size_t cap = l->open_cap_items ? 2 * l->open_cap_items : 32;
        size_t cells = cap * LEDGER_AGENCIES * LEDGER_CATEGORIES;
        int64_t *open = realloc(l->open, cells * sizeof *open);
        if (!open) return UINT32_MAX;
        l->open = open;
        uint8_t *set = realloc(l->open_set, cells * sizeof *set);
        if (!set) return UINT32_MAX;
        l->open_set = set;
        size_t old = l->open_cap_items * LEDGER_AGENCIES * LEDGER_CATEGORIES;
        memset(l->open + old, 0, (cells - old) * sizeof *l->open);
        memset(l->open_set + old, 0, (cells - old) * sizeof *l->open_set);
        l->open_cap_items = cap;
    }
    size_t n = strlen(item) + 1;
    char *copy = malloc(n);
    if (!copy) return UINT32_MAX;
    memcpy(copy, item, n);
    l->items[l->n_items] = copy;
    l->item_seen[l->n_items] = item;
    return (uint32_t)l->n_items++;
}

int ledger_post(ledger *l, int64_t day, enum ledger_agency agency, enum ledger_category category,
                const char *item, int64_t pence)
{
    if (day < l->first_day || day > l->last_day || (unsigned)agency >= LEDGER_AGENCIES ||
        (unsigned)category >= LEDGER_CATEGORIES) {
        return -1;
    }
    uint32_t id = item_id(l, item ? item : "");
    if (id == UINT32_MAX) return -1;
    size_t c = cell(agency, category, id);
    l->open[c] += pence;
    l->open_set[c] = 1;
    if (category != LEDGER_DEMAND) l->balance[agency] += pence;
    return 0;
}

int64_t ledger_balance(const ledger *l, enum ledger_agency agency)
{
    return (unsigned)agency < LEDGER_AGENCIES ? l->balance[agency] : 0;
}

int64_t ledger_total(const ledger *l, int agency, enum ledger_category category, const char *item)
{
    int64_t sum = 0;
    for (size_t i = 0; i < l->n_rows; i++) {
        const ledger_row *r = &l->rows[i];
        if (r->category == category && (agency < 0 || r->agency == agency) &&
            (!item || strcmp(l->items[r->item], item) == 0)) {
            sum += r->pence;
        }
    }
    for (size_t id = 0; id < l->n_items; id++) {
        if (item && strcmp(l->items[id], item) != 0) continue;
        for (int a = 0; a < LEDGER_AGENCIES; a++) {
            if (agency >= 0 && a != agency) continue;
            size_t c = cell(a, category, (uint32_t)id);
            if (l->open_set[c]) sum += l->open[c];
        }
    }
    return sum;
}

static int close_period(ledger *l)
{
    for (size_t c = 0; c < l->n_items * LEDGER_AGENCIES * LEDGER_CATEGORIES; c++) {
        if (!l->open_set[c]) continue;
        if (l->n_rows == l->cap_rows) {
            size_t cap = l->cap_rows ? 2 * l->cap_rows : 256;
            ledger_row *grown = realloc(l->rows, cap * sizeof *grown);
            if (!grown) return -1;
            l->rows = grown;
            l->cap_rows = cap;
        }
        l->rows[l->n_rows++] =
            (ledger_row){ l->period_end, (uint8_t)(c / LEDGER_CATEGORIES % LEDGER_AGENCIES),
                          (uint8_t)(c % LEDGER_CATEGORIES),
                          (uint32_t)(c / LEDGER_CATEGORIES / LEDGER_AGENCIES), l->open[c] };
        l->open[c] = 0;
        l->open_set[c] = 0;
    }
    return 0;
}

int ledger_end_day(ledger *l, int64_t day)
{
    if (day < l->first_day || day > l->last_day || day < l->period_end) return 0;
    if (close_period(l) != 0) return -1;
    int64_t next = period_last_day(l->period, day + 1);
    l->period_end = next < l->last_day ? next : l->last_day;
    return 0;
}

void ledger_format_pence(int64_t pence, char *buf)
{
    uint64_t magnitude = pence < 0 ? (uint64_t)0 - (uint64_t)pence : (uint64_t)pence;
    snprintf(buf, 32, "%s%" PRIu64 ".%02" PRIu64, pence < 0 ? "-" : "", magnitude / 100,
             magnitude % 100);
}

/* qsort has no context argument: sort indices by a key built once. */
typedef struct keyed {
    int64_t day;
    uint8_t agency, category;
    const char *item;
    size_t row;
} keyed;

static int compare_keyed(const void *pa, const void *pb)
{
    const keyed *a = pa, *b = pb;
    if (a->day != b->day) return a->day < b->day ? -1 : 1;
    if (a->agency != b->agency) return a->agency < b->agency ? -1 : 1;
    if (a->category != b->category) return a->category < b->category ? -1 : 1;
    return strcmp(a->item, b->item);
}

int ledger_format_rows(outbuf *out, const char *scenario, size_t replication, const ledger *l,
                       int64_t start_day)
{
    keyed *order = malloc((l->n_rows ? l->n_rows : 1) * sizeof *order);
    if (!order) return -1;
    for (size_t i = 0; i < l->n_rows; i++) {
        const ledger_row *r = &l->rows[i];
        order[i] = (keyed){ r->period_last_day, r->agency, r->category, l->items[r->item], i };
    }
    qsort(order, l->n_rows, sizeof *order, compare_keyed);
    for (size_t i = 0; i < l->n_rows; i++) {
        const ledger_row *r = &l->rows[order[i].row];
        char date[11], amount[32], number[NUMFMT_MAX];
        date_format(r->period_last_day, date);
        ledger_format_pence(r->pence, amount);
        outbuf_put_csv_field(out, scenario);
        outbuf_putc(out, ',');
        outbuf_put(out, number, numfmt_u64(number, replication));
        outbuf_putc(out, ',');
        outbuf_put(out, number, numfmt_i64(number, r->period_last_day - start_day));
        outbuf_putc(out, ',');
        outbuf_put(out, date, 10);
        outbuf_putc(out, ',');
        outbuf_puts(out, ledger_agency_names[r->agency]);
        outbuf_putc(out, ',');
        outbuf_puts(out, ledger_category_names[r->category]);
        outbuf_putc(out, ',');
        outbuf_put_csv_field(out, l->items[r->item]);
        outbuf_putc(out, ',');
        outbuf_puts(out, amount);
        outbuf_putc(out, '\n');
    }
    free(order);
    return out->failed ? -1 : 0;
}

int ledger_write_rows(FILE *out, const char *scenario, size_t replication, const ledger *l,
                      int64_t start_day)
{
    outbuf text = OUTBUF_EMPTY;
    int status = ledger_format_rows(&text, scenario, replication, l, start_day);
    if (status == 0 && text.len && fwrite(text.data, 1, text.len, out) != text.len) status = -1;
    outbuf_free(&text);
    return status != 0 || ferror(out) ? -1 : 0;
}
