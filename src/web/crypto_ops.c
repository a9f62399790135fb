/* SubtleCrypto's primitives on OpenSSL 3 (the contract is in crypto.h; keys are made, imported and
   exported in crypto_keys.c). Pure C: no JS, no engine state, so a job runs the same on the JS thread or on a libuv pool thread. src/js/subtle.js has
   already done every check the WebCrypto specification makes before an algorithm runs (usages,
   key types, parameter ranges); what is checked here again is only what would otherwise crash or
   hand OpenSSL a value outside its contract.

   Algorithm implementations are fetched once per process and shared (EVP_MD_fetch & co. are
   thread-safe and the fetched objects immutable), so an operation does not pay OpenSSL 3's
   implicit fetch. PBKDF2 and HKDF run on HMAC built from the low-level SHA-1/SHA-2 contexts
   (deprecated in OpenSSL 3 but present in every 3.x): one PBKDF2 iteration is then two struct
   copies and two compressions, where OpenSSL 3.0's own PKCS5_PBKDF2_HMAC duplicates provider
   contexts on the heap twice per iteration and is five times slower on this machine, and the
   loop can stop when its engine closes. */
#define OPENSSL_SUPPRESS_DEPRECATED
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/ec.h>
#include <openssl/err.h>
#include <openssl/param_build.h>
#include <openssl/rand.h>
#include <openssl/rsa.h>
#include <openssl/sha.h>
#include <openssl/x509.h>
#include <uv.h>

#include "crypto.h"

#define CHUNK ((size_t)1 << 20)        /* bytes fed between checks for an abort */
#define HEAVY_BYTES ((size_t)64 << 10) /* inputs larger than this go to the pool */
#define HEAVY_PBKDF2 5000u             /* PBKDF2 HMAC computations beyond this go to the pool */

/* ---- keys -------------------------------------------------------------------------------- */

ck_key *ck_key_secret(const uint8_t *p, size_t len) {
  ck_key *k = calloc(1, sizeof(*k));
  if (!k) return NULL;
  k->secret = malloc(len ? len : 1);
  if (!k->secret) {
    free(k);
    return NULL;
  }
  if (len) memcpy(k->secret, p, len);
  k->len = len;
  atomic_init(&k->refs, 1);
  return k;
}

ck_key *ck_key_pkey(EVP_PKEY *pkey, int is_private) {
  ck_key *k = calloc(1, sizeof(*k));
  if (!k) {
    EVP_PKEY_free(pkey);
    return NULL;
  }
  k->pkey = pkey;
  k->is_private = is_private;
  atomic_init(&k->refs, 1);
  return k;
}

void ck_key_ref(ck_key *k) { atomic_fetch_add(&k->refs, 1); }

void ck_key_unref(ck_key *k) {
  if (!k || atomic_fetch_sub(&k->refs, 1) != 1) return;
  if (k->secret) {
    OPENSSL_cleanse(k->secret, k->len);
    free(k->secret);
  }
  EVP_PKEY_free(k->pkey);
  free(k);
}

/* ---- process-wide algorithm implementations -------------------------------------------- */

static struct {
  EVP_MD *md[5]; /* by CK_SHA* */
  EVP_MAC *hmac;
  EVP_CIPHER *cbc[3], *ctr[3], *gcm[3], *kw[3]; /* by key size: 128, 192, 256 */
} g;
static uv_once_t g_once = UV_ONCE_INIT;

static void g_fetch(void) {
  static const char *const mds[5] = {NULL, "SHA1", "SHA2-256", "SHA2-384", "SHA2-512"};
  for (int i = 1; i < 5; i++) g.md[i] = EVP_MD_fetch(NULL, mds[i], NULL);
  g.hmac = EVP_MAC_fetch(NULL, "HMAC", NULL);
  static const char *const sizes[3] = {"128", "192", "256"};
  char name[32];
  for (int i = 0; i < 3; i++) {
    snprintf(name, sizeof name, "AES-%s-CBC", sizes[i]);
    g.cbc[i] = EVP_CIPHER_fetch(NULL, name, NULL);
    snprintf(name, sizeof name, "AES-%s-CTR", sizes[i]);
    g.ctr[i] = EVP_CIPHER_fetch(NULL, name, NULL);
    snprintf(name, sizeof name, "AES-%s-GCM", sizes[i]);
    g.gcm[i] = EVP_CIPHER_fetch(NULL, name, NULL);
    snprintf(name, sizeof name, "AES-%s-WRAP", sizes[i]); /* RFC 3394, default IV */
    g.kw[i] = EVP_CIPHER_fetch(NULL, name, NULL);
  }
  ERR_clear_error();
}

static const EVP_MD *md_of(uint32_t hash) {
  return hash >= CK_SHA1 && hash <= CK_SHA512 ? g.md[hash] : NULL;
}

static const EVP_CIPHER *aes_of(EVP_CIPHER *const set[3], size_t key_len) {
  return key_len == 16 ? set[0] : key_len == 24 ? set[1] : key_len == 32 ? set[2] : NULL;
}

const char *ck_curve_name(uint32_t c) {
  return c == CK_P256 ? "P-256" : c == CK_P384 ? "P-384" : c == CK_P521 ? "P-521" : NULL;
}

