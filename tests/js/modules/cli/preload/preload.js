var fromPreload = 'set by the classic preload';
