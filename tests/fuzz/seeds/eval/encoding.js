new TextDecoder('utf-8', {fatal: false}).decode(new TextEncoder().encode('h\u00e9\ud800llo')) + btoa('abc') + atob('YWJj')