size_t ck_curve_bytes(uint32_t c) {
  return c == CK_P256 ? 32 : c == CK_P384 ? 48 : c == CK_P521 ? 66 : 0;
}

const char *ck_okp_name(uint32_t t) {
  return t == CK_ED25519 ? "ED25519" : t == CK_X25519 ? "X25519" : t == CK_ED448 ? "ED448"
         : t == CK_X448  ? "X448"
                         : NULL;
}

/* ---- results ------------------------------------------------------------------------------ */

int ck_fail(ck_job *j, int err, const char *msg) {
  j->err = err;
  j->msg = msg;
  ERR_clear_error();
  return err;
}

int ck_nomem(ck_job *j) { return ck_fail(j, CK_NOMEM, "out of memory"); }

int ck_aborted(ck_job *j) { return atomic_load_explicit(&j->abort, memory_order_relaxed); }

/* Appends an output of len bytes (left uninitialised); NULL on ENOMEM. */
uint8_t *ck_out_new(ck_job *j, size_t len) {
  if (j->nout >= CK_MAX_OUT) return NULL;
  uint8_t *p = malloc(len ? len : 1);
  if (!p) return NULL;
  j->out[j->nout] = p;
  j->out_len[j->nout] = len;
  j->nout++;
  return p;
}

/* An absent output (an optional JWK member the key does not have). */
void ck_out_none(ck_job *j) {
  j->out[j->nout] = NULL;
  j->out_len[j->nout] = 0;
  j->nout++;
}

/* Appends a copy of OpenSSL-allocated DER (freed here). */
int ck_out_der(ck_job *j, unsigned char *der, int n) {
  if (n <= 0) return ck_fail(j, CK_OPERATION, "the key could not be encoded");
  uint8_t *o = ck_out_new(j, (size_t)n);
  if (o) memcpy(o, der, (size_t)n);
  OPENSSL_free(der);
  return o ? 0 : ck_nomem(j);
}

/* A big-endian integer: minimal (pad 0) or left-padded with zeros to pad bytes. */
int ck_out_bn(ck_job *j, const BIGNUM *bn, size_t pad) {
  size_t n = pad ? pad : (size_t)BN_num_bytes(bn);
  uint8_t *o = ck_out_new(j, n);
  if (!o) return ck_nomem(j);
  if (BN_bn2binpad(bn, o, (int)n) < 0) return ck_fail(j, CK_OPERATION, "the key could not be encoded");
  return 0;
}

/* ---- digest and HMAC --------------------------------------------------------------------- */

static int op_digest(ck_job *j) {
  const EVP_MD *md = md_of(j->n[0]);
  if (!md) return ck_fail(j, CK_NOTSUP, "the hash is not supported");
  uint8_t *o = ck_out_new(j, (size_t)EVP_MD_get_size(md));
  EVP_MD_CTX *c = EVP_MD_CTX_new();
  if (!o || !c) {
    EVP_MD_CTX_free(c);
    return ck_nomem(j);
  }
  const ck_bytes *d = &j->b[0];
  int ok = EVP_DigestInit_ex2(c, md, NULL);
  for (size_t off = 0; ok && off < d->len; off += CHUNK) {
    if (ck_aborted(j)) break;
    ok = EVP_DigestUpdate(c, d->p + off, d->len - off < CHUNK ? d->len - off : CHUNK);
  }
  unsigned int len = 0;
  ok = ok && !ck_aborted(j) && EVP_DigestFinal_ex(c, o, &len);
  EVP_MD_CTX_free(c);
  if (ck_aborted(j)) return ck_fail(j, CK_ABORTED, "the engine closed");
  return ok ? 0 : ck_fail(j, CK_OPERATION, "the digest failed");
}

static int hmac(ck_job *j, const EVP_MD *md, const ck_key *key, const ck_bytes *d, uint8_t *out,
                size_t *out_len) {
  EVP_MAC_CTX *m = EVP_MAC_CTX_new(g.hmac);
  if (!m) return ck_nomem(j);
  OSSL_PARAM ps[2] = {
      OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, (char *)EVP_MD_get0_name(md), 0),
      OSSL_PARAM_construct_end()};
  int ok = EVP_MAC_init(m, key->secret, key->len, ps);
  for (size_t off = 0; ok && off < d->len; off += CHUNK) {
    if (ck_aborted(j)) break;
    ok = EVP_MAC_update(m, d->p + off, d->len - off < CHUNK ? d->len - off : CHUNK);
  }
  ok = ok && !ck_aborted(j) && EVP_MAC_final(m, out, out_len, EVP_MAX_MD_SIZE);
  EVP_MAC_CTX_free(m);
  if (ck_aborted(j)) return ck_fail(j, CK_ABORTED, "the engine closed");
  return ok ? 0 : ck_fail(j, CK_OPERATION, "HMAC failed");
}

static int op_hmac(ck_job *j, int verify) {
  const EVP_MD *md = md_of(j->n[0]);
  const ck_key *key = j->k[0];
  if (!md || !g.hmac) return ck_fail(j, CK_NOTSUP, "the hash is not supported");
  if (!key->secret) return ck_fail(j, CK_ACCESS, "not a secret key");
  uint8_t mac[EVP_MAX_MD_SIZE];
  size_t len = 0;
  if (hmac(j, md, key, &j->b[0], mac, &len)) return j->err;
  if (verify) {
    const ck_bytes *sig = &j->b[1];
    j->verified = sig->len == len && CRYPTO_memcmp(sig->p, mac, len) == 0;
    return 0;
  }
  uint8_t *o = ck_out_new(j, len);
  if (!o) return ck_nomem(j);
  memcpy(o, mac, len);
  return 0;
}

