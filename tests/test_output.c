/* test_output.c — series.csv golden output, SHA-256 against the NIST
 * vectors, JSON string escaping. (The run directory: test_outdir.c.) */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

#include "dates.h"
#include "output.h"
#include "sha256.h"
#include "recorder.h"

/* ---- series.csv ---- */

static const char *const areas[] = { "North", "South" };
static const metric_spec specs[] = {
    METRIC_ROW("crimes", METRIC_COUNT, "crimes", ""),
    METRIC_ALL_ONLY_ROW("spend", METRIC_MONEY, "GBP", ""), /* ALL only, between the others */
    METRIC_ROW("rate", METRIC_LEVEL_END, "x", ""),
    METRIC_ROW("wait", METRIC_EVENT_MEDIAN, "days", ""),
};
enum { CRIMES, SPEND, RATE, WAIT };

/* Replication 1, two days (day periods):
 *   day 1: crimes North 1+1+1, South 2; spend 1234.5; rate North 1/3,
 *          South 2.5; wait North 4, 6
 *   day 2: crimes South 1; spend 10; rate South 0.1 (North kept); no events
 * Replication 2:
 *   day 1: no crimes; spend -0.001 (rounds to "-0.00", written "0.00");
 *          rate North 1e-12, South 1e6; wait North 1,2,3,4, South 7
 *   day 2: crimes North 123456789012 (%.10g would give 1.23456789e+11);
 *          spend 99.999; rate North 2/3; wait South 3 */
static recorder *make_rep(int rep, int64_t first)
{
    recorder *r = recorder_create(areas, 2, first, first + 1, PERIOD_DAY);
    assert_non_null(r);
    assert_int_equal(recorder_declare(r, specs, 4), 0);
    recorder_begin_day(r, first);
    if (rep == 1) {
        for (int i = 0; i < 3; i++) recorder_add(r, CRIMES, 0, 1);
        recorder_add(r, CRIMES, 1, 2);
        recorder_add(r, SPEND, 0, 1234.5);
        recorder_level(r, RATE, 0, 1.0 / 3);
        recorder_level(r, RATE, 1, 2.5);
        recorder_event(r, WAIT, 0, 4);
        recorder_event(r, WAIT, 0, 6);
    } else {
        recorder_add(r, SPEND, 1, -0.001);
        recorder_level(r, RATE, 0, 1e-12);
        recorder_level(r, RATE, 1, 1e6);
        for (int v = 1; v <= 4; v++) recorder_event(r, WAIT, 0, v);
        recorder_event(r, WAIT, 1, 7);
    }
    assert_int_equal(recorder_end_day(r), 0);
    recorder_begin_day(r, first + 1);
    if (rep == 1) {
        recorder_add(r, CRIMES, 1, 1);
        recorder_add(r, SPEND, 0, 10);
        recorder_level(r, RATE, 1, 0.1);
    } else {
        recorder_add(r, CRIMES, 0, 123456789012.0);
        recorder_add(r, SPEND, 0, 99.999);
        recorder_level(r, RATE, 0, 2.0 / 3);
        recorder_event(r, WAIT, 1, 3);
    }
    assert_int_equal(recorder_end_day(r), 0);
    return r;
}

/* Every row worked out by hand. ALL rate = North + South: 1/3 + 2.5 =
 * 2.8333333333333335 → %.10g 2.833333333; 1/3 + 0.1 → 0.4333333333;
 * 1e-12 + 1e6 → 1000000; 2/3 + 1e6 → 1000000.667. Medians: {4,6} → 5;
 * {1,2,3,4} → 2.5; {1,2,3,4,7} → 3. The scenario name holds a comma and
 * quotes, so it is quoted with its quotes doubled. */
