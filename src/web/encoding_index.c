/* The Encoding Standard's index tables, read out of ICU's converters on first use.
 *
 * Each table is built by decoding every pointer's byte sequence alone through the ICU
 * converter whose mapping is closest to the standard's index (checked pointer by pointer
 * against the standard's index files; docs/encoding.md lists the converters), then correcting
 * the entries where ICU's table and the standard's index differ. Decoding itself is done by
 * the standard's algorithms in encoding_legacy.c, never by ICU, so that errors, the bytes an
 * error consumes and streaming are exactly the standard's. */
#include <iconv.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unicode/ucnv.h>

#include "encoding.h"

/* One byte sequence alone through `conv`: its single code point, or 0 if ICU has no mapping
   (or maps it to more than one code point). */
static uint32_t icu_decode(UConverter *conv, const char *bytes, int n) {
  UChar out[4];
  UErrorCode err = U_ZERO_ERROR;
  ucnv_reset(conv);
  int32_t k = ucnv_toUChars(conv, out, 4, bytes, n, &err);
  if (U_FAILURE(err) || k < 1) return 0;
  if (k == 1) return out[0] >= 0xD800 && out[0] <= 0xDFFF ? 0 : out[0];
  if (k == 2 && out[0] >= 0xD800 && out[0] <= 0xDBFF && out[1] >= 0xDC00 && out[1] <= 0xDFFF)
    return 0x10000 + (((uint32_t)out[0] - 0xD800) << 10) + (out[1] - 0xDC00);
  return 0;
}

static UConverter *open_strict(const char *name) {
  UErrorCode err = U_ZERO_ERROR;
  UConverter *conv = ucnv_open(name, &err);
  if (U_FAILURE(err)) return NULL;
  /* Stop at the first unmapped byte rather than substitute: unmapped means "null". */
  ucnv_setToUCallBack(conv, UCNV_TO_U_CALLBACK_STOP, NULL, NULL, NULL, &err);
  if (U_FAILURE(err)) {
    ucnv_close(conv);
    return NULL;
  }
  return conv;
}

typedef struct {
  uint32_t pointer, code_point;
} fixup;

/* index Big5 entries that ICU's Big5-HKSCS (ibm-1375_P100-2008) maps differently: mostly
   HKSCS characters it still maps to the Private Use Area, and ones it lacks. */
static const fixup big5_fixups[] = {
#include "encoding_big5_fixups.h"
};

/* index gb18030 follows GB18030-2022 for two-byte sequences (ICU 72 follows 2005: these are
   Private Use there), except 0xA3 0xA0, which the standard maps to U+3000. */
static const fixup gb18030_fixups[] = {
    {7182, 0xFE10},  {7183, 0xFE12},  {7184, 0xFE11},  {7185, 0xFE13},  {7186, 0xFE14},
    {7187, 0xFE15},  {7188, 0xFE16},  {7201, 0xFE17},  {7202, 0xFE18},  {7208, 0xFE19},
    {23775, 0x9FB4}, {23783, 0x9FB5}, {23788, 0x9FB6}, {23789, 0x9FB7}, {23795, 0x9FB8},
    {23812, 0x9FB9}, {23829, 0x9FBA}, {23845, 0x9FBB}, {6555, 0x3000},
};

typedef struct {
  const char *name;  /* the standard's name */
  const char *icu;   /* ICU converter; NULL: glibc iconv */
  const fixup *fix;  /* byte → code point (0: undefined in the standard) */
  size_t nfix;
} single_byte;

static const fixup koi8_u_fixups[] = {{0xAE, 0x045E}, {0xBE, 0x040E}};
static const fixup windows_874_fixups[] = {{0xDB, 0}, {0xDC, 0}, {0xDD, 0}, {0xDE, 0},
                                           {0xFC, 0}, {0xFD, 0}, {0xFE, 0}, {0xFF, 0}};
static const fixup windows_1253_fixups[] = {{0xAA, 0}};
static const fixup windows_1255_fixups[] = {{0xCA, 0x05BA}};
#define FIX(a) a, sizeof(a) / sizeof(a[0])

