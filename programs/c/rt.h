/* rt.h: a freestanding runtime for the C example programs: host calls through ecall (write = 64,
 * exit = 93, see docs/machine.md), a few output helpers, and the memory functions gcc may call.
 * Each program is one translation unit that includes this file and defines main(). */
typedef unsigned long size_t;

static long host_call(long n, long a0, long a1, long a2) {
  register long r_a0 __asm__("a0") = a0;
  register long r_a1 __asm__("a1") = a1;
  register long r_a2 __asm__("a2") = a2;
  register long r_a7 __asm__("a7") = n;
  __asm__ volatile("ecall" : "+r"(r_a0) : "r"(r_a1), "r"(r_a2), "r"(r_a7) : "memory");
  return r_a0;
}

static void put_buf(const char *s, size_t n) { host_call(64, 1, (long)s, (long)n); }

static void put_str(const char *s) {
  size_t n = 0;
  while (s[n]) n++;
  put_buf(s, n);
}

static void put_u64(unsigned long v) {
  char buf[24];
  int i = sizeof buf;
  do {
    buf[--i] = (char)('0' + v % 10);
    v /= 10;
  } while (v);
  put_buf(buf + i, sizeof buf - i);
}

static void put_i64(long v) {
  if (v < 0) {
    put_buf("-", 1);
    put_u64(-(unsigned long)v);
  } else {
    put_u64((unsigned long)v);
  }
}

void *memset(void *d, int c, size_t n) {
  unsigned char *p = d;
  while (n--) *p++ = (unsigned char)c;
  return d;
}

void *memcpy(void *d, const void *s, size_t n) {
  unsigned char *p = d;
  const unsigned char *q = s;
  while (n--) *p++ = *q++;
  return d;
}

int main(void);

void __attribute__((noreturn)) _start(void) {
  host_call(93, main(), 0, 0);
  for (;;) {
  }
}
