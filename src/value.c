/* eddy_value: the host-side immutable tree. Nothing here touches JS, so every function is safe on
   any thread (a value is owned by one thread at a time, like any plain C object). */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

eddy_value *eddy__value_new(eddy_type type) {
  eddy_value *v = calloc(1, sizeof(*v));
  if (v) v->type = type;
  return v;
}

static int is_list(const eddy_value *v) {
  return v && (v->type == EDDY_TYPE_ARRAY || v->type == EDDY_TYPE_OBJECT ||
               v->type == EDDY_TYPE_ERROR);
}

/* Frees one node's own storage; its children are the caller's business. */
static void free_leaf(eddy_value *v) {
  switch (v->type) {
    case EDDY_TYPE_STRING:
    case EDDY_TYPE_BIGINT:
      free(v->u.str.ptr);
      break;
    case EDDY_TYPE_BYTES:
      free(v->u.bytes.ptr);
      break;
    case EDDY_TYPE_FUNCTION:
      free(v->u.fn.name);
      if (v->u.fn.ref && atomic_fetch_sub(&v->u.fn.ref->refs, 1) == 1) {
        eddy__handle_release(v->u.fn.ref->engine, v->u.fn.ref->handle);
        eddy__engine_unref(v->u.fn.ref->engine);
        free(v->u.fn.ref);
      }
      break;
    default:
      break;
  }
  free(v);
}

/* Iterative, and allocation-free so it cannot fail: a list node whose children are still being
   freed waits in a stack threaded through its own `cap` field (no longer needed). A host-built
   tree may be nested a million levels deep. */
void eddy_value_free(eddy_value *v) {
  eddy_value *pending = NULL;
  for (;;) {
    if (v) {
      if (v->refs) {
        v->refs--;
      } else if (!is_list(v)) {
        free_leaf(v);
      } else {
        v->u.list.cap = (size_t)(uintptr_t)pending;
        pending = v;
      }
    }
    v = NULL;
    while (pending && !v) {
      if (pending->u.list.len == 0) {
        eddy_value *done = pending;
        pending = (eddy_value *)(uintptr_t)done->u.list.cap;
        free(done->u.list.items);
        free(done->u.list.keys);
        free(done->u.list.key_lens);
        free(done);
        continue;
      }
      size_t i = --pending->u.list.len;
      if (pending->u.list.keys) free(pending->u.list.keys[i]);
      v = pending->u.list.items[i];
    }
    if (!v) return;
  }
}

static char *dup_n(const char *s, size_t len) {
  char *p = malloc(len + 1);
  if (!p) return NULL;
  if (len) memcpy(p, s, len);
  p[len] = '\0';
  return p;
}

eddy_value *eddy__value_new_function(eddy_engine *e, uint32_t handle, const char *name,
                                     size_t name_len) {
  eddy_value *v = eddy__value_new(EDDY_TYPE_FUNCTION);
  if (!v) return NULL;
  v->u.fn.name = dup_n(name ? name : "", name ? name_len : 0);
  v->u.fn.name_len = name ? name_len : 0;
  v->u.fn.ref = malloc(sizeof(*v->u.fn.ref));
  if (!v->u.fn.name || !v->u.fn.ref) {
    free(v->u.fn.name);
    free(v->u.fn.ref);
    free(v);
    return NULL;
  }
  atomic_init(&v->u.fn.ref->refs, 1);
  v->u.fn.ref->engine = e;
  v->u.fn.ref->handle = handle;
  eddy__engine_ref(e);
  return v;
}

