/* tree.c: recursion over a binary search tree in a static pool, 64-bit multiply/divide/remainder,
 * and signed arithmetic corner cases. */
#include "rt.h"

struct node { long key; struct node *left, *right; };
static struct node pool[4096];
static int used;

static struct node *insert(struct node *t, long key) {
  if (!t) {
    struct node *n = &pool[used++];
    n->key = key;
    n->left = n->right = 0;
    return n;
  }
  if (key < t->key) t->left = insert(t->left, key);
  else if (key > t->key) t->right = insert(t->right, key);
  return t;
}

static int depth(const struct node *t) {
  if (!t) return 0;
  int l = depth(t->left), r = depth(t->right);
  return 1 + (l > r ? l : r);
}

static long walk(const struct node *t, long acc) {
  if (!t) return acc;
  acc = walk(t->left, acc);
  acc = acc * 3 + t->key % 1000;
  return walk(t->right, acc);
}

int main(void) {
  struct node *root = 0;
  unsigned long x = 88172645463325252UL;
  for (int i = 0; i < 3000; i++) {
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    root = insert(root, (long)(x % 100000) - 50000);
  }
  put_str("nodes: ");
  put_i64(used);
  put_str(", depth: ");
  put_i64(depth(root));
  put_str(", walk: ");
  put_i64(walk(root, 1));
  long a = -7000000000123L, b = 97;
  put_str("\ndiv: ");
  put_i64(a / b);
  put_str(" rem: ");
  put_i64(a % b);
  put_str(" udiv: ");
  put_u64((unsigned long)a / 1000003UL);
  put_str(" mulh-ish: ");
  put_u64((unsigned long)((unsigned __int128)x * 0x9e3779b97f4a7c15UL >> 64));
  put_str("\n");
  return 0;
}
