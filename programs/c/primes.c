/* primes.c: sieve of Eratosthenes below 20000; prints the count, the last primes and a checksum. */
#include "rt.h"

#define LIMIT 20000
static unsigned char composite[LIMIT];

int main(void) {
  for (int i = 2; i * i < LIMIT; i++)
    if (!composite[i])
      for (int j = i * i; j < LIMIT; j += i) composite[j] = 1;
  long count = 0, sum = 0;
  int last[5] = {0, 0, 0, 0, 0};
  for (int i = 2; i < LIMIT; i++) {
    if (composite[i]) continue;
    count++;
    sum += (long)i * count;
    for (int k = 0; k < 4; k++) last[k] = last[k + 1];
    last[4] = i;
  }
  put_str("primes below 20000: ");
  put_i64(count);
  put_str("\nlast five:");
  for (int k = 0; k < 5; k++) {
    put_str(" ");
    put_i64(last[k]);
  }
  put_str("\nweighted sum: ");
  put_i64(sum);
  put_str("\n");
  return 0;
}