/* ---- signatures ----------------------------------------------------------------------------- */

/* ECDSA: WebCrypto's signature is r || s, each as long as the group order; OpenSSL's is DER. */
static int ecdsa_to_raw(ck_job *j, const uint8_t *der, size_t der_len, size_t n) {
  const unsigned char *p = der;
  ECDSA_SIG *s = d2i_ECDSA_SIG(NULL, &p, (long)der_len);
  if (!s) return ck_fail(j, CK_OPERATION, "the signature could not be encoded");
  uint8_t *o = ck_out_new(j, 2 * n);
  int ok = o && BN_bn2binpad(ECDSA_SIG_get0_r(s), o, (int)n) >= 0 &&
           BN_bn2binpad(ECDSA_SIG_get0_s(s), o + n, (int)n) >= 0;
  ECDSA_SIG_free(s);
  if (!o) return ck_nomem(j);
  return ok ? 0 : ck_fail(j, CK_OPERATION, "the signature could not be encoded");
}

/* r || s to DER in *der (OPENSSL_malloc'd); 0 when sig cannot be one (wrong length). */
static int ecdsa_to_der(const ck_bytes *sig, size_t n, unsigned char **der, int *der_len) {
  if (sig->len != 2 * n) return 0;
  ECDSA_SIG *s = ECDSA_SIG_new();
  BIGNUM *r = BN_bin2bn(sig->p, (int)n, NULL), *sv = BN_bin2bn(sig->p + n, (int)n, NULL);
  if (!s || !r || !sv || !ECDSA_SIG_set0(s, r, sv)) {
    BN_free(r);
    BN_free(sv);
    ECDSA_SIG_free(s);
    return 0;
  }
  *der = NULL;
  *der_len = i2d_ECDSA_SIG(s, der);
  ECDSA_SIG_free(s);
  return *der_len > 0;
}

static int op_sign(ck_job *j, int verify) {
  uint32_t scheme = j->n[0], salt = j->n[2];
  const ck_key *key = j->k[0];
  const ck_bytes *data = &j->b[0], *sig = &j->b[1];
  if (!key->pkey || (!verify && !key->is_private)) return ck_fail(j, CK_ACCESS, "wrong key type");
  const EVP_MD *md = NULL;
  if (scheme != CK_EDDSA && !(md = md_of(j->n[1])))
    return ck_fail(j, CK_NOTSUP, "the hash is not supported");
  size_t order = (size_t)(EVP_PKEY_get_bits(key->pkey) + 7) / 8;
  unsigned char *der = NULL;
  int der_len = 0;
  if (verify && scheme == CK_ECDSA && !ecdsa_to_der(sig, order, &der, &der_len)) {
    j->verified = 0; /* not r || s of this curve: it cannot verify */
    return 0;
  }
  EVP_MD_CTX *c = EVP_MD_CTX_new();
  EVP_PKEY_CTX *pc = NULL;
  const char *mdname = md ? EVP_MD_get0_name(md) : NULL;
  int ok = c && (verify ? EVP_DigestVerifyInit_ex(c, &pc, mdname, NULL, NULL, key->pkey, NULL)
                        : EVP_DigestSignInit_ex(c, &pc, mdname, NULL, NULL, key->pkey, NULL)) > 0;
  if (ok && scheme == CK_RSAPSS)
    ok = salt <= INT_MAX && EVP_PKEY_CTX_set_rsa_padding(pc, RSA_PKCS1_PSS_PADDING) > 0 &&
         EVP_PKEY_CTX_set_rsa_pss_saltlen(pc, (int)salt) > 0 &&
         EVP_PKEY_CTX_set_rsa_mgf1_md_name(pc, mdname, NULL) > 0;
  else if (ok && scheme == CK_RSASSA)
    ok = EVP_PKEY_CTX_set_rsa_padding(pc, RSA_PKCS1_PADDING) > 0;
  int st = 0;
  if (!ok) {
    st = verify ? 0 : ck_fail(j, CK_OPERATION, "the key cannot sign");
    if (verify) j->verified = 0;
  } else if (scheme == CK_EDDSA) {
    /* EdDSA hashes the message twice: no streaming interface. */
    if (verify) {
      j->verified = EVP_DigestVerify(c, sig->p, sig->len, data->p, data->len) == 1;
    } else {
      size_t len = 0;
      uint8_t *o = NULL;
      if (EVP_DigestSign(c, NULL, &len, data->p, data->len) <= 0)
        st = ck_fail(j, CK_OPERATION, "signing failed");
      else if (!(o = ck_out_new(j, len)))
        st = ck_nomem(j);
      else if (EVP_DigestSign(c, o, &len, data->p, data->len) <= 0)
        st = ck_fail(j, CK_OPERATION, "signing failed");
      else
        j->out_len[j->nout - 1] = len;
    }
  } else {
    for (size_t off = 0; ok && off < data->len; off += CHUNK) {
      if (ck_aborted(j)) break;
      size_t step = data->len - off < CHUNK ? data->len - off : CHUNK;
      ok = (verify ? EVP_DigestVerifyUpdate(c, data->p + off, step)
                   : EVP_DigestSignUpdate(c, data->p + off, step)) > 0;
    }
    if (ck_aborted(j)) {
      st = ck_fail(j, CK_ABORTED, "the engine closed");
    } else if (verify) {
      const uint8_t *s = der ? der : sig->p;
      size_t slen = der ? (size_t)der_len : sig->len;
      j->verified = ok && EVP_DigestVerifyFinal(c, s, slen) == 1;
    } else {
      size_t len = 0;
      uint8_t *tmp = NULL;
      if (!ok || EVP_DigestSignFinal(c, NULL, &len) <= 0) {
        st = ck_fail(j, CK_OPERATION, "signing failed");
      } else if (!(tmp = malloc(len ? len : 1))) {
        st = ck_nomem(j);
      } else if (EVP_DigestSignFinal(c, tmp, &len) <= 0) {
        st = ck_fail(j, CK_OPERATION, "signing failed");
      } else if (scheme == CK_ECDSA) {
        st = ecdsa_to_raw(j, tmp, len, order);
      } else {
        uint8_t *o = ck_out_new(j, len);
        if (o) memcpy(o, tmp, len);
        else st = ck_nomem(j);
      }
      free(tmp);
    }
  }
  OPENSSL_free(der);
  EVP_MD_CTX_free(c);
  ERR_clear_error();
  return st;
}