static const char golden[] = "scenario,replication,tick,date,area,metric,value\n"
                             "\"base,\"\"v2\"\"\",1,0,2025-01-01,North,crimes,3\n"
                             "\"base,\"\"v2\"\"\",1,0,2025-01-01,North,rate,0.3333333333\n"
                             "\"base,\"\"v2\"\"\",1,0,2025-01-01,North,wait,5\n"
                             "\"base,\"\"v2\"\"\",1,0,2025-01-01,South,crimes,2\n"
                             "\"base,\"\"v2\"\"\",1,0,2025-01-01,South,rate,2.5\n"
                             "\"base,\"\"v2\"\"\",1,0,2025-01-01,South,wait,NA\n"
                             "\"base,\"\"v2\"\"\",1,0,2025-01-01,ALL,crimes,5\n"
                             "\"base,\"\"v2\"\"\",1,0,2025-01-01,ALL,spend,1234.50\n"
                             "\"base,\"\"v2\"\"\",1,0,2025-01-01,ALL,rate,2.833333333\n"
                             "\"base,\"\"v2\"\"\",1,0,2025-01-01,ALL,wait,5\n"
                             "\"base,\"\"v2\"\"\",1,1,2025-01-02,North,crimes,0\n"
                             "\"base,\"\"v2\"\"\",1,1,2025-01-02,North,rate,0.3333333333\n"
                             "\"base,\"\"v2\"\"\",1,1,2025-01-02,North,wait,NA\n"
                             "\"base,\"\"v2\"\"\",1,1,2025-01-02,South,crimes,1\n"
                             "\"base,\"\"v2\"\"\",1,1,2025-01-02,South,rate,0.1\n"
                             "\"base,\"\"v2\"\"\",1,1,2025-01-02,South,wait,NA\n"
                             "\"base,\"\"v2\"\"\",1,1,2025-01-02,ALL,crimes,1\n"
                             "\"base,\"\"v2\"\"\",1,1,2025-01-02,ALL,spend,10.00\n"
                             "\"base,\"\"v2\"\"\",1,1,2025-01-02,ALL,rate,0.4333333333\n"
                             "\"base,\"\"v2\"\"\",1,1,2025-01-02,ALL,wait,NA\n"
                             "\"base,\"\"v2\"\"\",2,0,2025-01-01,North,crimes,0\n"
                             "\"base,\"\"v2\"\"\",2,0,2025-01-01,North,rate,1e-12\n"
                             "\"base,\"\"v2\"\"\",2,0,2025-01-01,North,wait,2.5\n"
                             "\"base,\"\"v2\"\"\",2,0,2025-01-01,South,crimes,0\n"
                             "\"base,\"\"v2\"\"\",2,0,2025-01-01,South,rate,1000000\n"
                             "\"base,\"\"v2\"\"\",2,0,2025-01-01,South,wait,7\n"
                             "\"base,\"\"v2\"\"\",2,0,2025-01-01,ALL,crimes,0\n"
                             "\"base,\"\"v2\"\"\",2,0,2025-01-01,ALL,spend,0.00\n"
                             "\"base,\"\"v2\"\"\",2,0,2025-01-01,ALL,rate,1000000\n"
                             "\"base,\"\"v2\"\"\",2,0,2025-01-01,ALL,wait,3\n"
                             "\"base,\"\"v2\"\"\",2,1,2025-01-02,North,crimes,123456789012\n"
                             "\"base,\"\"v2\"\"\",2,1,2025-01-02,North,rate,0.6666666667\n"
                             "\"base,\"\"v2\"\"\",2,1,2025-01-02,North,wait,NA\n"
                             "\"base,\"\"v2\"\"\",2,1,2025-01-02,South,crimes,0\n"
                             "\"base,\"\"v2\"\"\",2,1,2025-01-02,South,rate,1000000\n"
                             "\"base,\"\"v2\"\"\",2,1,2025-01-02,South,wait,3\n"
                             "\"base,\"\"v2\"\"\",2,1,2025-01-02,ALL,crimes,123456789012\n"
                             "\"base,\"\"v2\"\"\",2,1,2025-01-02,ALL,spend,100.00\n"
                             "\"base,\"\"v2\"\"\",2,1,2025-01-02,ALL,rate,1000000.667\n"
                             "\"base,\"\"v2\"\"\",2,1,2025-01-02,ALL,wait,3\n";

static void test_series_golden(void **state)
{
    (void)state;
    int64_t first = date_from_civil(2025, 1, 1);
    const recorder *reps[2] = { make_rep(1, first), make_rep(2, first) };
    char *text = NULL;
    size_t len = 0;
    FILE *out = open_memstream(&text, &len);
    assert_non_null(out);
    assert_int_equal(series_write_csv(out, "base,\"v2\"", reps, 2, first), 0);
    assert_int_equal(fclose(out), 0);
    assert_string_equal(text, golden);
    assert_int_equal(len, strlen(golden));
    free(text);

    /* Ticks count from start_day, not from the first written day: a start
     * three days earlier shifts tick by 3 and leaves the date alone. */
    out = open_memstream(&text, &len);
    assert_non_null(out);
    assert_int_equal(series_write_csv(out, "s", reps, 1, first - 3), 0);
    assert_int_equal(fclose(out), 0);
    assert_non_null(strstr(text, "\ns,1,3,2025-01-01,North,crimes,3\n"));
    assert_non_null(strstr(text, "\ns,1,4,2025-01-02,ALL,wait,NA\n"));
    free(text);

    /* A write error (a full disk) is reported. */
    out = fopen("/dev/full", "w");
    if (out) {
        assert_int_equal(series_write_csv(out, "s", reps, 2, first), -1);
        fclose(out);
    }
    recorder_destroy((recorder *)reps[0]);
    recorder_destroy((recorder *)reps[1]);
}

