/* dates.c — civil dates, UK financial years and output periods.
 *
 * Day numbers <-> civil dates use Howard Hinnant's days_from_civil and
 * civil_from_days ("chrono-Compatible Low-Level Date Algorithms"): they work
 * in 400-year eras that start on 1 March, so the leap day is the last day of
 * its era-year and no month table is needed. */
#include "dates.h"

#include <string.h>

static int is_leap(int64_t y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

static int days_in_month(int64_t y, int m)
{
    static const int days[12] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
    return m == 2 && is_leap(y) ? 29 : days[m - 1];
}

/* Floor division and modulo: C's / and % truncate toward zero. */
static int64_t floor_div(int64_t a, int64_t b)
{
    int64_t q = a / b;
    return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}

int64_t date_from_civil(int year, int month, int day)
{
    int64_t y = (int64_t)year - (month <= 2);
    int64_t era = floor_div(y, 400);
    int64_t yoe = y - era * 400; /* [0, 399] */
    int64_t doy = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1;
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy; /* [0, 146096] */
    return era * 146097 + doe - 719468;
}

void date_to_civil(int64_t day_number, int *year, int *month, int *day)
{
    int64_t z = day_number + 719468;
    int64_t era = floor_div(z, 146097);
    int64_t doe = z - era * 146097;                                      /* [0, 146096] */
    int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365; /* [0, 399] */
    int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);               /* [0, 365] */
    int64_t mp = (5 * doy + 2) / 153;                                    /* [0, 11], March = 0 */
    int d = (int)(doy - (153 * mp + 2) / 5 + 1);
    int m = (int)(mp < 10 ? mp + 3 : mp - 9);
    *year = (int)(yoe + era * 400 + (m <= 2));
    *month = m;
    *day = d;
}

static int parse_digits(const char *s, int n)
{
    int v = 0;
    for (int i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9') return -1;
        v = v * 10 + (s[i] - '0');
    }
    return v;
}

int date_parse(const char *text, int64_t *day_number)
{
    if (text == NULL || strlen(text) != 10 || text[4] != '-' || text[7] != '-') return -1;
    int y = parse_digits(text, 4);
    int m = parse_digits(text + 5, 2);
    int d = parse_digits(text + 8, 2);
    if (y < 0 || m < 1 || m > 12 || d < 1 || d > days_in_month(y, m)) return -1;
    *day_number = date_from_civil(y, m, d);
    return 0;
}

static void put_digits(char *s, int v, int n)
{
    for (int i = n - 1; i >= 0; i--) {
        s[i] = (char)('0' + v % 10);
        v /= 10;
    }
}

void date_format(int64_t day_number, char buf[11])
{
    int y, m, d;
    date_to_civil(day_number, &y, &m, &d);
    /* A year outside 0000-9999 does not fit the fixed form; write a string
     * that date_parse rejects rather than a truncated, plausible-looking date. */
    if (y < 0 || y > 9999) {
        memcpy(buf, "####-##-##", 11);
        return;
    }
    put_digits(buf, y, 4);
    buf[4] = '-';
    put_digits(buf + 5, m, 2);
    buf[7] = '-';
    put_digits(buf + 8, d, 2);
    buf[10] = '\0';
}

int64_t date_add_years(int64_t day_number, int years)
{
    int y, m, d;
    date_to_civil(day_number, &y, &m, &d);
    y += years;
    if (m == 2 && d == 29 && !is_leap(y)) d = 28;
    return date_from_civil(y, m, d);
}

int date_financial_year(int64_t day_number)
{
    int y, m, d;
    date_to_civil(day_number, &y, &m, &d);
    return m >= 4 ? y : y - 1;
}

int64_t date_financial_year_start(int fy) { return date_from_civil(fy, 4, 1); }

int date_weekday(int64_t day_number)
{
    /* Day 0 (1970-01-01) was a Thursday, weekday 3 with Monday = 0. */
    int64_t r = day_number % 7;
    if (r < 0) r += 7;
    return (int)((r + 3) % 7);
}

static const char *const period_names[] = {
    [PERIOD_DAY] = "day",         [PERIOD_WEEK] = "week", [PERIOD_MONTH] = "month",
    [PERIOD_QUARTER] = "quarter", [PERIOD_YEAR] = "year", [PERIOD_FY] = "fy",
};
#define N_PERIODS (sizeof period_names / sizeof period_names[0])

int period_parse(const char *text, period_kind *kind)
{
    if (text == NULL) return -1;
    for (size_t i = 0; i < N_PERIODS; i++) {
        if (strcmp(text, period_names[i]) == 0) {
            *kind = (period_kind)i;
            return 0;
        }
    }
    return -1;
}

const char *period_name(period_kind kind)
{
    return (size_t)kind < N_PERIODS ? period_names[kind] : "?";
}

int64_t period_last_day(period_kind kind, int64_t day_number)
{
    int y, m, d;
    date_to_civil(day_number, &y, &m, &d);
    switch (kind) {
    case PERIOD_DAY: return day_number;
    case PERIOD_WEEK: return day_number + (6 - date_weekday(day_number));
    case PERIOD_MONTH: return date_from_civil(y, m, days_in_month(y, m));
    case PERIOD_QUARTER: {
        int qm = (m - 1) / 3 * 3 + 3;
        return date_from_civil(y, qm, days_in_month(y, qm));
    }
    case PERIOD_YEAR: return date_from_civil(y, 12, 31);
    case PERIOD_FY: return date_from_civil(m >= 4 ? y + 1 : y, 3, 31);
    }
    /* Not a period_kind: the day itself, the shortest period there is. */
    return day_number;
}
