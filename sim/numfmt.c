/* numfmt.c — "%.10g", "%.0f" and integers without printf's general path.
 *
 * "%.10g" of a finite v: round |v| to 10 significant digits (glibc rounds
 * the exact binary value, ties to even), giving digits N (10^9 <= N < 10^10)
 * and decimal exponent X; write it in fixed notation when -4 <= X < 10,
 * trailing zeros (and a bare point) removed. Here N comes from s = |v| x
 * 10^(9 - X) in double arithmetic: 10^(9 - X) is exact for 0 <= 9 - X <= 13,
 * and s < 10^10 < 2^34 carries one rounding, an absolute error below
 * 2^34 x 2^-53 = 2^-19. Rounding s therefore gives the exact N unless s is
 * within 2^-19 of a half, where the exact value could fall either side: such
 * values, exponents outside the fixed range, a guessed X that the rounded N
 * contradicts, and non-finite values go to snprintf. tests/test_numfmt.c
 * compares both over millions of values. */
#include "numfmt.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

size_t numfmt_u64(char *buf, uint64_t v)
{
    char tmp[20];
    size_t n = 0;
    do {
        tmp[n++] = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    for (size_t i = 0; i < n; i++) buf[i] = tmp[n - 1 - i];
    buf[n] = '\0';
    return n;
}

size_t numfmt_i64(char *buf, int64_t v)
{
    if (v >= 0) return numfmt_u64(buf, (uint64_t)v);
    buf[0] = '-';
    return 1 + numfmt_u64(buf + 1, (uint64_t)0 - (uint64_t)v);
}

static size_t slow(char *buf, const char *format, double v)
{
    int n = snprintf(buf, NUMFMT_MAX, format, v);
    return n > 0 ? (size_t)n : 0;
}

size_t numfmt_f0(char *buf, double v)
{
    /* Whole values below 2^63 convert exactly; "%.0f" keeps the sign of a
     * negative zero. */
    if (!(v == floor(v) && fabs(v) < 9.2e18)) return slow(buf, "%.0f", v);
    if (signbit(v)) {
        buf[0] = '-';
        return 1 + numfmt_u64(buf + 1, (uint64_t)(-v));
    }
    return numfmt_u64(buf, (uint64_t)v);
}

size_t numfmt_g10(char *buf, double v)
{
    /* 10^-4 ... 10^10 as doubles: exact from 10^0 up, just above the true
     * power below it, so that a >= lower[X + 4] proves the exponent is at
     * least X; an X one too small shows as N = 10^10 and goes to snprintf. */
    static const double lower[] = { 1e-4, 1e-3, 1e-2, 1e-1, 1e0, 1e1, 1e2,
                                    1e3,  1e4,  1e5,  1e6,  1e7, 1e8, 1e9 };
    static const double scale[] = { 1e0, 1e1, 1e2, 1e3,  1e4,  1e5,  1e6,
                                    1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13 };
    if (v == 0) {
        if (signbit(v)) return (size_t)(memcpy(buf, "-0", 3), 2);
        return (size_t)(memcpy(buf, "0", 2), 1);
    }
    double a = fabs(v);
    if (!(a >= 1e-4 && a < 1e10)) return slow(buf, "%.10g", v); /* also NaN, inf */
    int x = 9;
    while (a < lower[x + 4]) x--;
    double s = a * scale[9 - x];
    double whole = floor(s), frac = s - whole;
    if (fabs(frac - 0.5) < 1e-5) return slow(buf, "%.10g", v);
    uint64_t n = (uint64_t)whole + (frac > 0.5);
    if (n < 1000000000u || n >= 10000000000u) return slow(buf, "%.10g", v);

    char d[10];
    for (int i = 9; i >= 0; i--) {
        d[i] = (char)('0' + n % 10);
        n /= 10;
    }
    int sig = 10;
    while (sig > 1 && d[sig - 1] == '0') sig--;
    size_t len = 0;
    if (v < 0) buf[len++] = '-';
    if (x >= 0) {
        memcpy(buf + len, d, (size_t)x + 1);
        len += (size_t)x + 1;
        if (sig > x + 1) {
            buf[len++] = '.';
            memcpy(buf + len, d + x + 1, (size_t)(sig - x - 1));
            len += (size_t)(sig - x - 1);
        }
    } else {
        buf[len++] = '0';
        buf[len++] = '.';
        for (int i = 0; i < -x - 1; i++) buf[len++] = '0';
        memcpy(buf + len, d, (size_t)sig);
        len += (size_t)sig;
    }
    buf[len] = '\0';
    return len;
}