/* A copy of a node that is not a list, or an empty list of v's type with room for v's items. */
static eddy_value *copy_node(const eddy_value *v) {
  eddy_value *c;
  switch (v->type) {
    case EDDY_TYPE_STRING:
    case EDDY_TYPE_BIGINT:
      c = eddy__value_new(v->type);
      if (!c) return NULL;
      c->u.str.ptr = dup_n(v->u.str.ptr, v->u.str.len);
      c->u.str.len = v->u.str.len;
      if (!c->u.str.ptr) {
        free(c);
        return NULL;
      }
      return c;
    case EDDY_TYPE_BYTES:
      return eddy_value_new_bytes(v->u.bytes.ptr, v->u.bytes.len);
    case EDDY_TYPE_ARRAY:
    case EDDY_TYPE_OBJECT:
    case EDDY_TYPE_ERROR:
      c = eddy__value_new(v->type);
      if (!c || !v->u.list.len) return c;
      c->u.list.items = malloc(v->u.list.len * sizeof(*c->u.list.items));
      if (v->u.list.keys) {
        c->u.list.keys = malloc(v->u.list.len * sizeof(*c->u.list.keys));
        c->u.list.key_lens = malloc(v->u.list.len * sizeof(*c->u.list.key_lens));
      }
      if (!c->u.list.items || (v->u.list.keys && (!c->u.list.keys || !c->u.list.key_lens))) {
        eddy_value_free(c);
        return NULL;
      }
      c->u.list.cap = v->u.list.len;
      return c;
    case EDDY_TYPE_FUNCTION:
      c = eddy__value_new(EDDY_TYPE_FUNCTION);
      if (!c) return NULL;
      c->u.fn.name = dup_n(v->u.fn.name, v->u.fn.name_len);
      if (!c->u.fn.name) {
        free(c);
        return NULL;
      }
      c->u.fn.name_len = v->u.fn.name_len;
      c->u.fn.ref = v->u.fn.ref;
      atomic_fetch_add(&c->u.fn.ref->refs, 1);
      return c;
    default:
      c = eddy__value_new(v->type);
      if (c) c->u = v->u;
      return c;
  }
}

typedef struct {
  const eddy_value *src;
  eddy_value *dst;
  size_t i;
} copy_frame;

/* Iterative (any depth), and a node shared within v is copied once and shared in the copy. */
eddy_value *eddy_value_copy(const eddy_value *v) {
  if (!v) return eddy_value_new_undefined();
  eddy_value *root = copy_node(v);
  if (!root || !is_list(v)) return root;
  copy_frame *stack = NULL;
  size_t depth = 0, cap = 0;
  eddy__ptrmap shared = {0}; /* source node -> its copy, for nodes with refs */
  int ok = 1;
  copy_frame top = {v, root, 0};
  for (;;) {
    if (top.i == top.src->u.list.len) {
      if (!depth) break;
      top = stack[--depth];
      continue;
    }
    size_t i = top.i++;
    const eddy_value *child = top.src->u.list.items[i];
    eddy_value *c = child->refs ? eddy__ptrmap_get(&shared, child) : NULL;
    int fresh = !c;
    if (c) c->refs++;
    else if (!(c = copy_node(child))) ok = 0;
    if (ok && fresh && child->refs && eddy__ptrmap_put(&shared, child, c)) {
      eddy_value_free(c);
      ok = 0;
    }
    if (ok && top.src->u.list.keys) {
      char *k = dup_n(top.src->u.list.keys[i], top.src->u.list.key_lens[i]);
      if (!k) {
        eddy_value_free(c);
        ok = 0;
      } else {
        top.dst->u.list.keys[i] = k;
        top.dst->u.list.key_lens[i] = top.src->u.list.key_lens[i];
      }
    }
    if (!ok) break;
    top.dst->u.list.items[i] = c;
    top.dst->u.list.len = i + 1;
    if (fresh && is_list(child) && child->u.list.len) {
      if (depth == cap) {
        size_t ncap = cap ? cap * 2 : 16;
        copy_frame *p = realloc(stack, ncap * sizeof(*p));
        if (!p) {
          ok = 0;
          break;
        }
        stack = p;
        cap = ncap;
      }
      stack[depth++] = top;
      top = (copy_frame){child, c, 0};
    }
  }
  free(stack);
  eddy__ptrmap_free(&shared);
  if (!ok) {
    eddy_value_free(root);
    return NULL;
  }
  return root;
}

/* ---- pointer map ----------------------------------------------------------------------------- */

