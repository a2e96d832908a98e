/* dates.h — civil dates, UK financial years and output periods.
 *
 * A date is held as a day number: whole days since 1970-01-01 (proleptic
 * Gregorian calendar), so date arithmetic is integer arithmetic. */
#ifndef PLACESIM_DATES_H
#define PLACESIM_DATES_H

#include <stdint.h>

/* Day number of a civil date; month 1-12, day 1-31 (not checked here). */
int64_t date_from_civil(int year, int month, int day);

/* Civil date of a day number. */
void date_to_civil(int64_t day_number, int *year, int *month, int *day);

/* Parses "YYYY-MM-DD" (exactly that form, a real calendar date).
 * Returns 0 and sets *day_number, or -1 leaving it untouched. */
int date_parse(const char *text, int64_t *day_number);

/* Writes "YYYY-MM-DD" and a terminating NUL into buf (11 bytes). */
void date_format(int64_t day_number, char buf[11]);

/* The same calendar day `years` years earlier or later; 29 February maps to
 * 28 February in a year that has none. */
int64_t date_add_years(int64_t day_number, int years);

/* The UK financial year containing the day, named by the calendar year in
 * which it starts (1 April 2025 – 31 March 2026 is 2025). */
int date_financial_year(int64_t day_number);

/* First day (1 April) of financial year fy. */
int64_t date_financial_year_start(int fy);

/* 0 = Monday … 6 = Sunday. */
int date_weekday(int64_t day_number);

typedef enum period_kind {
    PERIOD_DAY,
    PERIOD_WEEK, /* Monday–Sunday */
    PERIOD_MONTH,
    PERIOD_QUARTER, /* calendar quarters: Jan–Mar, Apr–Jun, … */
    PERIOD_YEAR,    /* calendar year */
    PERIOD_FY       /* UK financial year, April–March */
} period_kind;

/* Parses "day", "week", "month", "quarter", "year" or "fy". Returns 0 or -1. */
int period_parse(const char *text, period_kind *kind);

/* The name period_parse accepts for kind. */
const char *period_name(period_kind kind);

/* Last day of the calendar-aligned period of the given kind that contains
 * day_number (a partial period is clipped by the caller, not here). */
int64_t period_last_day(period_kind kind, int64_t day_number);

#endif
