/* The eddy command: a thin host over include/eddy.h. Runs a script, then keeps running the loop
   until no async work remains. Anything it does, an embedder can do with the public API. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "eddy.h"

static const char usage[] =
    "usage: eddy [options] FILE [args...]\n"
    "       eddy [options] -e CODE [args...]\n"
    "\n"
    "Runs FILE and keeps running until no timers, transfers or other async work remain. The\n"
    "script sees its arguments as eddy.args. FILE is an ES module if it ends in .mjs, a classic\n"
    "script if it ends in .cjs, and otherwise a module when it uses module syntax (import or\n"
    "export declarations, import.meta, top-level await), else a classic script.\n"
    "\n"
    "options:\n"
    "  -e, --eval CODE      run CODE instead of a file (a module if it uses module syntax)\n"
    "  --module             run FILE or CODE as an ES module\n"
    "  --classic            run FILE or CODE as a classic script\n"
    "  -r, --preload FILE   run FILE first (repeatable), e.g. a test harness\n"
    "  --busy-poll-us N     poll up to N µs for a fast server's reply before sleeping\n"
    "                       (default 50; 0 never polls)\n"
    "  --cacert FILE        trust the certificates in PEM FILE instead of the system store\n"
    "                       (default: $SSL_CERT_FILE if set)\n"
    "  --capath DIR         trust the hashed certificates in DIR instead of the system store\n"
    "                       (default: $SSL_CERT_DIR if set)\n"
    "  -v, --version        print the version and exit\n"
    "  -h, --help           print this help and exit\n"
    "\n"
    "An uncaught error or unhandled rejection prints its stack to stderr and exits with 1.\n";

typedef struct {
  int failed;
} cli_state;

static void on_error(eddy_engine *e, int kind, const eddy_value *error, void *userdata) {
  cli_state *st = userdata;
  const char *prefix = kind == EDDY_ERROR_UNHANDLED_REJECTION ? "Uncaught (in promise) " : "Uncaught ";
  fprintf(stderr, "%s%s\n", prefix, eddy_value_error_stack(error));
  fflush(stderr);
  st->failed = 1;
  /* Like Node: an uncaught error ends the program. Closing from the callback stops the loop. */
  eddy_engine_close(e);
}

static char *read_file(const char *path, size_t *len) {
  FILE *f = fopen(path, "rb");
  if (!f) return NULL;
  size_t cap = 1 << 16, n = 0;
  char *buf = malloc(cap);
  while (buf) {
    size_t got = fread(buf + n, 1, cap - n, f);
    n += got;
    if (n < cap) break;
    char *bigger = realloc(buf, cap * 2);
    if (!bigger) {
      free(buf);
      buf = NULL;
      break;
    }
    buf = bigger;
    cap *= 2;
  }
  int err = ferror(f);
  fclose(f);
  if (err) {
    free(buf);
    return NULL;
  }
  *len = n;
  return buf;
}

/* Evaluates and reports; returns 0 on success. */
static int report(int rc, eddy_value *result, const char *name, cli_state *st);

static int run_source(eddy_engine *e, const char *src, size_t len, const char *name,
                      cli_state *st) {
  eddy_value *result = NULL;
  int rc = eddy_eval(e, src, len, name, &result);
  return report(rc, result, name, st);
}

static int report(int rc, eddy_value *result, const char *name, cli_state *st) {
  if (rc == EDDY_EEXCEPTION) {
    fprintf(stderr, "Uncaught %s\n", eddy_value_error_stack(result));
  } else if (rc == EDDY_ECLOSED && st->failed) {
    /* already reported by on_error */
  } else if (rc) {
    fprintf(stderr, "eddy: %s: %s\n", name, eddy_strerror(rc));
  }
  eddy_value_free(result);
  return rc;
}

enum { MODE_DETECT, MODE_MODULE, MODE_CLASSIC };

static int ends_with(const char *s, const char *suffix) {
  size_t n = strlen(s), k = strlen(suffix);
  return n >= k && !strcmp(s + n - k, suffix);
}

/* A file: URL for an absolute path, percent-encoding what the URL parser would. */
static char *file_url(const char *path) {
  size_t n = strlen(path);
  char *url = malloc(n * 3 + 8);
  if (!url) return NULL;
  char *o = url + sprintf(url, "file://");
  for (const unsigned char *p = (const unsigned char *)path; *p; p++) {
    if (*p <= 0x20 || *p >= 0x7f || strchr("\"#%<>?`{}", *p))
      o += sprintf(o, "%%%02X", *p);
    else
      *o++ = (char)*p;
  }
  *o = 0;
  return url;
}

static int run_module_file(eddy_engine *e, const char *path, cli_state *st) {
  char *real = realpath(path, NULL);
  if (!real) {
    fprintf(stderr, "eddy: cannot read %s\n", path);
    return -1;
  }
  eddy_value *result = NULL;
  int rc = eddy_import(e, real, &result);
  free(real);
  return report(rc, result, path, st);
}

/* -e code as a module: a declared module named as a file in the working directory, so that its
   relative imports resolve from there (as Node's --input-type=module). */
static int run_module_code(eddy_engine *e, const char *code, cli_state *st) {
  char cwd[4096];
  if (!getcwd(cwd, sizeof cwd - 16)) strcpy(cwd, "/");
  strcat(cwd, strcmp(cwd, "/") ? "/[eval]" : "[eval]");
  char *name = file_url(cwd);
  if (!name) return -1;
  int rc = eddy_module_declare(e, name, code, strlen(code));
  eddy_value *result = NULL;
  if (!rc) rc = eddy_import(e, name, &result);
  free(name);
  return report(rc, result, "[eval]", st);
}

