/* Linked into the C tests of a ThreadSanitizer build only (tests/CMakeLists.txt).

   The suppressions let JavaScriptCore's own calls into TSan's interceptors pass unseen
   (called_from_lib: in tests/tsan.supp), so a thread parked inside JSC, on a lock or waiting for
   heap access, is not in a blocking call as far as TSan is concerned, and TSan holds back the
   signal JSC's collector suspends it with: the collector waits for the handler for ever. That
   happens when a collection is conducted by JSC's collector thread, which it is when one is
   requested while no thread runs JS, i.e. from the GC activity timers. With the timers off,
   collections start from allocation on the thread running JS, which conducts them itself.
   JSDisableGCTimer is JSC's private, exported switch for that; it must run before any VM
   exists, and is looked up so that a JSC without it just keeps its timers. */
#include <dlfcn.h>
#include <string.h>

__attribute__((constructor)) static void disable_jsc_gc_timers(void) {
  void *sym = dlsym(RTLD_DEFAULT, "JSDisableGCTimer");
  void (*disable)(void) = NULL;
  if (!sym) return;
  memcpy(&disable, &sym, sizeof sym);
  disable();
}