static size_t ptr_hash(const void *p, size_t cap) {
  uint64_t h = (uint64_t)(uintptr_t)p;
  h ^= h >> 33;
  h *= 0xff51afd7ed558ccdull;
  h ^= h >> 33;
  return (size_t)h & (cap - 1);
}

static size_t ptr_find(const eddy__ptrmap *m, const void *key) {
  size_t i = ptr_hash(key, m->cap);
  while (m->slots[i].key && m->slots[i].key != key) i = (i + 1) & (m->cap - 1);
  return i;
}

void *eddy__ptrmap_get(const eddy__ptrmap *m, const void *key) {
  if (!m->len) return NULL;
  size_t i = ptr_find(m, key);
  return m->slots[i].key ? m->slots[i].val : NULL;
}

int eddy__ptrmap_put(eddy__ptrmap *m, const void *key, void *val) {
  if ((m->len + 1) * 4 > m->cap * 3) {
    size_t cap = m->cap ? m->cap * 2 : 64;
    eddy__ptrmap n = {calloc(cap, sizeof(*n.slots)), cap, 0};
    if (!n.slots) return EDDY_ENOMEM;
    for (size_t i = 0; i < m->cap; i++) {
      if (!m->slots[i].key) continue;
      n.slots[ptr_find(&n, m->slots[i].key)] = m->slots[i];
      n.len++;
    }
    free(m->slots);
    *m = n;
  }
  size_t i = ptr_find(m, key);
  if (!m->slots[i].key) m->len++;
  m->slots[i].key = key;
  m->slots[i].val = val;
  return 0;
}

/* Linear probing without tombstones: the entries after the hole that belong before it move. */
void eddy__ptrmap_del(eddy__ptrmap *m, const void *key) {
  if (!m->len) return;
  size_t i = ptr_find(m, key);
  if (!m->slots[i].key) return;
  m->slots[i].key = NULL;
  m->len--;
  size_t mask = m->cap - 1;
  for (size_t j = (i + 1) & mask; m->slots[j].key; j = (j + 1) & mask) {
    size_t home = ptr_hash(m->slots[j].key, m->cap);
    /* Move j into the hole at i unless its home lies cyclically in (i, j]. */
    if (((j - home) & mask) >= ((j - i) & mask)) {
      m->slots[i] = m->slots[j];
      m->slots[j].key = NULL;
      i = j;
    }
  }
}

void eddy__ptrmap_free(eddy__ptrmap *m) {
  free(m->slots);
  memset(m, 0, sizeof(*m));
}

eddy_type eddy_value_type(const eddy_value *v) { return v ? v->type : EDDY_TYPE_UNDEFINED; }

int eddy_value_bool(const eddy_value *v) {
  return v && v->type == EDDY_TYPE_BOOLEAN ? v->u.boolean : 0;
}

double eddy_value_number(const eddy_value *v) {
  if (v && (v->type == EDDY_TYPE_NUMBER || v->type == EDDY_TYPE_DATE)) return v->u.number;
  return NAN;
}

const char *eddy_value_string(const eddy_value *v, size_t *len) {
  if (v && (v->type == EDDY_TYPE_STRING || v->type == EDDY_TYPE_BIGINT)) {
    if (len) *len = v->u.str.len;
    return v->u.str.ptr;
  }
  if (v && v->type == EDDY_TYPE_FUNCTION) {
    if (len) *len = v->u.fn.name_len;
    return v->u.fn.name;
  }
  if (v && v->type == EDDY_TYPE_ERROR) return eddy_value_string(eddy_value_get(v, "message"), len);
  if (len) *len = 0;
  return NULL;
}

const uint8_t *eddy_value_bytes(const eddy_value *v, size_t *len) {
  if (v && v->type == EDDY_TYPE_BYTES) {
    if (len) *len = v->u.bytes.len;
    return v->u.bytes.ptr;
  }
  if (len) *len = 0;
  return NULL;
}

size_t eddy_value_length(const eddy_value *v) {
  if (!v) return 0;
  if (is_list(v)) return v->u.list.len;
  if (v->type == EDDY_TYPE_BYTES) return v->u.bytes.len;
  return 0;
}

