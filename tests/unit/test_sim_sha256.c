/* test_sim_sha256.c - SHA-256 against FIPS 180-4 vectors (sim_sha256.h).
 *
 * The standard vectors, messages at every padding boundary (digests from Python's hashlib),
 * and incremental updates split at every offset of a 200-byte message, in two and three
 * pieces and byte by byte, which must all equal the one-shot digest. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "sim_sha256.h"

static void digest_hex(const void *msg, size_t len, char hex[65])
{
    sim_sha256 c;
    uint8_t d[32];
    sim_sha256_init(&c);
    sim_sha256_update(&c, msg, len);
    sim_sha256_final(&c, d);
    sim_sha256_hex(d, hex);
}

static void sha256_matches_fips_180_vectors(void **state)
{
    (void)state;
    static const struct {
        const char *msg;
        const char *hex;
    } vectors[] = {
        {"", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"},
        {"abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"},
        {"abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
         "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"},
        {"abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqr"
         "lmnopqrsmnopqrstnopqrstu",
         "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1"},
    };
    char hex[65];
    for (size_t i = 0; i < sizeof vectors / sizeof vectors[0]; i++) {
        digest_hex(vectors[i].msg, strlen(vectors[i].msg), hex);
        assert_string_equal(hex, vectors[i].hex);
    }
}

static void sha256_matches_the_million_a_vector(void **state)
{
    (void)state;
    /* Fed in uneven pieces, as a log writer would. */
    char chunk[997];
    memset(chunk, 'a', sizeof chunk);
    sim_sha256 c;
    sim_sha256_init(&c);
    size_t left = 1000000;
    while (left > 0) {
        size_t n = left < sizeof chunk ? left : sizeof chunk;
        sim_sha256_update(&c, chunk, n);
        left -= n;
    }
    uint8_t d[32];
    char hex[65];
    sim_sha256_final(&c, d);
    sim_sha256_hex(d, hex);
    assert_string_equal(hex, "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");

    char *big = malloc(1000000);
    assert_non_null(big);
    memset(big, 'a', 1000000);
    digest_hex(big, 1000000, hex);
    assert_string_equal(hex, "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
    free(big);
}

static void sha256_pads_correctly_at_every_block_boundary(void **state)
{
    (void)state;
    /* Message byte i is (i * 31 + 7) mod 256; digests from Python's hashlib. */
    static const struct {
        size_t len;
        const char *hex;
    } cases[] = {
        {55, "8aa994584139d128848eeebc4e815639ba5ab6e6e39574195a63ac4f14f7c43b"},
        {56, "ad574708f75c044c9b85de64cb568ee7711ff4f36448c6242f053ba8f6cc2b63"},
        {57, "5b46e502092be01b1100193e089fdda95638c12e19a1d24f308eb2c3d3ae849d"},
        {63, "280ed3e8ff1df845b2e7dfe6ac6cee817bef20e783cc65abc41b818b4d2fe076"},
        {64, "c6ab9724ade5b6a7a1edfffb12f3aa9181351355af8fd08c919952ad211339dd"},
        {65, "788367c73c7ddf4c53f65e68cc0d943e6227ab55b0e78ba63ace822b1c6301c0"},
        {111, "dd1413178fb627f9abbc041ffe39c44aa7aaa0e2e6d2ca5c4528ac7073a2da45"},
        {112, "a65c92dac124062d0ab951a42773cb04fc98d1d4bf8897b176f8cff3509d379e"},
        {119, "3d610547d68216dedf7435a4fb6260353911f6b3fd3f18805ddb8be285d726fe"},
        {120, "1f80156a804cb7862ad113e8200e9d74499723e7c7854d5f48776d3148e09656"},
        {127, "192409cd280e14b743642ad1343fbd3e82d9305de72c078117745a679210cc3d"},
        {128, "cc548ca2dec1f6fe4f58b2e27aa9c7521607df1130d140b55a4dad0665302356"},
        {129, "81e89a7b2911aaa7795f9e3d4910cb47d6cd2b00d83b8399481527261a1a7519"},
    };
    uint8_t msg[129];
    for (size_t i = 0; i < sizeof msg; i++)
        msg[i] = (uint8_t)(i * 31 + 7);
    char hex[65];
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        digest_hex(msg, cases[i].len, hex);
        assert_string_equal(hex, cases[i].hex);
    }
}

