export default async function () {
  return 'anonymous async default';
}
