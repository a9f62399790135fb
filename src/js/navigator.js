(function (native, internal) {
  'use strict';

  // HTML's WorkerNavigator, the part a script without a document can use: NavigatorID (without
  // its Window-only members productSub, vendor, vendorSub), language, languages and
  // hardwareConcurrency. The user agent is the one fetch sends.

  const kCreate = Symbol('create');
  const DateTimeFormat = typeof Intl === 'object' && Intl !== null ? Intl.DateTimeFormat : undefined;
  const freeze = Object.freeze;
  let platformName = null;

  // The default locale of the engine's ICU (from the process environment), as Intl sees it.
  function defaultLocale() {
    try {
      return new DateTimeFormat().resolvedOptions().locale;
    } catch {
      return 'en-US';
    }
  }

  class Navigator {
    #languages = null;

    constructor(key = undefined) {
      if (key !== kCreate) throw new TypeError('Illegal constructor');
    }

    // NavigatorID's constants, kept for compatibility with browser-sniffing code.
    get appCodeName() {
      this.#languages;
      return 'Mozilla';
    }

    get appName() {
      this.#languages;
      return 'Netscape';
    }

    // The user agent's version. HTML derives it from a "Mozilla/5.0 (...)" user agent string;
    // eddy's is "eddy/<version>", so the version is what follows the product name.
    get appVersion() {
      this.#languages;
      return native.version;
    }

    get platform() {
      this.#languages;
      return platformName ??= native.platform();
    }

    get product() {
      this.#languages;
      return 'Gecko';
    }

    get userAgent() {
      this.#languages;
      return `eddy/${native.version}`;
    }

    get language() {
      this.#languages;
      return defaultLocale();
    }

    // A FrozenArray: the same object until the value changes.
    get languages() {
      const language = defaultLocale();
      const l = this.#languages;
      if (l !== null && l[0] === language) return l;
      return this.#languages = freeze([language]);
    }

    get hardwareConcurrency() {
      this.#languages;
      return native.hardwareConcurrency();
    }
  }
  internal.makeInterface(Navigator);

  internal.defineGlobal('Navigator', Navigator);
  internal.defineGlobal('navigator', new Navigator(kCreate));
})
