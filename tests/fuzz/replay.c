/* Replays inputs through a fuzz target's LLVMFuzzerTestOneInput without libFuzzer, so that the
   default suite (gcc, ASan/UBSan) runs every target over its seeds and past findings
   (tests/fuzz/regressions). Arguments: files or directories of inputs. */
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int replay_file(const char *path) {
  FILE *f = fopen(path, "rb");
  if (!f) {
    fprintf(stderr, "replay: cannot open %s\n", path);
    return 1;
  }
  uint8_t *buf = NULL;
  size_t len = 0, cap = 0;
  for (;;) {
    if (len == cap) {
      cap = cap ? cap * 2 : 4096;
      uint8_t *grown = realloc(buf, cap);
      if (!grown) {
        free(buf);
        fclose(f);
        return 1;
      }
      buf = grown;
    }
    size_t n = fread(buf + len, 1, cap - len, f);
    if (!n) break;
    len += n;
  }
  fclose(f);
  LLVMFuzzerTestOneInput(buf, len);
  free(buf);
  return 0;
}

static int replay(const char *path, int *count) {
  struct stat st;
  if (stat(path, &st)) return 0; /* e.g. a target with no regressions yet */
  if (!S_ISDIR(st.st_mode)) {
    (*count)++;
    return replay_file(path);
  }
  DIR *d = opendir(path);
  if (!d) return 1;
  int failed = 0;
  for (struct dirent *ent; (ent = readdir(d));) {
    if (ent->d_name[0] == '.') continue;
    size_t n = strlen(path) + strlen(ent->d_name) + 2;
    char *child = malloc(n);
    if (!child) break;
    snprintf(child, n, "%s/%s", path, ent->d_name);
    failed |= replay(child, count);
    free(child);
  }
  closedir(d);
  return failed;
}

int main(int argc, char **argv) {
  int failed = 0, count = 0;
  for (int i = 1; i < argc; i++) failed |= replay(argv[i], &count);
  printf("replayed %d inputs\n", count);
  return failed;
}
