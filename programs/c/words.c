/* words.c: strings, a switch that gcc turns into a jump table, FNV-1a hashing and a small hash table. */
#include "rt.h"

static const char *const words[] = {"dojo", "tile", "core", "mesh", "sram", "bf16", "cfp8", "router", "packet", "gemm",
                                    "tensor", "kernel", "vector", "matrix", "thread", "barrier"};
#define NWORDS (sizeof words / sizeof words[0])

static unsigned long fnv1a(const char *s) {
  unsigned long h = 1469598103934665603UL;
  while (*s) {
    h ^= (unsigned char)*s++;
    h *= 1099511628211UL;
  }
  return h;
}

static int classify(char c) {
  switch (c) {
    case 'a': case 'e': case 'i': case 'o': case 'u': return 1;
    case 'b': case 'c': case 'd': case 'f': case 'g': return 2;
    case 'm': case 'n': return 3;
    case 'r': case 's': case 't': return 4;
    case '1': case '6': case '8': return 5;
    default: return 0;
  }
}

struct slot { const char *key; int count; };
static struct slot table[64];

int main(void) {
  int kinds[6] = {0};
  for (unsigned r = 0; r < 50; r++) {
    for (unsigned i = 0; i < NWORDS; i++) {
      const char *w = words[(i * 7 + r) % NWORDS];
      for (const char *p = w; *p; p++) kinds[classify(*p)]++;
      unsigned long h = fnv1a(w) % 64;
      while (table[h].key && table[h].key != w) h = (h + 1) % 64;
      table[h].key = w;
      table[h].count++;
    }
  }
  put_str("letter classes:");
  for (int k = 0; k < 6; k++) {
    put_str(" ");
    put_i64(kinds[k]);
  }
  put_str("\n");
  unsigned long mix = 0;
  for (int h = 0; h < 64; h++)
    if (table[h].key) {
      mix = mix * 31 + fnv1a(table[h].key) + (unsigned long)table[h].count;
      put_str(table[h].key);
      put_str("=");
      put_i64(table[h].count);
      put_str(h % 5 == 4 ? "\n" : " ");
    }
  put_str("\nmix: ");
  put_u64(mix);
  put_str("\n");
  return (int)(mix % 7);
}
