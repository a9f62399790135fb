/* The eddy command: a thin host over include/eddy.h. Runs a script, then keeps running the loop
   until no async work remains. Anything it does, an embedder can do with the public API. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "eddy.h"

static const char usage[] =
    "usage: eddy [options] FILE [args...]\n"
    "       eddy [options] -e CODE [args...]\n"
    "\n"
    "Runs FILE (a classic script) and keeps running until no timers, transfers or other async\n"
    "work remain. The script sees its arguments as eddy.args.\n"
    "\n"
    "options:\n"
    "  -e, --eval CODE      run CODE instead of a file\n"
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
static int run_source(eddy_engine *e, const char *src, size_t len, const char *name,
                      cli_state *st) {
  eddy_value *result = NULL;
  int rc = eddy_eval(e, src, len, name, &result);
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

static int run_file(eddy_engine *e, const char *path, cli_state *st) {
  size_t len = 0;
  char *src = read_file(path, &len);
  if (!src) {
    fprintf(stderr, "eddy: cannot read %s\n", path);
    return -1;
  }
  int rc = run_source(e, src, len, path, st);
  free(src);
  return rc;
}

int main(int argc, char **argv) {
  const char *code = NULL, *file = NULL;
  const char **preloads = calloc((size_t)argc, sizeof(char *));
  int npreload = 0, i = 1;
  long busy_poll_us = -1;
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
  for (int p = 0; p < npreload && !failed; p++) failed = run_file(e, preloads[p], &st) != 0;
  if (!failed) {
    failed = code ? run_source(e, code, strlen(code), "[eval]", &st) != 0
                  : run_file(e, file, &st) != 0;
  }
  while (!failed && !st.failed) {
    rc = eddy_run(e, EDDY_RUN_DEFAULT);
    if (rc <= 0) break;
  }
  eddy_engine_free(e);
  free(preloads);
  return failed || st.failed ? 1 : 0;
}
