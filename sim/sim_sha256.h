/* sim_sha256.h - SHA-256 (FIPS 180-4), incremental, for event-log digests.
 *
 * The context is caller-owned, holds no pointers and needs no release; copy
 * it to digest a common prefix once. Feed any number of updates of any size
 * (the result does not depend on how the message is split). */
#ifndef SIM_SHA256_H
#define SIM_SHA256_H

#include <stddef.h>
#include <stdint.h>

typedef struct sim_sha256 {
    uint32_t h[8];
    uint64_t bytes;
    uint8_t buf[64];
    size_t fill;
} sim_sha256;

void sim_sha256_init(sim_sha256 *c);
void sim_sha256_update(sim_sha256 *c, const void *data, size_t len);
/* Writes the 32-byte digest and re-initialises c for a new message. */
void sim_sha256_final(sim_sha256 *c, uint8_t out[32]);
/* Writes the 64 lower-case hex digits and a NUL into hex. */
void sim_sha256_hex(const uint8_t digest[32], char hex[65]);

#endif
