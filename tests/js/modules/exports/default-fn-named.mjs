export default function named() {
  return 'named default';
}
export const localBinding = () => named;