/* ---- AES -------------------------------------------------------------------------------------- */

/* Runs in through c (already keyed) into out, CHUNK at a time; adds the bytes written to *done. */
static int cipher_feed(ck_job *j, EVP_CIPHER_CTX *c, const uint8_t *in, size_t len, uint8_t *out,
                       size_t *done) {
  for (size_t off = 0; off < len; off += CHUNK) {
    if (ck_aborted(j)) return 0;
    int n = 0;
    size_t step = len - off < CHUNK ? len - off : CHUNK;
    if (!EVP_CipherUpdate(c, out ? out + *done : NULL, &n, in + off, (int)step)) return 0;
    if (out) *done += (size_t)n;
  }
  return 1;
}

static int op_aes_cbc(ck_job *j) {
  int enc = (int)j->n[0];
  const ck_key *key = j->k[0];
  const ck_bytes *data = &j->b[0], *iv = &j->b[1];
  const EVP_CIPHER *ci = key->secret ? aes_of(g.cbc, key->len) : NULL;
  if (!ci || iv->len != 16) return ck_fail(j, CK_OPERATION, "invalid key or iv");
  if (data->len > SIZE_MAX - 16) return ck_nomem(j);
  uint8_t *o = ck_out_new(j, data->len + 16);
  EVP_CIPHER_CTX *c = EVP_CIPHER_CTX_new();
  size_t done = 0;
  int n = 0;
  int ok = o && c && EVP_CipherInit_ex2(c, ci, key->secret, iv->p, enc, NULL) &&
           cipher_feed(j, c, data->p, data->len, o, &done) &&
           EVP_CipherFinal_ex(c, o + done, &n);
  EVP_CIPHER_CTX_free(c);
  if (!o || !c) return ck_nomem(j);
  if (ck_aborted(j)) return ck_fail(j, CK_ABORTED, "the engine closed");
  if (!ok) return ck_fail(j, CK_OPERATION, enc ? "encryption failed" : "decryption failed");
  j->out_len[0] = done + (size_t)n;
  return 0;
}

static unsigned __int128 load_be128(const uint8_t *p) {
  unsigned __int128 v = 0;
  for (int i = 0; i < 16; i++) v = (v << 8) | p[i];
  return v;
}

static void store_be128(uint8_t *p, unsigned __int128 v) {
  for (int i = 15; i >= 0; i--) {
    p[i] = (uint8_t)v;
    v >>= 8;
  }
}

/* AES-CTR with WebCrypto's counter: only the rightmost `length` bits of the block count, and they
   wrap to zero without carrying into the rest (the nonce). OpenSSL increments all 128 bits, so the
   input is cut where the counter wraps and the second part starts from the zeroed counter. */