static const single_byte single_bytes[] = {
    {"ibm866", "ibm-866_P100-1995", NULL, 0},
    {"iso-8859-2", "ibm-912_P100-1995", NULL, 0},
    {"iso-8859-3", "ibm-913_P100-2000", NULL, 0},
    {"iso-8859-4", "ibm-914_P100-1995", NULL, 0},
    {"iso-8859-5", "ibm-915_P100-1995", NULL, 0},
    {"iso-8859-6", "ibm-1089_P100-1995", NULL, 0},
    {"iso-8859-7", "ibm-9005_X110-2007", NULL, 0},
    {"iso-8859-8", "ibm-5012_P100-1999", NULL, 0},
    {"iso-8859-8-i", "ibm-5012_P100-1999", NULL, 0},
    {"iso-8859-10", "iso-8859_10-1998", NULL, 0},
    {"iso-8859-13", "ibm-921_P100-1995", NULL, 0},
    {"iso-8859-14", "iso-8859_14-1998", NULL, 0},
    {"iso-8859-15", "ibm-923_P100-1998", NULL, 0},
    {"iso-8859-16", NULL, NULL, 0},
    {"koi8-r", "ibm-878_P100-1996", NULL, 0},
    {"koi8-u", "ibm-1168_P100-2002", FIX(koi8_u_fixups)},
    {"macintosh", "macos-0_2-10.2", NULL, 0},
    {"windows-874", "windows-874-2000", FIX(windows_874_fixups)},
    {"windows-1250", "ibm-5346_P100-1998", NULL, 0},
    {"windows-1251", "ibm-5347_P100-1998", NULL, 0},
    {"windows-1252", "ibm-5348_P100-1997", NULL, 0},
    {"windows-1253", "ibm-5349_P100-1998", FIX(windows_1253_fixups)},
    {"windows-1254", "ibm-5350_P100-1998", NULL, 0},
    {"windows-1255", "ibm-9447_P100-2002", FIX(windows_1255_fixups)},
    {"windows-1256", "ibm-9448_X100-2005", NULL, 0},
    {"windows-1257", "ibm-9449_P100-2002", NULL, 0},
    {"windows-1258", "ibm-5354_P100-1998", NULL, 0},
    {"x-mac-cyrillic", "macos-7_3-10.2", NULL, 0},
};
#define SINGLE_BYTE_COUNT (sizeof(single_bytes) / sizeof(single_bytes[0]))

const char *const eddy__single_byte_names[SINGLE_BYTE_COUNT + 1] = {
    "ibm866",       "iso-8859-2",   "iso-8859-3",   "iso-8859-4",   "iso-8859-5",
    "iso-8859-6",   "iso-8859-7",   "iso-8859-8",   "iso-8859-8-i", "iso-8859-10",
    "iso-8859-13",  "iso-8859-14",  "iso-8859-15",  "iso-8859-16",  "koi8-r",
    "koi8-u",       "macintosh",    "windows-874",  "windows-1250", "windows-1251",
    "windows-1252", "windows-1253", "windows-1254", "windows-1255", "windows-1256",
    "windows-1257", "windows-1258", "x-mac-cyrillic", NULL};
const size_t eddy__single_byte_count = SINGLE_BYTE_COUNT;

/* ISO-8859-16 through glibc's iconv, which has it (it matches the standard's index). */
static int iconv_single_byte(const char *charset, uint16_t table[128]) {
  iconv_t cd = iconv_open("UTF-32LE", charset);
  if (cd == (iconv_t)-1) return -1;
  for (int b = 0x80; b < 0x100; b++) {
    char in = (char)b;
    uint8_t out[4];
    char *ip = &in, *op = (char *)out;
    size_t il = 1, ol = sizeof(out);
    iconv(cd, NULL, NULL, NULL, NULL);
    if (iconv(cd, &ip, &il, &op, &ol) == (size_t)-1 || ol != 0) continue;
    uint32_t cp = out[0] | (uint32_t)out[1] << 8 | (uint32_t)out[2] << 16 | (uint32_t)out[3] << 24;
    table[b - 0x80] = cp <= 0xFFFF ? (uint16_t)cp : 0;
  }
  iconv_close(cd);
  return 0;
}

static uint16_t *single_tables[SINGLE_BYTE_COUNT];
static pthread_mutex_t single_lock = PTHREAD_MUTEX_INITIALIZER;

static uint16_t *build_single(const single_byte *sb) {
  uint16_t *t = calloc(128, sizeof(*t));
  if (!t) return NULL;
  if (!sb->icu) {
    if (iconv_single_byte(sb->name, t)) {
      free(t);
      return NULL;
    }
  } else {
    UConverter *conv = open_strict(sb->icu);
    if (!conv) {
      free(t);
      return NULL;
    }
    for (int b = 0x80; b < 0x100; b++) {
      char c = (char)b;
      uint32_t cp = icu_decode(conv, &c, 1);
      t[b - 0x80] = cp <= 0xFFFF ? (uint16_t)cp : 0;
    }
    ucnv_close(conv);
  }
  for (size_t i = 0; i < sb->nfix; i++) t[sb->fix[i].pointer - 0x80] = (uint16_t)sb->fix[i].code_point;
  return t;
}

const uint16_t *eddy__single_byte_table(size_t n) {
  if (n >= SINGLE_BYTE_COUNT) return NULL;
  pthread_mutex_lock(&single_lock);
  if (!single_tables[n]) single_tables[n] = build_single(&single_bytes[n]);
  uint16_t *t = single_tables[n];
  pthread_mutex_unlock(&single_lock);
  return t;
}

/* --- Multi-byte indexes ------------------------------------------------------------------- */

static void *indexes[EDDY__INDEX_COUNT];
static pthread_mutex_t index_lock = PTHREAD_MUTEX_INITIALIZER;

