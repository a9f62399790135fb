import('data:text/javascript,export default 1').then(m => m.default, e => String(e))
