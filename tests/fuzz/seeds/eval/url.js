const u = new URL('../a/./b?x=1#f', 'http://user:pw@[::1]:8080/p/q'); u.searchParams.append('y', '\u00e9'); [u.href, new URLSearchParams('a=1&b=%zz').toString()]