static int op_aes_ctr(ck_job *j) {
  uint32_t bits = j->n[1];
  const ck_key *key = j->k[0];
  const ck_bytes *data = &j->b[0], *counter = &j->b[1];
  const EVP_CIPHER *ci = key->secret ? aes_of(g.ctr, key->len) : NULL;
  if (!ci || counter->len != 16 || bits == 0 || bits > 128)
    return ck_fail(j, CK_OPERATION, "invalid key, counter or length");
  unsigned __int128 ctr = load_be128(counter->p);
  uint64_t blocks = (uint64_t)(data->len / 16 + (data->len % 16 != 0));
  size_t first = data->len; /* bytes before the counter wraps */
  unsigned __int128 mask = bits == 128 ? ~(unsigned __int128)0
                                       : (((unsigned __int128)1 << bits) - 1);
  if (bits < 128) {
    unsigned __int128 space = (unsigned __int128)1 << bits;
    if ((unsigned __int128)blocks > space)
      return ck_fail(j, CK_OPERATION, "the counter would repeat: the data is too long for length");
    unsigned __int128 until_wrap = space - (ctr & mask);
    if (until_wrap < (unsigned __int128)blocks) first = (size_t)until_wrap * 16;
  }
  uint8_t *o = ck_out_new(j, data->len);
  EVP_CIPHER_CTX *c = EVP_CIPHER_CTX_new();
  size_t done = 0;
  int ok = o && c && EVP_CipherInit_ex2(c, ci, key->secret, counter->p, 1, NULL) &&
           cipher_feed(j, c, data->p, first, o, &done);
  if (ok && first < data->len) {
    uint8_t iv2[16];
    store_be128(iv2, ctr & ~mask);
    ok = EVP_CipherInit_ex2(c, NULL, NULL, iv2, 1, NULL) &&
         cipher_feed(j, c, data->p + first, data->len - first, o, &done);
  }
  EVP_CIPHER_CTX_free(c);
  if (!o || !c) return ck_nomem(j);
  if (ck_aborted(j)) return ck_fail(j, CK_ABORTED, "the engine closed");
  return ok ? 0 : ck_fail(j, CK_OPERATION, "AES-CTR failed");
}

static int op_aes_gcm(ck_job *j) {
  int enc = (int)j->n[0];
  size_t tag_len = j->n[1] / 8;
  const ck_key *key = j->k[0];
  const ck_bytes *data = &j->b[0], *iv = &j->b[1], *aad = &j->b[2];
  const EVP_CIPHER *ci = key->secret ? aes_of(g.gcm, key->len) : NULL;
  if (!ci || iv->len == 0 || tag_len < 4 || tag_len > 16)
    return ck_fail(j, CK_OPERATION, "invalid key, iv or tag length");
  if (!enc && data->len < tag_len)
    return ck_fail(j, CK_OPERATION, "the data is shorter than the authentication tag");
  size_t text = enc ? data->len : data->len - tag_len;
  if (enc && text > SIZE_MAX - 16) return ck_nomem(j);
  uint8_t *o = ck_out_new(j, enc ? text + tag_len : text);
  EVP_CIPHER_CTX *c = EVP_CIPHER_CTX_new();
  if (!o || !c) {
    EVP_CIPHER_CTX_free(c);
    return ck_nomem(j);
  }
  size_t ivlen = iv->len, done = 0;
  OSSL_PARAM ivp[2] = {OSSL_PARAM_construct_size_t(OSSL_CIPHER_PARAM_AEAD_IVLEN, &ivlen),
                       OSSL_PARAM_construct_end()};
  int n = 0;
  int ok = EVP_CipherInit_ex2(c, ci, NULL, NULL, enc, ivp) &&
           EVP_CipherInit_ex2(c, NULL, key->secret, iv->p, enc, NULL) &&
           (!aad->present || cipher_feed(j, c, aad->p, aad->len, NULL, &done)) &&
           cipher_feed(j, c, data->p, text, o, &done);
  if (ok && !enc) {
    OSSL_PARAM tp[2] = {OSSL_PARAM_construct_octet_string(OSSL_CIPHER_PARAM_AEAD_TAG,
                                                          (void *)(data->p + text), tag_len),
                        OSSL_PARAM_construct_end()};
    ok = EVP_CIPHER_CTX_set_params(c, tp);
  }
  ok = ok && EVP_CipherFinal_ex(c, o + done, &n);
  if (ok && enc) {
    OSSL_PARAM tp[2] = {
        OSSL_PARAM_construct_octet_string(OSSL_CIPHER_PARAM_AEAD_TAG, o + done + n, tag_len),
        OSSL_PARAM_construct_end()};
    ok = EVP_CIPHER_CTX_get_params(c, tp);
  }
  EVP_CIPHER_CTX_free(c);
  if (ck_aborted(j)) return ck_fail(j, CK_ABORTED, "the engine closed");
  if (!ok) return ck_fail(j, CK_OPERATION, enc ? "encryption failed" : "decryption failed");
  return 0;
}

static int op_aes_kw(ck_job *j) {
  int wrap = (int)j->n[0];
  const ck_key *key = j->k[0];
  const ck_bytes *data = &j->b[0];
  const EVP_CIPHER *ci = key->secret ? aes_of(g.kw, key->len) : NULL;
  if (!ci) return ck_fail(j, CK_OPERATION, "invalid key");
  if (data->len % 8 || data->len < (wrap ? 16u : 24u) || data->len > INT_MAX - 8)
    return ck_fail(j, CK_OPERATION, "AES-KW data must be a multiple of 8 bytes, at least 16");
  uint8_t *o = ck_out_new(j, wrap ? data->len + 8 : data->len - 8);
  EVP_CIPHER_CTX *c = EVP_CIPHER_CTX_new();
  int n = -1;
  if (o && c) {
    EVP_CIPHER_CTX_set_flags(c, EVP_CIPHER_CTX_FLAG_WRAP_ALLOW);
    if (!EVP_CipherInit_ex2(c, ci, key->secret, NULL, wrap, NULL) ||
        !EVP_CipherUpdate(c, o, &n, data->p, (int)data->len))
      n = -1;
  }
  EVP_CIPHER_CTX_free(c);
  if (!o || !c) return ck_nomem(j);
  if (n < 0 || (size_t)n != j->out_len[0])
    return ck_fail(j, CK_OPERATION, wrap ? "wrapping failed" : "unwrapping failed: integrity check");
  return 0;
}