const eddy_value *eddy_value_at(const eddy_value *v, size_t i) {
  if (!is_list(v) || i >= v->u.list.len) return NULL;
  return v->u.list.items[i];
}

const char *eddy_value_key(const eddy_value *v, size_t i, size_t *len) {
  if (!is_list(v) || !v->u.list.keys || i >= v->u.list.len) return NULL;
  if (len) *len = v->u.list.key_lens[i];
  return v->u.list.keys[i];
}

static ptrdiff_t find_key(const eddy_value *v, const char *key, size_t key_len) {
  if (!is_list(v) || !v->u.list.keys) return -1;
  for (size_t i = 0; i < v->u.list.len; i++)
    if (v->u.list.key_lens[i] == key_len && memcmp(v->u.list.keys[i], key, key_len) == 0)
      return (ptrdiff_t)i;
  return -1;
}

const eddy_value *eddy_value_get(const eddy_value *v, const char *key) {
  if (!key) return NULL;
  ptrdiff_t i = find_key(v, key, strlen(key));
  return i < 0 ? NULL : v->u.list.items[i];
}

static const char *error_field(const eddy_value *v, const char *key) {
  if (!v || v->type != EDDY_TYPE_ERROR) return "";
  const char *s = eddy_value_string(eddy_value_get(v, key), NULL);
  return s ? s : "";
}
const char *eddy_value_error_name(const eddy_value *v) { return error_field(v, "name"); }
const char *eddy_value_error_message(const eddy_value *v) { return error_field(v, "message"); }
const char *eddy_value_error_stack(const eddy_value *v) { return error_field(v, "stack"); }

eddy_value *eddy_value_new_undefined(void) { return eddy__value_new(EDDY_TYPE_UNDEFINED); }
eddy_value *eddy_value_new_null(void) { return eddy__value_new(EDDY_TYPE_NULL); }

eddy_value *eddy_value_new_bool(int b) {
  eddy_value *v = eddy__value_new(EDDY_TYPE_BOOLEAN);
  if (v) v->u.boolean = b != 0;
  return v;
}

eddy_value *eddy_value_new_number(double d) {
  eddy_value *v = eddy__value_new(EDDY_TYPE_NUMBER);
  if (v) v->u.number = d;
  return v;
}

eddy_value *eddy_value_new_date(double ms) {
  eddy_value *v = eddy__value_new(EDDY_TYPE_DATE);
  if (v) v->u.number = ms;
  return v;
}

static eddy_value *new_text(eddy_type type, const char *s, size_t len) {
  eddy_value *v = eddy__value_new(type);
  if (!v) return NULL;
  /* Invalid UTF-8 becomes U+FFFD exactly as the round trip through JS would make it. */
  if (eddy__utf8_sanitize(s, len, &v->u.str.ptr, &v->u.str.len)) {
    free(v);
    return NULL;
  }
  return v;
}

eddy_value *eddy_value_new_string(const char *s, size_t len) {
  if (!s && len) return NULL;
  return new_text(EDDY_TYPE_STRING, s ? s : "", len);
}

eddy_value *eddy_value_new_cstring(const char *s) {
  return s ? eddy_value_new_string(s, strlen(s)) : NULL;
}

eddy_value *eddy_value_new_bigint(const char *decimal) {
  if (!decimal) return NULL;
  const char *p = decimal;
  if (*p == '-') p++;
  if (!*p) return NULL;
  for (const char *q = p; *q; q++)
    if (*q < '0' || *q > '9') return NULL;
  return new_text(EDDY_TYPE_BIGINT, decimal, strlen(decimal));
}

eddy_value *eddy_value_new_bytes(const void *data, size_t len) {
  if (!data && len) return NULL;
  eddy_value *v = eddy__value_new(EDDY_TYPE_BYTES);
  if (!v) return NULL;
  v->u.bytes.ptr = malloc(len ? len : 1);
  if (!v->u.bytes.ptr) {
    free(v);
    return NULL;
  }
  if (len) memcpy(v->u.bytes.ptr, data, len);
  v->u.bytes.len = len;
  return v;
}

