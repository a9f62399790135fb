export function explode() {
  throw new Error('exploded in dep');
}