/* ---- RSA-OAEP --------------------------------------------------------------------------------- */

static int op_rsa_oaep(ck_job *j) {
  int enc = (int)j->n[0];
  const EVP_MD *md = md_of(j->n[1]);
  const ck_key *key = j->k[0];
  const ck_bytes *data = &j->b[0], *label = &j->b[1];
  if (!md) return ck_fail(j, CK_NOTSUP, "the hash is not supported");
  if (!key->pkey || (!enc && !key->is_private)) return ck_fail(j, CK_ACCESS, "wrong key type");
  EVP_PKEY_CTX *pc = EVP_PKEY_CTX_new_from_pkey(NULL, key->pkey, NULL);
  const char *mdname = EVP_MD_get0_name(md);
  int ok = pc && (enc ? EVP_PKEY_encrypt_init(pc) : EVP_PKEY_decrypt_init(pc)) > 0 &&
           EVP_PKEY_CTX_set_rsa_padding(pc, RSA_PKCS1_OAEP_PADDING) > 0 &&
           EVP_PKEY_CTX_set_rsa_oaep_md_name(pc, mdname, NULL) > 0 &&
           EVP_PKEY_CTX_set_rsa_mgf1_md_name(pc, mdname, NULL) > 0;
  if (ok && label->present && label->len) {
    void *l = OPENSSL_memdup(label->p, label->len);
    ok = l && EVP_PKEY_CTX_set0_rsa_oaep_label(pc, l, (int)label->len) > 0;
    if (!ok) OPENSSL_free(l);
  }
  size_t len = 0;
  uint8_t *o = NULL;
  ok = ok &&
       (enc ? EVP_PKEY_encrypt(pc, NULL, &len, data->p, data->len)
            : EVP_PKEY_decrypt(pc, NULL, &len, data->p, data->len)) > 0 &&
       (o = ck_out_new(j, len)) != NULL &&
       (enc ? EVP_PKEY_encrypt(pc, o, &len, data->p, data->len)
            : EVP_PKEY_decrypt(pc, o, &len, data->p, data->len)) > 0;
  EVP_PKEY_CTX_free(pc);
  if (!ok) return ck_fail(j, CK_OPERATION, enc ? "encryption failed" : "decryption failed");
  j->out_len[j->nout - 1] = len;
  return 0;
}

/* ---- PBKDF2 and HKDF: HMAC on the low-level hash contexts ------------------------------------ */

typedef union {
  SHA_CTX s1;
  SHA256_CTX s256;
  SHA512_CTX s512;
} hctx;

static size_t h_size(uint32_t h) { return h == CK_SHA1 ? 20 : h == CK_SHA256 ? 32 : h == CK_SHA384 ? 48 : 64; }
static size_t h_block(uint32_t h) { return h == CK_SHA1 || h == CK_SHA256 ? 64 : 128; }

static void h_init(uint32_t h, hctx *c) {
  switch (h) {
  case CK_SHA1: SHA1_Init(&c->s1); break;
  case CK_SHA256: SHA256_Init(&c->s256); break;
  case CK_SHA384: SHA384_Init(&c->s512); break;
  default: SHA512_Init(&c->s512); break;
  }
}

static void h_update(uint32_t h, hctx *c, const void *p, size_t n) {
  if (!n) return;
  switch (h) {
  case CK_SHA1: SHA1_Update(&c->s1, p, n); break;
  case CK_SHA256: SHA256_Update(&c->s256, p, n); break;
  case CK_SHA384: SHA384_Update(&c->s512, p, n); break;
  default: SHA512_Update(&c->s512, p, n); break;
  }
}

static void h_final(uint32_t h, hctx *c, uint8_t *out) {
  switch (h) {
  case CK_SHA1: SHA1_Final(out, &c->s1); break;
  case CK_SHA256: SHA256_Final(out, &c->s256); break;
  case CK_SHA384: SHA384_Final(out, &c->s512); break;
  default: SHA512_Final(out, &c->s512); break;
  }
}

/* HMAC keyed once: the inner and outer contexts after the padded key (RFC 2104). */
typedef struct {
  uint32_t h;
  size_t size;  /* digest bytes */
  size_t csize; /* bytes of the context in use (a SHA-256 one is half a SHA-512 one) */
  hctx inner, outer;
} lhmac;

static void lhmac_init(lhmac *m, uint32_t h, const uint8_t *key, size_t len) {
  uint8_t k[128] = {0}, pad[128];
  size_t block = h_block(h);
  m->h = h;
  m->size = h_size(h);
  m->csize = h == CK_SHA1 ? sizeof(SHA_CTX) : h == CK_SHA256 ? sizeof(SHA256_CTX) : sizeof(SHA512_CTX);
  if (len > block) {
    hctx t;
    h_init(h, &t);
    h_update(h, &t, key, len);
    h_final(h, &t, k);
    OPENSSL_cleanse(&t, sizeof t);
  } else if (len) {
    memcpy(k, key, len);
  }
  for (size_t i = 0; i < block; i++) pad[i] = k[i] ^ 0x36;
  h_init(h, &m->inner);
  h_update(h, &m->inner, pad, block);
  for (size_t i = 0; i < block; i++) pad[i] = k[i] ^ 0x5c;
  h_init(h, &m->outer);
  h_update(h, &m->outer, pad, block);
  OPENSSL_cleanse(k, sizeof k);
  OPENSSL_cleanse(pad, sizeof pad);
}