/* ---- SHA-256 ---- */

static void check_sha(const void *data, size_t len, const char *want)
{
    char hex[65];
    memset(hex, 'z', sizeof hex);
    sha256_hex(data, len, hex);
    assert_string_equal(hex, want);
}

/* FIPS 180-2 appendix B / NIST CAVP vectors. */
static void test_sha256_nist(void **state)
{
    (void)state;
    check_sha("", 0, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    check_sha(NULL, 0, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    check_sha("abc", 3, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    const char *m448 = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
    check_sha(m448, strlen(m448),
              "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
    char *million = malloc(1000000);
    assert_non_null(million);
    memset(million, 'a', 1000000);
    check_sha(million, 1000000, "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
    free(million);
}

/* Lengths around the padding boundaries (55/56 bytes: one or two final
 * blocks; 63-65: a whole block plus a tail), against coreutils sha256sum
 * of that many 'a's. */
static void test_sha256_padding(void **state)
{
    (void)state;
    static const struct {
        size_t n;
        const char *hex;
    } v[] = {
        { 55, "9f4390f8d30c2dd92ec9f095b65e2b9ae9b0a925a5258e241c9f1e910f734318" },
        { 56, "b35439a4ac6f0948b6d6f9e3c6af0f5f590ce20f1bde7090ef7970686ec6738a" },
        { 63, "7d3e74a05d7db15bce4ad9ec0658ea98e3f06eeecf16b4c6fff2da457ddc2f34" },
        { 64, "ffe054fe7ae0cb6dc65c3af9b61d5209f439851db43d0ba5997337df154668eb" },
        { 65, "635361c48bb9eab14198e76ea8ab7f1a41685d6ad62aa9146d301d4f17eb0ae0" },
        { 119, "31eba51c313a5c08226adf18d4a359cfdfd8d2e816b13f4af952f7ea6584dcfb" },
        { 120, "2f3d335432c70b580af0e8e1b3674a7c020d683aa5f73aaaedfdc55af904c21c" },
    };
    char a[128];
    memset(a, 'a', sizeof a);
    for (size_t i = 0; i < sizeof v / sizeof v[0]; i++) check_sha(a, v[i].n, v[i].hex);
}

/* ---- JSON ---- */

static void check_json(const char *in, const char *want)
{
    char *text = NULL;
    size_t len = 0;
    FILE *out = open_memstream(&text, &len);
    assert_non_null(out);
    json_write_string(out, in);
    assert_int_equal(fclose(out), 0);
    assert_string_equal(text, want);
    free(text);
}

static void test_json_escaping(void **state)
{
    (void)state;
    check_json("", "\"\"");
    check_json("plain/text", "\"plain/text\"");
    check_json("say \"hi\" \\ bye", "\"say \\\"hi\\\" \\\\ bye\"");
    check_json("\b\f\n\r\t", "\"\\b\\f\\n\\r\\t\"");
    check_json("\x01\x1f\x7f", "\"\\u0001\\u001f\x7f\"");
    check_json("caf\xc3\xa9 \xe2\x82\xac", "\"caf\xc3\xa9 \xe2\x82\xac\""); /* UTF-8 as is */
    check_json("\xf0\x9f\x98\x80", "\"\xf0\x9f\x98\x80\"");                 /* 4 bytes */
    /* Not UTF-8 (a Latin-1 file name, a cut or overlong sequence, a
       surrogate): each bad byte is U+FFFD, so the JSON stays valid. */
    check_json("caf\xe9", "\"caf\\ufffd\"");
    check_json("\xe2\x82", "\"\\ufffd\\ufffd\"");
    check_json("\xc0\xaf", "\"\\ufffd\\ufffd\"");
    check_json("\xed\xa0\x80", "\"\\ufffd\\ufffd\\ufffd\"");
    check_json(NULL, "null");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_series_golden),
        cmocka_unit_test(test_sha256_nist),
        cmocka_unit_test(test_sha256_padding),
        cmocka_unit_test(test_json_escaping),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
