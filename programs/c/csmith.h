/* csmith.h: the runtime csmith's random programs include (`#include "csmith.h"`), freestanding, for
 * test/oracle/csmith.test.ts. It takes the place of csmith's own csmith.h, which needs a C library:
 * output goes through rt.h, the checksum is the same CRC-32 over the same bytes, printed as csmith's
 * platform_main_end prints it ("checksum = %X\n"), and the safe arithmetic wrappers come from csmith's
 * safe_math.h (the Debian package's /usr/include/csmith, searched after this folder). */
#include <stdint.h>
#include <limits.h>
#include <float.h>
#include "rt.h"

/* Hash values are printed only when main's print_hash_value is set, which --no-argc programs never do. */
#define printf(...) 0

#define FUNC_NAME(x) (safe_##x)
#define UNDEFINED(v) (v)
#define LOG_INDEX
#define LOG_EXEC
#define assert(x)
/* inline: gcc -O0 emits every static function, and safe_math.h's float wrappers would then call soft-float
 * routines of libgcc, which -nostdlib leaves out. Unused inline functions are not emitted. */
#define STATIC static inline
#include <safe_math.h>
#undef FUNC_NAME
#define INT_BIT (sizeof(int) * CHAR_BIT)
#define _CSMITH_BITFIELD(x) (((x) > INT_BIT) ? ((x) % INT_BIT) : (x))

static uint32_t crc32_tab[256];
static uint32_t crc32_context = 0xFFFFFFFFu;

static void crc32_gentab(void) {
  for (uint32_t i = 0; i < 256; i++) {
    uint32_t c = i;
    for (int k = 0; k < 8; k++) c = (c & 1) ? (c >> 1) ^ 0xEDB88320u : c >> 1;
    crc32_tab[i] = c;
  }
}

static void crc32_byte(uint8_t b) {
  crc32_context = (crc32_context >> 8) ^ crc32_tab[(crc32_context ^ b) & 0xFF];
}

/* The 8 bytes of v, least significant first. */
static void transparent_crc(uint64_t v, char *name, int flag) {
  (void)name;
  (void)flag;
  for (int i = 0; i < 8; i++) crc32_byte((uint8_t)(v >> (8 * i)));
}

static void transparent_crc_bytes(char *p, int n, char *name, int flag) {
  (void)name;
  (void)flag;
  for (int i = 0; i < n; i++) crc32_byte((uint8_t)p[i]);
}

static void platform_main_begin(void) {}

static void platform_main_end(uint32_t crc, int flag) {
  char line[] = "checksum = XXXXXXXX\n";
  (void)flag;
  for (int i = 0; i < 8; i++) line[18 - i] = "0123456789ABCDEF"[(crc >> (4 * i)) & 15];
  put_str(line);
}