/* out = HMAC(a || b || c), in the scratch context t (the caller cleanses it). */
static void lhmac_run(const lhmac *m, hctx *t, const uint8_t *a, size_t an, const uint8_t *b,
                      size_t bn, const uint8_t *c, size_t cn, uint8_t *out) {
  memcpy(t, &m->inner, m->csize);
  h_update(m->h, t, a, an);
  h_update(m->h, t, b, bn);
  h_update(m->h, t, c, cn);
  h_final(m->h, t, out);
  memcpy(t, &m->outer, m->csize);
  h_update(m->h, t, out, m->size);
  h_final(m->h, t, out);
}

static int op_pbkdf2(ck_job *j) {
  uint32_t h = j->n[0], iterations = j->n[1];
  size_t len = j->n[2];
  const ck_key *key = j->k[0];
  const ck_bytes *salt = &j->b[0];
  if (!md_of(h)) return ck_fail(j, CK_NOTSUP, "the hash is not supported");
  if (!key->secret || iterations == 0 || len == 0)
    return ck_fail(j, CK_OPERATION, "invalid PBKDF2 parameters");
  uint8_t *o = ck_out_new(j, len);
  if (!o) return ck_nomem(j);
  lhmac m;
  hctx scratch;
  lhmac_init(&m, h, key->secret, key->len);
  uint8_t u[64], t[64];
  size_t size = m.size;
  for (uint32_t block = 1, done = 0; done < len; block++) {
    uint8_t be[4] = {(uint8_t)(block >> 24), (uint8_t)(block >> 16), (uint8_t)(block >> 8),
                     (uint8_t)block};
    lhmac_run(&m, &scratch, salt->p, salt->len, be, 4, NULL, 0, u);
    memcpy(t, u, size);
    for (uint32_t i = 1; i < iterations; i++) {
      if ((i & 1023) == 0 && ck_aborted(j)) {
        OPENSSL_cleanse(&m, sizeof m);
        OPENSSL_cleanse(&scratch, sizeof scratch);
        return ck_fail(j, CK_ABORTED, "the engine closed");
      }
      lhmac_run(&m, &scratch, u, size, NULL, 0, NULL, 0, u);
      for (size_t k = 0; k < size; k++) t[k] ^= u[k];
    }
    size_t take = len - done < size ? len - done : size;
    memcpy(o + done, t, take);
    done += take;
  }
  OPENSSL_cleanse(&m, sizeof m);
  OPENSSL_cleanse(&scratch, sizeof scratch);
  OPENSSL_cleanse(u, sizeof u);
  OPENSSL_cleanse(t, sizeof t);
  return 0;
}

/* RFC 5869. An empty salt is HashLen zero bytes, which is what HMAC makes of an empty key. */
static int op_hkdf(ck_job *j) {
  uint32_t h = j->n[0];
  size_t len = j->n[1];
  const ck_key *key = j->k[0];
  const ck_bytes *salt = &j->b[0], *info = &j->b[1];
  if (!md_of(h)) return ck_fail(j, CK_NOTSUP, "the hash is not supported");
  size_t size = h_size(h);
  if (!key->secret || len > 255 * size)
    return ck_fail(j, CK_OPERATION, "HKDF cannot derive that many bits with this hash");
  uint8_t *o = ck_out_new(j, len);
  if (!o) return ck_nomem(j);
  lhmac m;
  hctx scratch;
  uint8_t prk[64], t[64];
  lhmac_init(&m, h, salt->p, salt->len);
  lhmac_run(&m, &scratch, key->secret, key->len, NULL, 0, NULL, 0, prk);
  lhmac_init(&m, h, prk, size);
  size_t tlen = 0;
  for (size_t done = 0, i = 1; done < len; i++) {
    uint8_t ci = (uint8_t)i;
    lhmac_run(&m, &scratch, t, tlen, info->p, info->len, &ci, 1, t);
    tlen = size;
    size_t take = len - done < size ? len - done : size;
    memcpy(o + done, t, take);
    done += take;
  }
  OPENSSL_cleanse(&m, sizeof m);
  OPENSSL_cleanse(&scratch, sizeof scratch);
  OPENSSL_cleanse(prk, sizeof prk);
  OPENSSL_cleanse(t, sizeof t);
  return 0;
}