static void sha256_incremental_updates_match_one_shot_at_every_split(void **state)
{
    (void)state;
    enum { LEN = 200 };
    uint8_t msg[LEN];
    for (int i = 0; i < LEN; i++)
        msg[i] = (uint8_t)(i * 131 + 17);
    uint8_t want[32], got[32];
    sim_sha256 c;
    sim_sha256_init(&c);
    sim_sha256_update(&c, msg, LEN);
    sim_sha256_final(&c, want);

    for (size_t a = 0; a <= LEN; a++) {
        sim_sha256_init(&c);
        sim_sha256_update(&c, msg, a);
        sim_sha256_update(&c, msg + a, LEN - a);
        sim_sha256_final(&c, got);
        assert_memory_equal(got, want, 32);
        /* Three pieces, with empty updates thrown in. */
        for (size_t b = a; b <= LEN; b += 7) {
            sim_sha256_init(&c);
            sim_sha256_update(&c, msg, a);
            sim_sha256_update(&c, msg + a, 0);
            sim_sha256_update(&c, msg + a, b - a);
            sim_sha256_update(&c, msg + b, LEN - b);
            sim_sha256_final(&c, got);
            assert_memory_equal(got, want, 32);
        }
    }
    sim_sha256_init(&c);
    for (int i = 0; i < LEN; i++)
        sim_sha256_update(&c, msg + i, 1);
    sim_sha256_final(&c, got);
    assert_memory_equal(got, want, 32);
}

static void sha256_final_leaves_the_context_ready_for_a_new_message(void **state)
{
    (void)state;
    sim_sha256 c;
    uint8_t d[32];
    char hex[65];
    sim_sha256_init(&c);
    sim_sha256_update(&c, "some earlier message", 20);
    sim_sha256_final(&c, d);
    sim_sha256_update(&c, "abc", 3);
    sim_sha256_final(&c, d);
    sim_sha256_hex(d, hex);
    assert_string_equal(hex, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

static void sha256_context_copy_forks_a_digest(void **state)
{
    (void)state;
    sim_sha256 c, fork;
    uint8_t d1[32], d2[32];
    char hex[65];
    sim_sha256_init(&c);
    sim_sha256_update(&c, "ab", 2);
    fork = c;
    sim_sha256_update(&c, "c", 1);
    sim_sha256_final(&c, d1);
    sim_sha256_update(&fork, "c", 1);
    sim_sha256_final(&fork, d2);
    assert_memory_equal(d1, d2, 32);
    sim_sha256_hex(d1, hex);
    assert_string_equal(hex, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

static void sha256_hex_is_lower_case_and_terminated(void **state)
{
    (void)state;
    uint8_t d[32];
    for (int i = 0; i < 32; i++)
        d[i] = (uint8_t)(i * 8 + 7);
    char hex[66];
    memset(hex, 'X', sizeof hex);
    sim_sha256_hex(d, hex);
    assert_int_equal(hex[64], '\0');
    assert_int_equal(hex[65], 'X');
    assert_string_equal(hex, "070f171f272f373f474f575f676f777f878f979fa7afb7bfc7cfd7dfe7eff7ff");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(sha256_matches_fips_180_vectors),
        cmocka_unit_test(sha256_matches_the_million_a_vector),
        cmocka_unit_test(sha256_pads_correctly_at_every_block_boundary),
        cmocka_unit_test(sha256_incremental_updates_match_one_shot_at_every_split),
        cmocka_unit_test(sha256_final_leaves_the_context_ready_for_a_new_message),
        cmocka_unit_test(sha256_context_copy_forks_a_digest),
        cmocka_unit_test(sha256_hex_is_lower_case_and_terminated),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