eddy_value *eddy_value_new_array(void) { return eddy__value_new(EDDY_TYPE_ARRAY); }
eddy_value *eddy_value_new_object(void) { return eddy__value_new(EDDY_TYPE_OBJECT); }

eddy_value *eddy_value_new_error(const char *name, const char *message) {
  eddy_value *v = eddy__value_new(EDDY_TYPE_ERROR);
  if (!v) return NULL;
  if (eddy_value_set(v, "name", eddy_value_new_cstring(name ? name : "Error")) ||
      eddy_value_set(v, "message", eddy_value_new_cstring(message ? message : ""))) {
    eddy_value_free(v);
    return NULL;
  }
  return v;
}

static int grow(eddy_value *v, int keyed) {
  if (v->u.list.len < v->u.list.cap) return 0;
  size_t cap = v->u.list.cap ? v->u.list.cap * 2 : 4;
  eddy_value **items = realloc(v->u.list.items, cap * sizeof(*items));
  if (!items) return EDDY_ENOMEM;
  v->u.list.items = items;
  if (keyed) {
    char **keys = realloc(v->u.list.keys, cap * sizeof(*keys));
    if (!keys) return EDDY_ENOMEM;
    v->u.list.keys = keys;
    size_t *lens = realloc(v->u.list.key_lens, cap * sizeof(*lens));
    if (!lens) return EDDY_ENOMEM;
    v->u.list.key_lens = lens;
  }
  v->u.list.cap = cap;
  return 0;
}

int eddy_value_push(eddy_value *array, eddy_value *item) {
  if (!array || array->type != EDDY_TYPE_ARRAY || !item) {
    eddy_value_free(item);
    return item ? EDDY_EINVAL : EDDY_ENOMEM;
  }
  if (grow(array, 0)) {
    eddy_value_free(item);
    return EDDY_ENOMEM;
  }
  array->u.list.items[array->u.list.len++] = item;
  return 0;
}

int eddy__value_set_n(eddy_value *object, const char *key, size_t key_len, eddy_value *item) {
  if (!object || (object->type != EDDY_TYPE_OBJECT && object->type != EDDY_TYPE_ERROR) || !key ||
      !item) {
    eddy_value_free(item);
    return item ? EDDY_EINVAL : EDDY_ENOMEM;
  }
  /* Keys are UTF-8 like strings: invalid sequences become U+FFFD before the lookup, so that
     JSON and CBOR written from the value are valid and read back as the same keys. */
  char *k;
  if (eddy__utf8_sanitize(key, key_len, &k, &key_len)) {
    eddy_value_free(item);
    return EDDY_ENOMEM;
  }
  ptrdiff_t at = find_key(object, k, key_len);
  if (at >= 0) {
    free(k);
    eddy_value_free(object->u.list.items[at]);
    object->u.list.items[at] = item;
    return 0;
  }
  if (grow(object, 1)) {
    free(k);
    eddy_value_free(item);
    return EDDY_ENOMEM;
  }
  size_t i = object->u.list.len++;
  object->u.list.items[i] = item;
  object->u.list.keys[i] = k;
  object->u.list.key_lens[i] = key_len;
  return 0;
}

int eddy__value_append_n(eddy_value *object, const char *key, size_t key_len, eddy_value *item) {
  char *k = NULL;
  if (eddy__utf8_sanitize(key, key_len, &k, &key_len) || grow(object, 1)) {
    free(k);
    eddy_value_free(item);
    return EDDY_ENOMEM;
  }
  size_t i = object->u.list.len++;
  object->u.list.items[i] = item;
  object->u.list.keys[i] = k;
  object->u.list.key_lens[i] = key_len;
  return 0;
}

int eddy_value_set(eddy_value *object, const char *key, eddy_value *item) {
  return eddy__value_set_n(object, key, key ? strlen(key) : 0, item);
}

void eddy_free(void *p) { free(p); }
