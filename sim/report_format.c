/* report_format.c — see report_format.h. */
#include "report_format.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

static const char minus_sign[] = "\xE2\x88\x92"; /* U+2212 */
static const char pound_sign[] = "\xC2\xA3";

void rfmt_number(double v, int money, char *buf, size_t buflen)
{
    if (!isfinite(v)) {
        snprintf(buf, buflen, "n/a");
        return;
    }
    double a = fabs(v);
    char digits[64];
    if (a >= 1000.0 && a < 1e18) {
        /* Whole units with thousands separators. */
        char plain[32];
        snprintf(plain, sizeof plain, "%.0f", a);
        size_t n = strlen(plain), w = 0;
        for (size_t i = 0; i < n; i++) {
            if (i > 0 && (n - i) % 3 == 0) digits[w++] = ',';
            digits[w++] = plain[i];
        }
        digits[w] = '\0';
    } else {
        snprintf(digits, sizeof digits, "%.4g", a);
    }
    int negative = v < 0.0 && strcmp(digits, "0") != 0;
    snprintf(buf, buflen, "%s%s%s", negative ? minus_sign : "", money ? pound_sign : "", digits);
}

void rfmt_percent(double share, char *buf, size_t buflen)
{
    if (!isfinite(share)) {
        snprintf(buf, buflen, "n/a");
        return;
    }
    char num[40];
    rfmt_number(share * 100.0, 0, num, sizeof num);
    snprintf(buf, buflen, "%s%%", num);
}

int rfmt_get_number(const json_t *obj, const char *key, double *v)
{
    const json_t *x = json_object_get(obj, key);
    if (!json_is_number(x)) return 0;
    *v = json_number_value(x);
    return isfinite(*v);
}

void rfmt_interval(hbuf *out, const json_t *interval, int money)
{
    rfmt_interval_keys(out, interval, "mean", "lower", "upper", money);
}

void rfmt_interval_keys(hbuf *out, const json_t *obj, const char *mean_key, const char *lower_key,
                        const char *upper_key, int money)
{
    double m, lo, hi;
    if (!rfmt_get_number(obj, mean_key, &m)) {
        hbuf_puts(out, "n/a");
        return;
    }
    char a[64], b[64], c[64];
    rfmt_number(m, money, a, sizeof a);
    if (rfmt_get_number(obj, lower_key, &lo) && rfmt_get_number(obj, upper_key, &hi)) {
        rfmt_number(lo, money, b, sizeof b);
        rfmt_number(hi, money, c, sizeof c);
        hbuf_printf(out, "%s <span class=\"ci\">(%s to %s)</span>", a, b, c);
    } else {
        hbuf_puts(out, a);
    }
}

void rfmt_value(hbuf *out, const json_t *obj, const char *key, int money, int percent)
{
    double v;
    char buf[64];
    if (!rfmt_get_number(obj, key, &v)) {
        hbuf_puts(out, "n/a");
        return;
    }
    if (percent)
        rfmt_percent(v, buf, sizeof buf);
    else
        rfmt_number(v, money, buf, sizeof buf);
    hbuf_puts(out, buf);
}

void rfmt_string(hbuf *out, const json_t *obj, const char *key)
{
    const char *s = json_string_value(json_object_get(obj, key));
    if (s)
        hbuf_escape(out, s);
    else
        hbuf_puts(out, "n/a");
}
