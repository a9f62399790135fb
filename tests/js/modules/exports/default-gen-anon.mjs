export default function* () {
  yield 'anonymous generator default';
}