static int run_file(eddy_engine *e, const char *path, int mode, cli_state *st) {
  size_t len = 0;
  char *src = read_file(path, &len);
  if (!src) {
    fprintf(stderr, "eddy: cannot read %s\n", path);
    return -1;
  }
  if (mode == MODE_DETECT) {
    mode = ends_with(path, ".mjs")   ? MODE_MODULE
           : ends_with(path, ".cjs") ? MODE_CLASSIC
           : eddy_detect_module(src, len) == 1 ? MODE_MODULE
                                                : MODE_CLASSIC;
  }
  /* Named by its absolute path, as Node does: its import() resolves from its own directory. */
  char *real = realpath(path, NULL);
  int rc = mode == MODE_MODULE ? run_module_file(e, path, st)
                               : run_source(e, src, len, real ? real : path, st);
  free(real);
  free(src);
  return rc;
}

int main(int argc, char **argv) {
  const char *code = NULL, *file = NULL;
  const char **preloads = calloc((size_t)argc, sizeof(char *));
  int npreload = 0, i = 1;
  long busy_poll_us = -1;
  int mode = MODE_DETECT;
  const char *ca_file = NULL, *ca_path = NULL;
  for (; i < argc; i++) {
    const char *a = argv[i];
    if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
      fputs(usage, stdout);
      free(preloads);
      return 0;
    } else if (!strcmp(a, "-v") || !strcmp(a, "--version")) {
      printf("eddy %s\n", eddy_version());
      free(preloads);
      return 0;
    } else if ((!strcmp(a, "-e") || !strcmp(a, "--eval")) && i + 1 < argc) {
      code = argv[++i];
      i++;
      break;
    } else if ((!strcmp(a, "-r") || !strcmp(a, "--preload")) && i + 1 < argc) {
      preloads[npreload++] = argv[++i];
    } else if (!strcmp(a, "--busy-poll-us") && i + 1 < argc) {
      char *end;
      busy_poll_us = strtol(argv[++i], &end, 10);
      if (*end || busy_poll_us < 0 || busy_poll_us > 1000000) {
        fprintf(stderr, "eddy: --busy-poll-us wants 0 to 1000000, not %s\n", argv[i]);
        free(preloads);
        return 2;
      }
    } else if (!strcmp(a, "--module")) {
      mode = MODE_MODULE;
    } else if (!strcmp(a, "--classic")) {
      mode = MODE_CLASSIC;
    } else if (!strcmp(a, "--cacert") && i + 1 < argc) {
      ca_file = argv[++i];
    } else if (!strcmp(a, "--capath") && i + 1 < argc) {
      ca_path = argv[++i];
    } else if (!strcmp(a, "--")) {
      i++;
      break;
    } else if (a[0] == '-' && a[1]) {
      fprintf(stderr, "eddy: unknown option %s\n\n%s", a, usage);
      free(preloads);
      return 2;
    } else {
      break;
    }
  }
  if (!code) {
    if (i >= argc) {
      fputs(usage, stderr);
      free(preloads);
      return 2;
    }
    file = argv[i++];
  }

  cli_state st = {0};
  eddy_options opts;
  eddy_options_init(&opts, sizeof opts);
  opts.start_driver = 0; /* the CLI pumps the loop on its main thread */
  opts.on_error = on_error;
  opts.error_userdata = &st;
  if (busy_poll_us >= 0) opts.busy_poll_us = (uint32_t)busy_poll_us;
  /* OpenSSL's variables, as the curl command, Go and Python read them; the library itself never
     takes trust settings from the environment. Either flag overrides both variables. */
  if (!ca_file && !ca_path) {
    const char *env_file = getenv("SSL_CERT_FILE"), *env_dir = getenv("SSL_CERT_DIR");
    ca_file = env_file && *env_file ? env_file : NULL;
    ca_path = env_dir && *env_dir ? env_dir : NULL;
  }
  opts.ca_file = ca_file;
  opts.ca_path = ca_path;
  eddy_engine *e = NULL;
  int rc = eddy_engine_new(&opts, &e);
  if (rc) {
    fprintf(stderr, "eddy: cannot create engine: %s\n", eddy_strerror(rc));
    free(preloads);
    return 1;
  }

  eddy_value *args = eddy_value_new_array();
  for (; i < argc; i++) eddy_value_push(args, eddy_value_new_cstring(argv[i]));
  eddy_set(e, "eddy.args", args);
  eddy_value_free(args);

  int failed = 0;
  for (int p = 0; p < npreload && !failed; p++)
    failed = run_file(e, preloads[p], MODE_CLASSIC, &st) != 0;
  if (!failed && code) {
    if (mode == MODE_DETECT)
      mode = eddy_detect_module(code, strlen(code)) == 1 ? MODE_MODULE : MODE_CLASSIC;
    failed = (mode == MODE_MODULE ? run_module_code(e, code, &st)
                                  : run_source(e, code, strlen(code), "[eval]", &st)) != 0;
  } else if (!failed) {
    failed = run_file(e, file, mode, &st) != 0;
  }
  while (!failed && !st.failed) {
    rc = eddy_run(e, EDDY_RUN_DEFAULT);
    if (rc <= 0) break;
  }
  eddy_engine_free(e);
  free(preloads);
  return failed || st.failed ? 1 : 0;
}
