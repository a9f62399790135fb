export default (function () {
  return 'parenthesised function expression';
});