static uint16_t *build_jis0208(void) {
  /* Microsoft's Shift_JIS table is index jis0208 including the NEC and IBM extensions. */
  UConverter *conv = open_strict("ibm-943_P15A-2003");
  uint16_t *t = conv ? calloc(11280, sizeof(*t)) : NULL;
  for (int p = 0; t && p < 11280; p++) {
    int lead = p / 188, trail = p % 188;
    char b[2] = {(char)(lead + (lead < 0x1F ? 0x81 : 0xC1)),
                 (char)(trail + (trail < 0x3F ? 0x40 : 0x41))};
    uint32_t cp = icu_decode(conv, b, 2);
    t[p] = cp <= 0xFFFF ? (uint16_t)cp : 0;
  }
  if (conv) ucnv_close(conv);
  return t;
}

static uint16_t *build_jis0212(void) {
  UConverter *conv = open_strict("euc-jp-2007");
  uint16_t *t = conv ? calloc(8836, sizeof(*t)) : NULL;
  /* From pointer 7708 on ICU has IBM's extensions, which index jis0212 does not. */
  for (int p = 0; t && p < 7708; p++) {
    char b[3] = {(char)0x8F, (char)(p / 94 + 0xA1), (char)(p % 94 + 0xA1)};
    uint32_t cp = icu_decode(conv, b, 3);
    t[p] = cp <= 0xFFFF ? (uint16_t)cp : 0;
  }
  if (conv) ucnv_close(conv);
  return t;
}

/* A table of (lead − 0x81) × 190 + (trail − offset) pointers, EUC-KR's and GBK's shape. */
static uint16_t *build_190(const char *icu, int gbk) {
  UConverter *conv = open_strict(icu);
  uint16_t *t = conv ? calloc(23940, sizeof(*t)) : NULL;
  for (int p = 0; t && p < 23940; p++) {
    int lead = p / 190 + 0x81, trail = p % 190;
    trail += gbk ? (trail < 0x3F ? 0x40 : 0x41) : 0x41;
    /* EUC-KR: ICU maps the user-defined rows 0xC9 and 0xFE to the Private Use Area; the
       standard leaves them undefined. */
    if (!gbk && (lead == 0xC9 || lead == 0xFE)) continue;
    char b[2] = {(char)lead, (char)trail};
    uint32_t cp = icu_decode(conv, b, 2);
    t[p] = cp <= 0xFFFF ? (uint16_t)cp : 0;
  }
  if (conv) ucnv_close(conv);
  return t;
}

static uint16_t *build_gb18030(void) {
  uint16_t *t = build_190("gb18030", 1);
  for (size_t i = 0; t && i < sizeof(gb18030_fixups) / sizeof(gb18030_fixups[0]); i++)
    t[gb18030_fixups[i].pointer] = (uint16_t)gb18030_fixups[i].code_point;
  return t;
}

/* The four-byte pointers up to 39419 (the BMP part of index gb18030 ranges). Pointer 7457,
   which the standard special-cases to U+E7C7, is ICU's mapping too. */
static uint16_t *build_gb_ranges(void) {
  UConverter *conv = open_strict("gb18030");
  uint16_t *t = conv ? calloc(39420, sizeof(*t)) : NULL;
  for (int p = 0; t && p < 39420; p++) {
    int q = p;
    char b[4];
    b[3] = (char)(0x30 + q % 10);
    q /= 10;
    b[2] = (char)(0x81 + q % 126);
    q /= 126;
    b[1] = (char)(0x30 + q % 10);
    b[0] = (char)(0x81 + q / 10);
    uint32_t cp = icu_decode(conv, b, 4);
    t[p] = cp <= 0xFFFF ? (uint16_t)cp : 0;
  }
  if (conv) ucnv_close(conv);
  return t;
}

static uint32_t *build_big5(void) {
  UConverter *conv = open_strict("ibm-1375_P100-2008");
  uint32_t *t = conv ? calloc(19782, sizeof(*t)) : NULL;
  /* Pointers below 942 (leads 0x81–0x86) are undefined in the standard; ICU has PUA there. */
  for (int p = 942; t && p < 19782; p++) {
    int trail = p % 157;
    char b[2] = {(char)(p / 157 + 0x81), (char)(trail + (trail < 0x3F ? 0x40 : 0x62))};
    t[p] = icu_decode(conv, b, 2);
  }
  for (size_t i = 0; t && i < sizeof(big5_fixups) / sizeof(big5_fixups[0]); i++)
    t[big5_fixups[i].pointer] = big5_fixups[i].code_point;
  if (conv) ucnv_close(conv);
  return t;
}

const void *eddy__encoding_index(int which) {
  if (which < 0 || which >= EDDY__INDEX_COUNT) return NULL;
  pthread_mutex_lock(&index_lock);
  if (!indexes[which]) {
    switch (which) {
    case EDDY__INDEX_JIS0208: indexes[which] = build_jis0208(); break;
    case EDDY__INDEX_JIS0212: indexes[which] = build_jis0212(); break;
    case EDDY__INDEX_EUC_KR: indexes[which] = build_190("windows-949-2000", 0); break;
    case EDDY__INDEX_GB18030: indexes[which] = build_gb18030(); break;
    case EDDY__INDEX_GB_RANGES: indexes[which] = build_gb_ranges(); break;
    case EDDY__INDEX_BIG5: indexes[which] = build_big5(); break;
    }
  }
  void *t = indexes[which];
  pthread_mutex_unlock(&index_lock);
  return t;
}