/* ECDH, X25519, X448: the whole shared secret (subtle_ec.js truncates to the bits asked for). */
static int op_dh(ck_job *j) {
  const ck_key *priv = j->k[0], *pub = j->k[1];
  if (!priv->pkey || !priv->is_private || !pub->pkey) return ck_fail(j, CK_ACCESS, "wrong key type");
  EVP_PKEY_CTX *pc = EVP_PKEY_CTX_new_from_pkey(NULL, priv->pkey, NULL);
  size_t len = 0;
  uint8_t *o = NULL;
  int ok = pc && EVP_PKEY_derive_init(pc) > 0 && EVP_PKEY_derive_set_peer(pc, pub->pkey) > 0 &&
           EVP_PKEY_derive(pc, NULL, &len) > 0 && (o = ck_out_new(j, len)) != NULL &&
           EVP_PKEY_derive(pc, o, &len) > 0;
  EVP_PKEY_CTX_free(pc);
  if (!ok) return ck_fail(j, CK_OPERATION, "key agreement failed (an invalid or small-order public key?)");
  j->out_len[j->nout - 1] = len;
  return 0;
}

/* ---- dispatch ------------------------------------------------------------------------------- */

int ck_random(uint8_t *p, size_t len) {
  while (len) {
    int n = len > INT_MAX ? INT_MAX : (int)len;
    if (RAND_bytes(p, n) != 1) {
      ERR_clear_error();
      return -1;
    }
    p += n;
    len -= (size_t)n;
  }
  return 0;
}

int ck_run(ck_job *j) {
  uv_once(&g_once, g_fetch);
  switch (j->op) {
  case CK_DIGEST: return op_digest(j);
  case CK_HMAC_SIGN: return op_hmac(j, 0);
  case CK_HMAC_VERIFY: return op_hmac(j, 1);
  case CK_SIGN: return op_sign(j, 0);
  case CK_VERIFY: return op_sign(j, 1);
  case CK_AES_CBC: return op_aes_cbc(j);
  case CK_AES_CTR: return op_aes_ctr(j);
  case CK_AES_GCM: return op_aes_gcm(j);
  case CK_AES_KW: return op_aes_kw(j);
  case CK_RSA_OAEP: return op_rsa_oaep(j);
  case CK_PBKDF2: return op_pbkdf2(j);
  case CK_HKDF: return op_hkdf(j);
  case CK_DH: return op_dh(j);
  case CK_GEN_SECRET: return ck_gen_secret(j);
  case CK_GEN_RSA: return ck_gen_rsa(j);
  case CK_GEN_EC: return ck_gen_ec(j);
  case CK_GEN_OKP: return ck_gen_okp(j);
  case CK_IMPORT_SECRET:
    j->rk[0] = ck_key_secret(j->b[0].p, j->b[0].len);
    return j->rk[0] ? 0 : ck_nomem(j);
  case CK_IMPORT_SPKI: return ck_import_spki(j);
  case CK_IMPORT_PKCS8: return ck_import_pkcs8(j);
  case CK_IMPORT_EC_RAW: return ck_import_ec_raw(j);
  case CK_IMPORT_OKP_RAW: return ck_import_okp_raw(j);
  case CK_IMPORT_RSA_JWK: return ck_import_rsa_jwk(j);
  case CK_IMPORT_EC_JWK: return ck_import_ec_jwk(j);
  case CK_IMPORT_OKP_JWK: return ck_import_okp_jwk(j);
  case CK_EXPORT_SECRET:
  case CK_EXPORT_RAW: return ck_export_raw(j);
  case CK_EXPORT_SPKI: return ck_export_spki(j);
  case CK_EXPORT_PKCS8: return ck_export_pkcs8(j);
  case CK_EXPORT_JWK: return ck_export_jwk(j);
  default: return ck_fail(j, CK_NOTSUP, "unknown operation");
  }
}

static int rsa_private_op(const ck_job *j) {
  const ck_key *k = j->k[0];
  return k && k->pkey && k->is_private && EVP_PKEY_is_a(k->pkey, "RSA") &&
         EVP_PKEY_get_bits(k->pkey) >= 2048;
}

int ck_is_heavy(const ck_job *j) {
  size_t bytes = 0;
  for (int i = 0; i < CK_MAX_BYTES; i++) bytes += j->b[i].len;
  if (bytes > HEAVY_BYTES) return 1;
  switch (j->op) {
  case CK_GEN_RSA: return 1;
  case CK_PBKDF2: {
    uint64_t size = md_of(j->n[0]) ? h_size(j->n[0]) : 64;
    uint64_t blocks = ((uint64_t)j->n[2] + size - 1) / size;
    return (uint64_t)j->n[1] * blocks > HEAVY_PBKDF2;
  }
  case CK_SIGN: return j->n[0] != CK_ECDSA && j->n[0] != CK_EDDSA && rsa_private_op(j);
  case CK_RSA_OAEP: return !j->n[0] && rsa_private_op(j);
  default: return 0;
  }
}

void ck_job_clear(ck_job *j) {
  for (int i = 0; i < CK_MAX_BYTES; i++) {
    if (j->b[i].owned) {
      OPENSSL_cleanse(j->b[i].owned, j->b[i].len);
      free(j->b[i].owned);
    }
    j->b[i].owned = NULL;
  }
  for (int i = 0; i < 2; i++) {
    ck_key_unref(j->k[i]);
    ck_key_unref(j->rk[i]);
    j->k[i] = j->rk[i] = NULL;
  }
  for (int i = 0; i < j->nout; i++) {
    if (j->out[i]) {
      OPENSSL_cleanse(j->out[i], j->out_len[i]);
      free(j->out[i]);
    }
    j->out[i] = NULL;
  }
  j->nout = 0;
}
