/* regvars.c: C globals named like registers (t0, s1, fp, ra, a0), which gcc's assembly then names as
 * symbols (`lui a5,%hi(s1)`, `ld a4,s1`), and a loop whose body is longer than a branch reaches (+-4 KiB),
 * so that the assembler turns its far branches into a branch over a jump. */
#include "rt.h"

long t0, s1, fp;
static long a0 = 5;
long ra[4] = {1, 2, 3, 4};

#define STEP(k)                                             \
  x = x * 6364136223846793005UL + (k) * 1442695040888963407UL; \
  if ((x >> 59) == ((k) & 31)) t0 += (long)(x >> 40) ^ (k);   \
  y ^= x >> ((k) % 29 + 3);                                 \
  if (y & (1UL << ((k) % 61))) s1 += (k);
#define STEP10(k) STEP(k) STEP(k + 1) STEP(k + 2) STEP(k + 3) STEP(k + 4) STEP(k + 5) STEP(k + 6) STEP(k + 7) STEP(k + 8) STEP(k + 9)
#define STEP100(k) STEP10(k) STEP10(k + 10) STEP10(k + 20) STEP10(k + 30) STEP10(k + 40) STEP10(k + 50) STEP10(k + 60) STEP10(k + 70) STEP10(k + 80) STEP10(k + 90)

static unsigned long crunch(int rounds) {
  unsigned long x = 88172645463325252UL, y = 0;
  for (int r = 0; r < rounds; r++) {
    if (fp > 1000000) break; /* a forward branch over the whole body */
    STEP100(0)
    STEP100(100)
    fp += (long)(y & 7);
  }
  return x ^ y;
}

int main(void) {
  unsigned long h = crunch(40);
  a0 += (long)(h & 0xff);
  ra[1] = t0 ^ s1;
  put_str("crunch: ");
  put_u64(h);
  put_str("\nt0 s1 fp: ");
  put_i64(t0);
  put_str(" ");
  put_i64(s1);
  put_str(" ");
  put_i64(fp);
  put_str("\na0 ra[1]: ");
  put_i64(a0);
  put_str(" ");
  put_i64(ra[1]);
  put_str("\n");
  return (int)(h & 0x3f);
}
