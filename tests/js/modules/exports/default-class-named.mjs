export default class Named {
  who() {
    return 'named class';
  }
}
export const localBinding = () => Named;
